"""Choose the incidents an analysis runs on: from a file or the store, then filtered."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.base.config import Config
from svd_geo.base.errors import DataValidationError, EmptySelectionError
from svd_geo.base.vocabulary import HARM_LABELS
from svd_geo.partner.harm import weigh_incidents

if TYPE_CHECKING:
    import geopandas as gpd

_DAY = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


SMALL_COUNT = 5
"""Counts from 1 to this less one are withheld in meetings; a street names a hotspot only from it up."""


@dataclass(frozen=True)
class IncidentFilter:
    """Which incidents to analyse.

    Attributes
    ----------
    categories : tuple of str
        Keep these categories (all when empty).
    sources : tuple of str
        Keep these partner sources (all when empty).
    date_from, date_to : str or None
        ``YYYY-MM`` or ``YYYY-MM-DD``, inclusive; a month means the whole month.
    """

    categories: tuple[str, ...] = field(default_factory=tuple)
    sources: tuple[str, ...] = field(default_factory=tuple)
    date_from: str | None = None
    date_to: str | None = None

    def describe(self) -> str:
        """Say in words what the filter keeps, for labels and metadata.

        Returns
        -------
        str
            E.g. ``"categories: all; sources: police; from 2024-01 to the end"``.
        """
        parts = [
            f"categories: {', '.join(self.categories) or 'all'}",
            f"sources: {', '.join(self.sources) or 'all'}",
            f"from {self.date_from or 'the start'} to {self.date_to or 'the end'}",
        ]
        return "; ".join(parts)


def date_bound(text: str | None, *, end: bool) -> pd.Timestamp | None:
    """Return the moment a filter's date starts (or, with ``end``, stops) at, None for no date.

    Parameters
    ----------
    text : str or None
        ``YYYY-MM`` or ``YYYY-MM-DD``.
    end : bool
        The end of the month or day (the first moment after it) instead of its start.

    Returns
    -------
    pandas.Timestamp or None
        The bound.

    Raises
    ------
    DataValidationError
        For a date that is not ``YYYY-MM`` or ``YYYY-MM-DD``, or no real date.
    """
    if text is None:
        return None
    if not _DAY.match(text):
        msg = f"date {text!r}: write YYYY-MM or YYYY-MM-DD."
        raise DataValidationError(msg)
    try:
        moment = pd.Timestamp(text)
    except ValueError as err:
        msg = f"date {text!r} is not a real date; write YYYY-MM or YYYY-MM-DD."
        raise DataValidationError(msg) from err
    if not end:
        return moment
    span = pd.DateOffset(months=1) if len(text) == 7 else pd.DateOffset(days=1)
    return moment + span


def filter_incidents(incidents: gpd.GeoDataFrame, selection: IncidentFilter) -> gpd.GeoDataFrame:
    """Keep the incidents a filter selects.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The incidents.
    selection : IncidentFilter
        Categories, sources and dates to keep.

    Returns
    -------
    geopandas.GeoDataFrame
        The incidents kept (at least one).

    Raises
    ------
    EmptySelectionError
        When nothing is left, naming the filter.
    DataValidationError
        For a date that is not ``YYYY-MM`` or ``YYYY-MM-DD``.
    """
    kept = incidents[filter_mask(incidents, selection)]
    if kept.empty:
        msg = f"no incidents match the filters ({selection.describe()}); widen them."
        raise EmptySelectionError(msg)
    return kept


def filter_mask(incidents: gpd.GeoDataFrame, selection: IncidentFilter) -> npt.NDArray[np.bool_]:
    """Return which incidents a filter selects (rows are taken once, by the caller).

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The incidents.
    selection : IncidentFilter
        Categories, sources and dates to keep.

    Returns
    -------
    numpy.ndarray of bool
        One flag per incident.

    Raises
    ------
    DataValidationError
        For a date that is not ``YYYY-MM`` or ``YYYY-MM-DD``.
    """
    keep = np.ones(len(incidents), dtype=bool)
    if selection.categories:
        keep &= incidents["category"].isin(selection.categories).to_numpy()
    if selection.sources:
        keep &= incidents["source"].isin(selection.sources).to_numpy()
    start = date_bound(selection.date_from, end=False)
    stop = date_bound(selection.date_to, end=True)
    if start is not None:
        keep &= (incidents["occurred"] >= start).to_numpy()
    if stop is not None:
        keep &= (incidents["occurred"] < stop).to_numpy()
    return keep


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class View:
    """The shared filters and mode of the dashboard.

    Attributes
    ----------
    sources, categories : tuple of str
        Keep these (all when empty).
    date_from, date_to : str or None
        ``YYYY-MM-DD``, inclusive.
    districts, wards : tuple of str
        ONS district and ward codes to keep (all when empty); a record counts in
        the district of its ward.
    weekdays : tuple of int
        Days of the week to keep, 0 for Monday (all when empty); records dated
        only to the month are then left out.
    hours : tuple of (int, int) or None
        Hour band ``(first, end)``: from ``first``:00 to before ``end``:00, across
        midnight when ``end <= first`` (e.g. ``(20, 4)``); records without a time
        are then left out.
    presentation : bool
        Meeting mode: aggregated layers only, small counts suppressed.
    small_count_threshold : int
        Counts from 1 up to this minus one show as "<N" in presentation mode.
    round_to : int
        In presentation mode the counts shown are rounded to a multiple of this (0: not rounded).
    role : str
        Who is looking (:mod:`svd_geo.base.roles`): a viewer sees presentation outputs only.
    harm : str
        How incidents are weighted: ``count`` (each counts 1), ``css`` or ``cchi``
        (:func:`svd_geo.partner.harm.weigh_incidents`).
    """

    sources: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    districts: tuple[str, ...] = ()
    wards: tuple[str, ...] = ()
    weekdays: tuple[int, ...] = ()
    hours: tuple[int, int] | None = None
    presentation: bool = False
    small_count_threshold: int = SMALL_COUNT
    round_to: int = 0
    role: str = "admin"
    harm: str = "count"

    def describe(self, *, weighted: bool = True) -> str:
        """Say what the counts count, for every label.

        Parameters
        ----------
        weighted : bool, default True
            Say the harm weighting; False for an output that counts records whatever they weigh.

        Returns
        -------
        str
            The sources, categories, dates and any place, day or hour filters in words.
        """
        parts = [
            f"sources: {', '.join(self.sources) or 'all partners'}",
            f"categories: {', '.join(self.categories) or 'all'}",
            f"{self.date_from or 'start'} to {self.date_to or 'end'}",
        ]
        if self.districts:
            parts.append(f"districts {', '.join(self.districts)}")
        if self.wards:
            parts.append(f"{len(self.wards)} wards")
        if self.weekdays:
            parts.append("days " + ", ".join(WEEKDAYS[d] for d in sorted(self.weekdays)))
        if self.hours is not None:
            parts.append(f"{self.hours[0]:02d}:00 to {self.hours[1]:02d}:00 (records with a time)")
        if weighted and self.harm != "count":
            parts.append(f"weighted by {HARM_LABELS[self.harm]}")
        return "; ".join(parts)


def select_view(incidents: gpd.GeoDataFrame, view: View, config: Config) -> gpd.GeoDataFrame:
    """Return the incidents the view selects (possibly none), taking the rows once.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The incidents.
    view : View
        The dashboard's filters.
    config : Config
        Where the ward-to-district lookup comes from.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame of the incidents kept, weighted by the view's harm table
        (``attrs["harm"]`` saying how) unless it counts them.

    Raises
    ------
    DataValidationError
        For a date that is not ``YYYY-MM`` or ``YYYY-MM-DD``.
    """
    selection = IncidentFilter(view.categories, view.sources, view.date_from, view.date_to)
    keep = filter_mask(incidents, selection)
    if view.wards:
        keep &= incidents["ward_code"].isin(view.wards).to_numpy()
    if view.districts:
        keep &= incidents["ward_code"].map(ward_districts(config)).isin(view.districts).to_numpy()
    if view.weekdays:
        dated = (incidents["occurred_precision"] != "month").to_numpy()
        keep &= dated & incidents["occurred"].dt.day_of_week.isin(view.weekdays).to_numpy()
    if view.hours is not None:
        first, end = view.hours
        hour = incidents["occurred"].dt.hour.to_numpy()
        inside = (hour >= first) & (hour < end) if end > first else (hour >= first) | (hour < end)
        keep &= (incidents["occurred_precision"] == "datetime").to_numpy() & inside
    # A new frame either way (copy-on-write: the whole view copies nothing until written).
    selected = incidents.copy(deep=False) if keep.all() else incidents[keep]
    if view.harm == "count":
        return selected
    weighted, weighting = weigh_incidents(selected, view.harm, config)
    weighted.attrs["harm"] = weighting
    return weighted


@lru_cache(maxsize=4)
def ward_districts(config: Config) -> pd.Series:
    """Return the district code of each ward code (every registered ward vintage of the study area).

    Parameters
    ----------
    config : Config
        Where the boundaries are.

    Returns
    -------
    pandas.Series
        District code by ward code.
    """
    from svd_geo.sources.areas import study_areas

    wards = study_areas(config, "ward")
    return pd.Series(wards.drop_duplicates("area_code").set_index("area_code")["district_code"])


def is_suppressed(count: float, view: View) -> bool:
    """Whether a count is shown as "<5" in the view (presentation mode, from 1 to the threshold less one).

    Parameters
    ----------
    count : float
        The count.
    view : View
        Presentation mode and the small-count threshold.

    Returns
    -------
    bool
        True when the count, and anything that reveals it (its rate, its rank), is withheld.
    """
    return view.presentation and 0 < round(count) < view.small_count_threshold


def shown_count(count: float, view: View) -> str:
    """Format a count, suppressing small ones in presentation mode.

    Parameters
    ----------
    count : float
        The count.
    view : View
        Presentation mode and the small-count threshold.

    Returns
    -------
    str
        The count with thousands separators, or ``"<5"`` (the threshold) in meetings.
    """
    if is_suppressed(count, view):
        return f"<{view.small_count_threshold}"
    if view.presentation and view.round_to:
        return f"{rounded_count(count, view.small_count_threshold, view.round_to):,.0f}"
    return f"{round(count):,}"


def rounded_count(count: float, threshold: int, round_to: int) -> float:
    """Round a count that is not suppressed to a multiple of ``round_to``, never below the threshold.

    A count of 7 with a threshold of 7 would round to 5 and read as a small count;
    it shows as 10, the least multiple at or above the threshold.  Zero stays 0.

    Parameters
    ----------
    count : float
        A count of 0, or of the threshold or more.
    threshold : int
        The small-count threshold.
    round_to : int
        The multiple (0: not rounded).

    Returns
    -------
    float
        The count to show.
    """
    if not round_to or count == 0:
        return float(count)
    least = math.ceil(threshold / round_to) * round_to
    return float(max(round_to * round(count / round_to), least))
