"""Time: monthly counts with a trend test, the week-hour matrix, emerging hotspots.

Emerging hotspots follow ArcGIS's Emerging Hot Spot Analysis: a Gi* for every
area and month, a Mann-Kendall trend on each area's Gi* z-scores, and the
categories new, consecutive, intensifying, persistent, diminishing, sporadic,
oscillating and historical (and their cold twins).  No open Python tool does
this, so it is written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.base.errors import EmptySelectionError

if TYPE_CHECKING:
    import geopandas as gpd
    from libpysal.graph import Graph

FloatArray = npt.NDArray[np.float64]
SIGNIFICANCE = 0.10  # ArcGIS counts a bin as a hot or cold spot at 90% confidence
TREND_SIGNIFICANCE = 0.05
MOSTLY = 0.90
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NO_PATTERN = "no pattern"


def trend_test(values: FloatArray) -> dict[str, Any]:
    """Mann-Kendall trend test and Sen's slope of a series (pymannkendall).

    Parameters
    ----------
    values : numpy.ndarray
        The series, in time order.

    Returns
    -------
    dict
        ``trend`` (increasing, decreasing, no trend), ``p``, ``z``, ``tau`` and
        ``slope_per_step``.

    References
    ----------
    .. Mann, H. B. (1945). Nonparametric tests against trend. Econometrica 13(3): 245-259.
    .. Kendall, M. G. (1975). Rank Correlation Methods, 4th edition. Griffin.
    .. Sen, P. K. (1968). Estimates of the regression coefficient based on Kendall's tau. Journal of
       the American Statistical Association 63(324): 1379-1389.
    """
    import pymannkendall

    if len(values) < 4:
        return {"trend": "too short to test", "p": float("nan"), "z": float("nan"), "tau": float("nan"),
                "slope_per_step": float("nan")}  # fmt: skip
    result = pymannkendall.original_test(np.asarray(values, dtype=float), alpha=TREND_SIGNIFICANCE)
    return {"trend": result.trend, "p": float(result.p), "z": float(result.z), "tau": float(result.Tau),
            "slope_per_step": float(result.slope)}  # fmt: skip


def week_hour_matrix(incidents: pd.DataFrame) -> pd.DataFrame:
    """Count incidents by day of week and hour, from records with a time only.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Incidents with ``occurred`` and ``occurred_precision``.

    Returns
    -------
    pandas.DataFrame
        7 rows (Monday first) by 24 columns (hour 0-23); ``attrs["timed"]`` says
        how many records had a time.
    """
    timed = incidents.loc[incidents["occurred_precision"] == "datetime", "occurred"]
    table = pd.crosstab(timed.dt.day_of_week, timed.dt.hour).reindex(
        index=range(7), columns=range(24), fill_value=0
    )
    table.index = pd.Index(DAY_NAMES, name="day")
    table.columns = pd.Index(range(24), name="hour")
    table.attrs["timed"] = len(timed)
    return table


def mann_kendall_rows(values: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Mann-Kendall z and two-sided p for every row of a matrix at once.

    Written by hand because pymannkendall tests one series per call and
    emerging hotspots need a test for each of thousands of cells.  Ties are
    corrected for as in Kendall (1975).

    Parameters
    ----------
    values : numpy.ndarray
        Shape (series, time steps).

    Returns
    -------
    tuple of numpy.ndarray
        z and p per row.

    References
    ----------
    .. Mann, H. B. (1945). Nonparametric tests against trend. Econometrica 13(3): 245-259.
    .. Kendall, M. G. (1975). Rank Correlation Methods, 4th edition. Griffin.
    """
    from scipy.stats import norm

    steps = values.shape[1]
    upper = np.triu(np.ones((steps, steps), dtype=bool), k=1)
    signs = np.sign(values[:, None, :] - values[:, :, None])
    s = (signs * upper).sum(axis=(1, 2))
    ties = (values[:, :, None] == values[:, None, :]).sum(axis=2)
    variance = (steps * (steps - 1) * (2 * steps + 5) - ((ties - 1) * (2 * ties + 5)).sum(axis=1)) / 18.0
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(variance > 0, (s - np.sign(s)) / np.sqrt(variance), 0.0)
    p = 2 * norm.sf(np.abs(z))
    return z, p


def gistar_z(values: FloatArray, graph: Graph) -> FloatArray:
    """Gi* z-scores (each area its own neighbour, binary weights) for many periods at once.

    ``values`` has one row per area (in ``graph.unique_ids`` order) and one
    column per period.  Binary weights, as in ArcGIS's space-time Gi*, for which
    the analytic variance is exact (with row-standardised weights esda's
    analytic z understates significance).  The formula is esda's
    ``G_Local(..., transform="B", star=True).Zs``, written out so that every
    period is computed in one sparse product instead of one esda call each.

    Parameters
    ----------
    values : numpy.ndarray
        One row per area, one column per period.
    graph : libpysal.graph.Graph
        The areas' neighbours.

    Returns
    -------
    numpy.ndarray
        The z-score of each area and period.
    """
    import scipy.sparse as sp

    binary = graph.transform("B").sparse.tocsr()
    weights = binary + sp.identity(binary.shape[0], format="csr")
    n = values.shape[0]
    totals = values.sum(axis=0)
    mean = totals / n
    variance = (values**2).mean(axis=0) - mean**2
    cardinality = np.asarray(weights.sum(axis=1)).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        statistic = (weights @ values) / totals[None, :]
        expected = cardinality / n
        spread = cardinality * (n - cardinality) / (n - 1) / n**2
        z: FloatArray = (statistic - expected[:, None]) / np.sqrt(
            spread[:, None] * variance[None, :] / mean[None, :] ** 2
        )
    return np.nan_to_num(z, nan=0.0, posinf=0.0, neginf=0.0)


