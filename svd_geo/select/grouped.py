"""A view asked of a store that counts in SQL: its filter, and incidents grouped instead of rows.

A *grouped* frame has one row per combination of column values (an area, a
source, a category, a weight) and ``records``, how many incidents hold it.
The analyses that only count (the area table, the unreported comparison,
the hotspots' statistics) read such a frame as they read one row per
incident: :func:`svd_geo.base.schema.record_counts` gives each row's multiplicity, 1 for a plain row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from svd_geo.select.filters import View, date_bound, select_view, ward_districts
from svd_geo.store.protocol import RowFilter

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from svd_geo.base.config import Config

HARM_KEYS = ("category", "offence_code", "weight")
"""What a harm weight depends on: a grouped frame keeps these apart when the view weighs harm."""


Selector = Callable[[View, tuple[str, ...]], "pd.DataFrame"]
"""What a view's figures are counted from: ``select(view, keys)`` gives the view's incidents, as
rows (:func:`rows_selector`) or grouped by at least ``keys`` (a store that counts in SQL)."""


def rows_selector(incidents: gpd.GeoDataFrame, config: Config) -> Selector:
    """Return the selector of incidents in memory: every view's rows, by :func:`select_view`.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        Every incident.
    config : Config
        Where the ward-to-district lookup and the harm tables are.

    Returns
    -------
    Selector
        ``select(view, keys)``, the keys unused (rows can be counted by anything).
    """

    def select(view: View, keys: tuple[str, ...]) -> pd.DataFrame:
        selected: pd.DataFrame = select_view(incidents, view, config)
        return selected

    return select


def row_filter(view: View, config: Config) -> RowFilter:
    """Return the filter a store applies itself for a view: what :func:`select_view` keeps.

    Parameters
    ----------
    view : View
        The dashboard's filters.
    config : Config
        Where the ward-to-district lookup comes from.

    Returns
    -------
    RowFilter
        Sources, categories, dates, wards (the view's, within its districts), weekdays and hours.

    Raises
    ------
    DataValidationError
        For a date that is not ``YYYY-MM`` or ``YYYY-MM-DD``.
    """
    wards: tuple[str, ...] | None = None
    if view.districts:
        districts = ward_districts(config)
        wards = tuple(sorted(districts.index[districts.isin(view.districts)]))
    if view.wards:
        wards = tuple(w for w in view.wards if wards is None or w in wards)
    return RowFilter(
        sources=view.sources, categories=view.categories, date_from=date_bound(view.date_from, end=False),
        date_to=date_bound(view.date_to, end=True), wards=wards, weekdays=view.weekdays, hours=view.hours,
    )  # fmt: skip


def group_keys(view: View, keys: tuple[str, ...]) -> tuple[str, ...]:
    """Return the columns to group by for a view: ``keys``, and what harm depends on when it weighs harm.

    Parameters
    ----------
    view : View
        Its harm weighting.
    keys : tuple of str
        The columns the caller counts by.

    Returns
    -------
    tuple of str
        The keys, then any of :data:`HARM_KEYS` not among them.
    """
    extra = () if view.harm == "count" else tuple(k for k in HARM_KEYS if k not in keys)
    return (*keys, *extra)


def weigh_groups(groups: pd.DataFrame, view: View, config: Config) -> pd.DataFrame:
    """Weight grouped incidents as :func:`select_view` weights rows (``weight`` is then per incident).

    Parameters
    ----------
    groups : pandas.DataFrame
        Grouped incidents with :data:`HARM_KEYS` when the view weighs harm.
    view : View
        Its harm weighting.
    config : Config
        Where the harm tables are.

    Returns
    -------
    pandas.DataFrame
        The groups, weighted (``attrs["harm"]`` saying how) unless the view counts them.
    """
    from svd_geo.partner.harm import weigh_incidents

    if view.harm == "count":
        return groups
    weighted, weighting = weigh_incidents(groups, view.harm, config)
    weighted.attrs["harm"] = weighting
    frame: pd.DataFrame = weighted
    return frame
