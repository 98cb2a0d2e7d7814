"""svd_geo.analyses.repeats."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

from svd_geo.analyses.repeats import COLUMNS, repeat_locations
from svd_geo.base.config import ANALYSIS_CRS

MANSFIELD = (453_700.0, 360_900.0)


def _at(x: float, n: int, *, source: str = "police", place: str = "", months: list[str] | None = None,
        weight: float = 1.0) -> list[dict]:  # fmt: skip
    months = months or ["2025-01"] * n
    return [{"source": source, "place": place, "occurred": pd.Timestamp(m), "occurred_precision": "month",
             "weight": weight, "x": MANSFIELD[0] + x, "y": MANSFIELD[1]} for m in months[:n]]  # fmt: skip


def _frame(rows: list[dict]) -> gpd.GeoDataFrame:
    table = pd.DataFrame(rows)
    return gpd.GeoDataFrame(
        table.drop(columns=["x", "y"]), geometry=gpd.points_from_xy(table["x"], table["y"]), crs=ANALYSIS_CRS
    )


def test_points_with_enough_incidents_are_ranked_by_count_and_harm_with_their_description(session_config):
    rising = [f"2025-{m:02d}" for m in range(1, 13) for _ in range(m)]  # 1, 2, ..., 12 a month: 78
    rows = _at(0, 78, place="On or near Westgate", months=rising)
    rows += _at(100, 12, place="On or near Leeming Street", weight=50.0)  # few, but grave
    rows += _at(200, 30, source="ed")  # an emergency department's: never a location
    rows += _at(300, 9)  # under the threshold
    table = repeat_locations(_frame(rows), session_config, min_incidents=10)
    assert list(table.columns) == COLUMNS
    assert table["place"].tolist() == ["On or near Westgate", "On or near Leeming Street"]
    assert table["incidents"].tolist() == [78, 12] and table["harm"].tolist() == [78.0, 600.0]
    assert table["rank"].tolist() == [1, 2] and table["harm_rank"].tolist() == [2, 1]
    # The second point's 12 all fall in January: one burst, then eleven tied zeros, is no steady trend.
    assert table["trend"].tolist() == ["rising", "no clear trend"] and table["trend_p"].iloc[0] < 0.001
    assert table["ward"].iloc[0] != "outside the wards"


def test_no_repeat_location_gives_an_empty_table_with_its_columns(session_config):
    table = repeat_locations(_frame(_at(0, 3)), session_config, min_incidents=10)
    assert table.empty and list(table.columns) == COLUMNS


def test_svd_geo_repeats_writes_the_table_and_its_sidecar(run, demo_store_path, tmp_path):
    out = tmp_path / "repeats.csv"
    summary = json.loads(
        run(
            "repeats", "--store", str(demo_store_path), "--min-incidents", "20", "--out", str(out), "--json"
        ).stdout
    )
    table = pd.read_csv(out)
    assert len(table) == summary["locations"] > 0 and (table["incidents"] >= 20).all()
    assert table["incidents"].is_monotonic_decreasing
    sidecar = json.loads(out.with_name(out.name + ".metadata.json").read_text())
    assert sidecar["min_incidents"] == 20
