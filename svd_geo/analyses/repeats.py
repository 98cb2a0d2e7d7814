"""Repeat locations: the places with at least N incidents in the period, ranked by count and by harm.

A location is a distinct point: a police.uk snap point (the anonymised point many
crimes share) or a partner's exact point.  Emergency-department and youth-service
records are never located (their points are never shown), so they take no part.
Each location has its description (police.uk's ``Location``, "On or near
Westgate", the most frequent at that point), its ward, and its trend: the
Mann-Kendall test of its monthly counts over the whole months of the selection
(the month the records stop part-way through is left out).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from svd_geo.base.coords import distinct_points
from svd_geo.base.vocabulary import NEVER_AS_POINTS
from svd_geo.select.points import harm_weights, point_incidents, point_xy

if TYPE_CHECKING:
    import geopandas as gpd

    from svd_geo.base.config import Config

COLUMNS = [
    "rank", "harm_rank", "place", "ward", "incidents", "harm", "first", "last", "trend", "trend_p",
    "easting_m", "northing_m",
]  # fmt: skip
"""One row per repeat location, most incidents first."""
TREND_P = 0.05
"""A monthly trend is rising or falling below this p (two-sided Mann-Kendall)."""


def _trend_words(z: np.ndarray, p: np.ndarray, months: int) -> list[str]:
    if months < 4:
        return ["too few months to test"] * len(z)
    return ["rising" if pi < TREND_P and zi > 0 else "falling" if pi < TREND_P else "no clear trend"
            for zi, pi in zip(z, p, strict=True)]  # fmt: skip


def _top_place(codes: np.ndarray, places: pd.Series | None, size: int) -> list[str]:
    """Return the most frequent description at each location ("" where none is given)."""
    if places is None:
        return [""] * size
    frame = pd.DataFrame({"code": codes, "place": places.astype("string").fillna("").to_numpy()})
    frame = frame[frame["place"] != ""]
    top = frame.groupby(["code", "place"]).size().rename("n").reset_index()
    top = top.sort_values(["code", "n", "place"], ascending=[True, False, True]).drop_duplicates("code")
    return top.set_index("code")["place"].reindex(range(size)).fillna("").tolist()


def _monthly_trends(
    points: pd.DataFrame, codes: np.ndarray, keep: np.ndarray
) -> tuple[list[str], np.ndarray]:
    """Return each kept location's monthly trend in words and its p, over the whole months."""
    from svd_geo.methods.months import partial_last_month
    from svd_geo.methods.trends import mann_kendall_rows

    month = points["occurred"].dt.to_period("M")
    partial = partial_last_month(points)
    whole = (
        (month != partial.to_period("M")).to_numpy() if partial is not None else np.ones(len(points), bool)
    )
    span = pd.period_range(month.min(), month[whole].max() if whole.any() else month.max(), freq="M")
    position = np.full(int(codes.max()) + 1 if len(codes) else 0, -1)
    position[keep] = np.arange(len(keep))
    rows = position[codes]
    chosen = (rows >= 0) & whole
    steps = (month[chosen].dt.year - span[0].year) * 12 + (month[chosen].dt.month - span[0].month)
    matrix = np.zeros((len(keep), len(span)))
    np.add.at(matrix, (rows[chosen], steps.to_numpy()), 1)
    if len(span) < 4:
        return _trend_words(np.zeros(len(keep)), np.ones(len(keep)), len(span)), np.full(len(keep), np.nan)
    z, p = mann_kendall_rows(matrix)
    return _trend_words(z, p, len(span)), np.round(p, 3)


def _wards_of(xy: np.ndarray, config: Config) -> np.ndarray:
    """Return the ward each point is in ("outside the wards" for none)."""
    import geopandas as gpd

    from svd_geo.sources.areas import study_context

    wards, _ = study_context(config)
    anchors = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=wards.crs)
    found = gpd.sjoin(anchors, wards[["area_name", "geometry"]], predicate="intersects")
    found = found[~found.index.duplicated()]["area_name"]
    names: np.ndarray = found.reindex(range(len(xy))).fillna("outside the wards").to_numpy()
    return names


def repeat_locations(incidents: gpd.GeoDataFrame, config: Config, *, min_incidents: int = 10) -> pd.DataFrame:
    """Find the locations with at least ``min_incidents`` incidents, with their harm and trend.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The selected incidents (one period), EPSG:27700.
    config : Config
        Where the wards are.
    min_incidents : int, default 10
        The fewest incidents a repeat location has.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`: rank by incidents, rank by harm, description, ward, counts,
        first and last date, the monthly trend and its p, and the point (metres).
    """
    points = point_incidents(
        incidents, columns=["weight", "place", "source", "occurred", "occurred_precision"]
    )
    points = points[~points["source"].isin(NEVER_AS_POINTS).to_numpy()] if "source" in points else points
    codes, xy = distinct_points(*point_xy(points))
    harm = harm_weights(points)
    counts = np.bincount(codes, minlength=len(xy))
    harms = np.bincount(codes, weights=harm, minlength=len(xy)) if harm is not None else counts.astype(float)
    keep = np.flatnonzero(counts >= min_incidents)
    if not len(keep):
        return pd.DataFrame(columns=COLUMNS)
    trend, trend_p = _monthly_trends(points, codes, keep)
    dates = pd.DataFrame({"code": codes, "occurred": points["occurred"].to_numpy()}).groupby("code")[
        "occurred"
    ]
    table = pd.DataFrame({
        "place": np.asarray(_top_place(codes, points.get("place"), len(xy)), dtype=object)[keep],
        "ward": _wards_of(xy[keep], config), "incidents": counts[keep], "harm": harms[keep].round(1),
        "first": dates.min().reindex(keep).dt.date.to_numpy(),
        "last": dates.max().reindex(keep).dt.date.to_numpy(), "trend": trend, "trend_p": trend_p,
        "easting_m": np.round(xy[keep, 0]).astype(int), "northing_m": np.round(xy[keep, 1]).astype(int),
    })  # fmt: skip
    table = table.sort_values(["incidents", "harm"], ascending=False, kind="stable").reset_index(drop=True)
    table["rank"] = np.arange(1, len(table) + 1)
    table["harm_rank"] = table["harm"].rank(ascending=False, method="min").astype(int)
    return table[COLUMNS]
