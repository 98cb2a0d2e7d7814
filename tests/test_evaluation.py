"""Forecast accuracy: PAI and RRI worked by hand, the baseline, and the sweep ranking."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from svd_geo.analyses.evaluate import _Frame, choose_periods, sweep
from svd_geo.analyses.params import HotspotParams
from svd_geo.methods.grid import Grid
from svd_geo.store.geopackage import open_store

from .test_cli import run  # noqa: F401  (fixture)


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


@pytest.fixture(scope="module")
def demo_incidents(demo_store_path):
    return open_store(demo_store_path).incidents()


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


def test_cli_evaluate_and_trends(run, demo_store_path, tmp_path):  # noqa: F811
    import shutil

    store = tmp_path / "store.gpkg"
    shutil.copy(demo_store_path, store)
    out = tmp_path / "ranking.csv"
    result = json.loads(run("evaluate", "--store", str(store), "--method", "dbscan", "--eps-m", "100", "200",
                            "--min-samples", "15", "--out", str(out), "--json").stdout)  # fmt: skip
    assert [r["eps_m"] for r in result["ranking"]] == pd.read_csv(out)["eps_m"].tolist()
    assert result["ranking"][0]["pai"] >= result["ranking"][1]["pai"]
    trends = json.loads(run("trends", "--store", str(store), "--areas", "hex:500", "--json").stdout)
    assert trends["months"] == 30 and trends["trend"]["trend"] == "increasing"
    assert sum(trends["emerging"].values()) == trends["areas"] - trends["islands"]
