"""Trends of selected incidents: monthly counts, trend test, week-hour matrix, emerging hotspots."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from svd_geo.analyses.params import HotspotParams
from svd_geo.analyses.units import area_units, area_values
from svd_geo.base.config import Config
from svd_geo.select.points import point_incidents

if TYPE_CHECKING:
    import geopandas as gpd


@dataclass
class TrendsRun:
    """Monthly counts with their trend, the week-hour matrix and emerging hotspots.

    Attributes
    ----------
    monthly : pandas.DataFrame
        ``month, incidents`` (and the split column when asked).
    trend : dict
        Mann-Kendall test of the total monthly series.
    week_hour : pandas.DataFrame
        Day of week by hour, from records with a time.
    emerging : geopandas.GeoDataFrame
        Emerging hotspot category per area.
    summary : dict
        Figures for messages and ``--json``.
    """

    monthly: pd.DataFrame
    trend: dict[str, Any]
    week_hour: pd.DataFrame
    emerging: gpd.GeoDataFrame
    summary: dict[str, Any] = field(default_factory=dict)


def run_trends(
    incidents: gpd.GeoDataFrame, params: HotspotParams, config: Config, *, by: str | None = None
) -> TrendsRun:
    """Count incidents per month, test the trend, and find emerging hotspots per area.

    A last month the records stop part-way through is counted but left out of the
    trend test (``summary["latest_month_partial_to"]`` gives the last day).

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The incidents, EPSG:27700.
    params : HotspotParams
        The areas and neighbour rule of the emerging hotspots.
    config : Config
        Where the boundaries are.
    by : {"source", "category"}, optional
        Split the monthly counts.

    Returns
    -------
    TrendsRun
        Monthly counts, the trend test, the week-hour matrix and the emerging hotspots.

    Raises
    ------
    DataValidationError
        For unusable areas or neighbour rules.
    """
    from svd_geo.methods.gistar import build_graph, parse_neighbours
    from svd_geo.methods.months import monthly_counts, partial_last_month
    from svd_geo.methods.trends import emerging_hotspots, trend_test, week_hour_matrix

    monthly = monthly_counts(incidents, by=by)
    total = monthly.groupby("month")["incidents"].sum()
    partial_to = partial_last_month(incidents)
    # A month the extract stops part-way through would read as a fall: leave it out of the test.
    trend = trend_test(total.iloc[: -1 if partial_to is not None else None].to_numpy(dtype=float))
    areas = area_units(params, config, point_incidents(incidents))
    graph = build_graph(areas, parse_neighbours(params.neighbours), tolerance_m=params.tolerance_m)
    connected = graph.cardinalities[graph.cardinalities > 0].index
    per_month = _area_month_counts(incidents, areas, params)
    emerging = emerging_hotspots(
        per_month.reindex(connected, fill_value=0), graph.subgraph(list(connected)), areas=areas
    )
    summary = {
        "months": len(total),
        "latest_month_partial_to": None if partial_to is None else f"{partial_to:%Y-%m-%d}",
        "trend": trend,
        "timed_records": int(week_hour_matrix(incidents).attrs["timed"]),
        "areas": len(areas),
        "islands": int(len(areas) - len(connected)),
        "emerging": emerging["category"].value_counts().to_dict(),
    }
    return TrendsRun(monthly, trend, week_hour_matrix(incidents), emerging, summary)


def _area_month_counts(
    incidents: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, params: HotspotParams
) -> pd.DataFrame:
    month = incidents["occurred"].dt.to_period("M")
    months = pd.period_range(month.min(), month.max(), freq="M")
    columns = {}
    for period in months:
        values, _ = area_values(incidents[month == period], areas, params)
        columns[str(period)] = values
    return pd.DataFrame(columns).reindex(areas["area_code"]).fillna(0.0)
