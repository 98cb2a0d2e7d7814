"""Forecast accuracy of hotspots: fit on one period, test on the next.

For a method and its parameters, hotspots are found from the fit period and
scored on where the test period's incidents fall:

* hit rate ``n/N``: test incidents inside hotspots over all test incidents in the study area;
* area share ``a/A``: hotspot area over the study area;
* PAI, the Predictive Accuracy Index (Chainey, Tompson and Uhlig, 2008): ``(n/N) / (a/A)``;
* RRI, the Recapture Rate Index (Levine, 2008): ``(n_test / n_fit) / (N_test / N_fit)``,
  the hotspots' counts in the two periods relative to the totals;
* hit rate and PAI when the best-ranked 5, 10 and 20% of the area is taken.

Every figure stands beside the plain baseline "last period's count per cell":
cells ranked by their fit-period count and taken up to the same area.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.analyses.params import HotspotParams
from svd_geo.analyses.run import run_hotspots
from svd_geo.base.config import Config
from svd_geo.base.coords import require_analysis_crs
from svd_geo.base.errors import EmptySelectionError
from svd_geo.methods.grid import Grid, cell_index, grid_around
from svd_geo.methods.kde import compute_kde
from svd_geo.select.points import harm_weights, point_incidents, point_xy
from svd_geo.sources.areas import study_region

if TYPE_CHECKING:
    import geopandas as gpd

AREA_LEVELS_PCT = (5.0, 10.0, 20.0)
RANKING_CELL_M = 50.0
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class FitTestPeriods:
    """The fit and test periods: ``[fit_start, test_start)`` and ``[test_start, test_end)``."""

    fit_start: pd.Timestamp
    test_start: pd.Timestamp
    test_end: pd.Timestamp

    def describe(self) -> str:
        """Say the periods in words.

        Returns
        -------
        str
            E.g. "fit 2025-01 to 2025-12, test 2026-01 to 2026-03".
        """
        fit_last = self.test_start - pd.Timedelta(days=1)
        test_last = self.test_end - pd.Timedelta(days=1)
        return (
            f"fit {self.fit_start:%Y-%m-%d} to {fit_last:%Y-%m-%d}, "
            f"test {self.test_start:%Y-%m-%d} to {test_last:%Y-%m-%d}"
        )


def choose_periods(
    incidents: gpd.GeoDataFrame, *, test_start: str | None, fit_months: int, test_months: int
) -> FitTestPeriods:
    """Place the test period (the last ``test_months`` by default) and the fit period before it.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The incidents, with ``occurred``.
    test_start : str, optional
        First test month, ``YYYY-MM``; when None, the last whole months of the data (a
        month the records stop part-way through is left out: its short count would read
        as a fall the hotspots failed to forecast).
    fit_months, test_months : int
        Lengths of the fit and test periods in months.

    Returns
    -------
    FitTestPeriods
        The fit start, the test start and the test end.
    """
    if test_start:
        start = pd.Timestamp(test_start).to_period("M").to_timestamp()
    else:
        from svd_geo.methods.months import partial_last_month

        last_month = incidents["occurred"].max().to_period("M").to_timestamp()
        if partial_last_month(incidents) is not None:
            last_month -= pd.DateOffset(months=1)
        start = last_month - pd.DateOffset(months=test_months - 1)
    return FitTestPeriods(
        start - pd.DateOffset(months=fit_months), start, start + pd.DateOffset(months=test_months)
    )


@dataclass
class Accuracy:
    """Forecast accuracy of one method and parameter choice, beside the baseline.

    Attributes
    ----------
    params : dict
        The method and parameters.
    periods : str
        Fit and test periods.
    test_incidents, fit_incidents : int
        N: incidents with a point in the study area, per period.
    hit_rate, area_share, pai, rri : float
        Of the method's hotspots (nan where there are none).
    baseline_hit_rate, baseline_pai, baseline_rri : float
        Of the best fit-period cells over the same area.
    levels : pandas.DataFrame
        ``area_pct, hit_rate, pai, baseline_hit_rate, baseline_pai`` at 5, 10 and 20%.
    """

    params: dict[str, Any]
    periods: str
    test_incidents: int
    fit_incidents: int
    hit_rate: float
    area_share: float
    pai: float
    rri: float
    baseline_hit_rate: float
    baseline_pai: float
    baseline_rri: float
    levels: pd.DataFrame

    def row(self) -> dict[str, Any]:
        """One flat row for a ranking table.

        Returns
        -------
        dict
            Parameters, periods and every figure as one flat mapping.
        """
        flat = {k: v for k, v in asdict(self).items() if k not in ("params", "levels")}
        for level in self.levels.itertuples():
            flat[f"hit_rate_{level.area_pct:g}pct"] = level.hit_rate
            flat[f"pai_{level.area_pct:g}pct"] = level.pai
            flat[f"baseline_hit_rate_{level.area_pct:g}pct"] = level.baseline_hit_rate
        return {**self.params, **flat}


def _counts_per_cell(grid: Grid, points: gpd.GeoDataFrame) -> FloatArray:
    """Incidents (or their harm, with harm weights: a harm-weighted PAI) per cell."""
    index = cell_index(grid, *point_xy(points))
    inside = index >= 0
    harm = harm_weights(points)
    counts: FloatArray = np.bincount(
        index[inside], weights=None if harm is None else harm[inside], minlength=grid.nx * grid.ny
    ).astype(np.float64)
    return counts


def _top_cells(
    score: FloatArray, region_cells: npt.NDArray[np.int64], area_cells: int
) -> npt.NDArray[np.int64]:
    order = np.argsort(-score[region_cells], kind="stable")
    chosen: npt.NDArray[np.int64] = region_cells[order[:area_cells]]
    return chosen


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("nan")


@dataclass(frozen=True)
class _Frame:
    grid: Grid
    region_cells: npt.NDArray[np.int64]
    fit_counts: FloatArray
    test_counts: FloatArray
    fit_total: float
    test_total: float

    def score(self, cells: npt.NDArray[np.int64]) -> tuple[float, float, float]:
        """Hit rate, PAI and RRI of a set of cells."""
        hit = _ratio(float(self.test_counts[cells].sum()), self.test_total)
        share = len(cells) / len(self.region_cells)
        fit_hit = float(self.fit_counts[cells].sum())
        rri = _ratio(
            _ratio(float(self.test_counts[cells].sum()), fit_hit), _ratio(self.test_total, self.fit_total)
        )
        return hit, _ratio(hit, share), rri


def _frame(region: object, fit: gpd.GeoDataFrame, test: gpd.GeoDataFrame) -> _Frame:
    import shapely

    minx, miny, maxx, maxy = shapely.bounds(region)
    grid = grid_around(
        np.array([minx, maxx]), np.array([miny, maxy]), cell_size_m=RANKING_CELL_M, margin_m=0.0
    )
    xs, ys = grid.centres()
    cx, cy = np.meshgrid(xs, ys)
    region_cells = np.flatnonzero(shapely.contains_xy(region, cx.ravel(), cy.ravel()))
    fit_counts = _counts_per_cell(grid, fit)
    test_counts = _counts_per_cell(grid, test)
    return _Frame(
        grid, region_cells, fit_counts, test_counts,
        float(fit_counts[region_cells].sum()), float(test_counts[region_cells].sum()),
    )  # fmt: skip


def _hotspot_cells(frame: _Frame, hotspots: gpd.GeoDataFrame) -> npt.NDArray[np.int64]:
    import shapely

    if hotspots.empty:
        return np.array([], dtype=np.int64)
    xs, ys = frame.grid.centres()
    cx, cy = np.meshgrid(xs, ys)
    cells = frame.region_cells
    inside = shapely.contains_xy(hotspots.union_all(), cx.ravel()[cells], cy.ravel()[cells])
    chosen: npt.NDArray[np.int64] = cells[inside]
    return chosen


def _kde_score(frame: _Frame, fit: gpd.GeoDataFrame, params: HotspotParams) -> FloatArray | None:
    if params.method != "kde":
        return None
    x, y = point_xy(fit)
    surface = compute_kde(
        x, y, weights=harm_weights(fit), kernel=params.kernel, bandwidth_m=params.bandwidth_m, grid=frame.grid
    )
    return surface.density_km2.ravel()


def evaluate_params(
    fit: gpd.GeoDataFrame,
    test: gpd.GeoDataFrame,
    params: HotspotParams,
    config: Config,
    *,
    periods: FitTestPeriods,
) -> Accuracy:
    """Score one method and parameter choice on a fit and a test period.

    Parameters
    ----------
    fit, test : geopandas.GeoDataFrame
        Incidents of the fit and the test period, EPSG:27700.
    params : HotspotParams
        The method and parameters to score.
    config : Config
        Where the boundaries are.
    periods : FitTestPeriods
        The two periods, for the record.

    Returns
    -------
    Accuracy
        Hit rate, area share, PAI and RRI beside the baseline's.

    Raises
    ------
    EmptySelectionError
        When a period has no incident with a point.

    References
    ----------
    .. Chainey, S., Tompson, L. and Uhlig, S. (2008). The utility of hotspot mapping for predicting
       spatial patterns of crime. Security Journal 21: 4-28 (the PAI).
    .. Levine, N. (2008). The 'hottest' part of a hotspot: comments on 'The utility of hotspot
       mapping'. Security Journal 21: 295-302 (the RRI).
    """
    region = study_region(config, fit, margin_m=500.0)
    frame = _frame(region, point_incidents(fit), point_incidents(test))
    if frame.fit_total == 0 or frame.test_total == 0:
        msg = f"no incidents with points in the study area in one of the periods ({periods.describe()})."
        raise EmptySelectionError(msg)
    run = run_hotspots(fit, params, config)
    layer = run.layer
    if params.method == "gistar":
        layer = layer[layer["class"].astype(str).str.startswith("hot")]
    cells = _hotspot_cells(frame, layer)
    hit, pai, rri = frame.score(cells) if len(cells) else (float("nan"),) * 3
    baseline = frame.score(_top_cells(frame.fit_counts, frame.region_cells, len(cells)))
    kde_score = _kde_score(frame, point_incidents(fit), replace(params, bandwidth_m=run.params.bandwidth_m))
    rows = []
    for pct in AREA_LEVELS_PCT:
        take = round(len(frame.region_cells) * pct / 100)
        ranked = (
            frame.score(_top_cells(kde_score, frame.region_cells, take)) if kde_score is not None else None
        )
        base = frame.score(_top_cells(frame.fit_counts, frame.region_cells, take))
        rows.append({
            "area_pct": pct,
            "hit_rate": ranked[0] if ranked else float("nan"),
            "pai": ranked[1] if ranked else float("nan"),
            "baseline_hit_rate": base[0],
            "baseline_pai": base[1],
        })  # fmt: skip
    used = {k: v for k, v in asdict(run.params).items() if v is not None}
    return Accuracy(
        params=used, periods=periods.describe(), test_incidents=int(frame.test_total),
        fit_incidents=int(frame.fit_total), hit_rate=hit, area_share=len(cells) / len(frame.region_cells),
        pai=pai, rri=rri, baseline_hit_rate=baseline[0], baseline_pai=baseline[1], baseline_rri=baseline[2],
        levels=pd.DataFrame(rows),
    )  # fmt: skip


def sweep(
    incidents: gpd.GeoDataFrame,
    base: HotspotParams,
    grid_values: dict[str, list[Any]],
    config: Config,
    *,
    test_start: str | None = None,
    fit_months: int = 12,
    test_months: int = 3,
) -> pd.DataFrame:
    """Evaluate every combination of parameter values and rank them by PAI.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        Incidents in EPSG:27700 covering both periods.
    base : HotspotParams
        Method and parameters not swept.
    grid_values : dict of str to list
        Parameter name to the values to try, e.g. ``{"bandwidth_m": [100, 200, 400]}``.
    test_start : str, optional
        First test month ``YYYY-MM``; by default the last ``test_months`` months.

    Returns
    -------
    pandas.DataFrame
        One row per choice with the figures of :class:`Accuracy`, best PAI first.
    """
    require_analysis_crs(incidents, "incidents to evaluate")
    periods = choose_periods(incidents, test_start=test_start, fit_months=fit_months, test_months=test_months)
    occurred = incidents["occurred"]
    fit = incidents[(occurred >= periods.fit_start) & (occurred < periods.test_start)]
    test = incidents[(occurred >= periods.test_start) & (occurred < periods.test_end)]
    names = list(grid_values)
    rows = []
    for values in itertools.product(*(grid_values[n] for n in names)):
        params = replace(base, **dict(zip(names, values, strict=True)))
        rows.append(evaluate_params(fit, test, params, config, periods=periods).row())
    table = pd.DataFrame(rows).sort_values("pai", ascending=False, na_position="last", kind="stable")
    return table.reset_index(drop=True)