@dataclass(frozen=True)
class _Pattern:
    hot: npt.NDArray[np.bool_]
    cold: npt.NDArray[np.bool_]
    trend_z: FloatArray
    trend_p: FloatArray


def _categorise(pattern: _Pattern, *, kind: str) -> npt.NDArray[np.object_]:
    spot = pattern.hot if kind == "hot" else pattern.cold
    other = pattern.cold if kind == "hot" else pattern.hot
    steps = spot.shape[1]
    final = spot[:, -1]
    share = spot.mean(axis=1)
    before_final = spot[:, :-1].any(axis=1)
    # Length of the run of spots that ends at the final step.
    run = np.zeros(len(spot), dtype=int)
    running = np.ones(len(spot), dtype=bool)
    for step in range(steps - 1, -1, -1):
        running &= spot[:, step]
        run += running
    before_run = np.array([spot[i, : steps - run[i]].any() for i in range(len(spot))])
    mostly = share >= MOSTLY
    rising = (pattern.trend_p <= TREND_SIGNIFICANCE) & (pattern.trend_z > 0)
    falling = (pattern.trend_p <= TREND_SIGNIFICANCE) & (pattern.trend_z < 0)
    stronger, weaker = (rising, falling) if kind == "hot" else (falling, rising)
    labels = np.full(len(spot), "", dtype=object)
    rules = [
        (final & ~before_final, "new"),
        (final & (run >= 2) & ~before_run & ~mostly, "consecutive"),
        (final & mostly & stronger, "intensifying"),
        (final & mostly & weaker, "diminishing"),
        (final & mostly, "persistent"),
        (final & ~mostly & other.any(axis=1), "oscillating"),
        (final & ~mostly, "sporadic"),
        (~final & mostly, "historical"),
    ]
    for mask, name in reversed(rules):
        labels[mask] = f"{name} {kind} spot"
    return labels


def emerging_hotspots(
    counts: pd.DataFrame, graph: Graph, *, areas: gpd.GeoDataFrame | None = None
) -> pd.DataFrame:
    """Classify areas by how their Gi* hot and cold spots change over time.

    Parameters
    ----------
    counts : pandas.DataFrame
        Incidents per area (rows, ``area_code`` index) and period (columns, in order).
    graph : libpysal.graph.Graph
        Neighbours of the areas; islands must be removed first.
    areas : geopandas.GeoDataFrame, optional
        Boundaries to attach (by ``area_code``).

    Returns
    -------
    pandas.DataFrame
        Per area: ``category``, ``hot_periods``, ``cold_periods``, ``final_z``,
        ``trend_z``, ``trend_p`` (Mann-Kendall on the Gi* z-scores).

    References
    ----------
    .. Esri. How Emerging Hot Spot Analysis works. ArcGIS Pro documentation, Space Time Pattern
       Mining toolbox (the categories).
    .. Getis, A. and Ord, J. K. (1992). The analysis of spatial association by use of distance
       statistics. Geographical Analysis 24(3): 189-206.
    """
    from scipy.stats import norm

    ids = list(graph.unique_ids)
    values = counts.reindex(ids).fillna(0).to_numpy(dtype=float)
    if values.shape[1] < 2:
        msg = "emerging hotspots need at least two periods; widen the dates."
        raise EmptySelectionError(msg)
    z = gistar_z(values, graph)
    p = 2 * norm.sf(np.abs(z))
    significant = p <= SIGNIFICANCE
    trend_z, trend_p = mann_kendall_rows(z)
    pattern = _Pattern(significant & (z > 0), significant & (z < 0), trend_z, trend_p)
    hot = _categorise(pattern, kind="hot")
    cold = _categorise(pattern, kind="cold")
    category = np.where(hot != "", hot, np.where(cold != "", cold, NO_PATTERN))
    result = pd.DataFrame(
        {
            "area_code": ids,
            "category": category,
            "hot_periods": pattern.hot.sum(axis=1),
            "cold_periods": pattern.cold.sum(axis=1),
            "final_z": z[:, -1],
            "trend_z": trend_z,
            "trend_p": trend_p,
        }
    )
    if areas is not None:
        import geopandas as gpd

        merged = areas[["area_code", "area_name", "geometry"]].merge(result, on="area_code", how="inner")
        located: pd.DataFrame = gpd.GeoDataFrame(merged, geometry="geometry", crs=areas.crs)
        return located
    return result
