"""svd_geo.analyses.evaluate."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from svd_geo.analyses.evaluate import _Frame, choose_periods, sweep
from svd_geo.analyses.params import HotspotParams
from svd_geo.methods.grid import Grid


def test_pai_and_rri_worked_by_hand():
    # 100 cells in the study area; the hotspot is 5 of them (5% of the area).
    fit = np.zeros(100)
    test = np.zeros(100)
    fit[:5] = 5.0  # 25 of the 100 fit-period incidents in the hotspot
    fit[5:] = 75 / 95
    test[:5] = 4.0  # 20 of the 50 test-period incidents in the hotspot
    test[5:] = 30 / 95
    frame = _Frame(Grid(0, 0, 10, 10, 10), np.arange(100), fit, test, fit.sum(), test.sum())
    hit, pai, rri = frame.score(np.arange(5))
    assert hit == pytest.approx(20 / 50)  # n/N = 0.4
    assert pai == pytest.approx((20 / 50) / (5 / 100))  # 8.0
    assert rri == pytest.approx((20 / 25) / (50 / 100))  # 1.6


def test_periods_default_to_the_last_months():
    incidents = pd.DataFrame(
        {"occurred": pd.to_datetime(["2023-01-15", "2024-06-30"]), "occurred_precision": "date"}
    )
    periods = choose_periods(incidents, test_start=None, fit_months=12, test_months=3)
    assert periods.test_start == pd.Timestamp("2024-04-01")
    assert periods.fit_start == pd.Timestamp("2023-04-01")
    assert periods.test_end == pd.Timestamp("2024-07-01")


def test_a_month_the_records_stop_part_way_through_is_not_tested():
    incidents = pd.DataFrame({
        "occurred": pd.to_datetime(["2023-01-15 10:00", "2024-06-30 10:00", "2024-07-01 01:30"]), "occurred_precision": "datetime",
    })  # fmt: skip
    periods = choose_periods(incidents, test_start=None, fit_months=12, test_months=3)
    assert (periods.test_start, periods.test_end) == (pd.Timestamp("2024-04-01"), pd.Timestamp("2024-07-01"))


def test_bandwidth_sweep_is_ranked_by_pai_with_the_baseline(demo_incidents, session_config):
    table = sweep(
        demo_incidents, HotspotParams(method="kde"), {"bandwidth_m": [150.0, 300.0, 600.0]}, session_config
    )
    assert len(table) == 3
    assert table["pai"].is_monotonic_decreasing
    for column in (
        "hit_rate",
        "area_share",
        "rri",
        "baseline_hit_rate",
        "baseline_pai",
        "pai_5pct",
        "pai_10pct",
        "pai_20pct",
    ):
        assert table[column].notna().all(), column
    assert (table["hit_rate"] <= 1).all() and (table["area_share"] < 1).all()
    assert (table["hit_rate_20pct"] >= table["hit_rate_5pct"]).all()
    assert np.allclose(table["pai"], table["hit_rate"] / table["area_share"])


def test_with_harm_weights_the_pai_counts_harm_worked_by_hand():
    import geopandas as gpd

    from svd_geo.analyses.evaluate import _counts_per_cell
    from svd_geo.base.config import ANALYSIS_CRS

    grid = Grid(0, 0, 10, 10, 10)
    # Two incidents in cell 0 (harm 100 and 1), one in cell 11 (harm 1), one outside the grid.
    points = gpd.GeoDataFrame(
        {"weight": [100.0, 1.0, float("nan"), 5.0]},
        geometry=gpd.points_from_xy([5, 5, 15, 500], [5, 5, 15, 500]), crs=ANALYSIS_CRS,
    )  # fmt: skip
    harm = _counts_per_cell(grid, points)
    assert (harm[0], harm[11], harm.sum()) == (101.0, 1.0, 102.0)
    assert _counts_per_cell(grid, points.drop(columns="weight"))[0] == 2
    frame = _Frame(grid, np.arange(100), harm, harm, harm.sum(), harm.sum())
    hit, pai, _ = frame.score(np.array([0]))
    assert hit == pytest.approx(101 / 102) and pai == pytest.approx((101 / 102) / (1 / 100))
