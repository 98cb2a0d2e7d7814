"""Monthly counts, Mann-Kendall, the week-hour matrix and emerging hotspots."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pymannkendall
import pytest
import shapely
from esda.getisord import G_Local
from numpy.testing import assert_allclose

from svd_geo.analyses.params import HotspotParams
from svd_geo.analyses.trends import run_trends
from svd_geo.methods.gistar import build_graph, hex_grid, parse_neighbours
from svd_geo.methods.trends import (
    _categorise,
    _Pattern,
    emerging_hotspots,
    gistar_z,
    mann_kendall_rows,
    trend_test,
    week_hour_matrix,
)
from svd_geo.store.geopackage import open_store
from svd_geo.store.simulation import EMERGING, TOWNS

from .conftest import SEED


def test_mann_kendall_on_a_known_series():
    # Hirsch et al. style textbook series: a clear upward trend with one tie.
    series = np.array([1.0, 2.0, 3.0, 3.0, 5.0, 4.0, 7.0, 8.0, 9.0, 10.0])
    result = trend_test(series)
    reference = pymannkendall.original_test(series)
    assert result["trend"] == "increasing"
    assert result["p"] == pytest.approx(reference.p)
    # S = 45 pairs - 1 tie - 2 * 1 decrease = 42
    assert reference.s == 42


def test_vectorised_mann_kendall_equals_pymannkendall():
    rng = np.random.default_rng(SEED)
    rows = np.vstack([rng.integers(0, 4, 24), rng.normal(size=24).cumsum(), np.arange(24.0), np.zeros(24)])
    z, p = mann_kendall_rows(rows)
    for i, row in enumerate(rows):
        reference = pymannkendall.original_test(row)
        assert z[i] == pytest.approx(reference.z, abs=1e-12)
        assert p[i] == pytest.approx(reference.p, abs=1e-12)


def test_gistar_z_equals_esda_for_every_period():
    hexes = hex_grid(shapely.box(0, 0, 3000, 2500), 300.0)
    graph = build_graph(hexes, parse_neighbours("queen"), tolerance_m=1.0)
    rng = np.random.default_rng(SEED)
    values = rng.poisson(3, (len(hexes), 4)).astype(float)
    z = gistar_z(values, graph)
    weights = graph.to_W()
    weights.transform = "B"
    order = [list(graph.unique_ids).index(code) for code in weights.id_order]
    for period in range(4):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            direct = G_Local(values[order, period], weights, transform="B", star=True, permutations=0)
        assert_allclose(z[order, period], direct.Zs, atol=1e-12)


@pytest.mark.parametrize(
    ("hot", "cold", "trend_z", "expected"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, 1], [0] * 10, 0.0, "new hot spot"),
        ([0, 0, 0, 0, 0, 0, 0, 1, 1, 1], [0] * 10, 0.0, "consecutive hot spot"),
        ([1] * 10, [0] * 10, 3.0, "intensifying hot spot"),
        ([1] * 10, [0] * 10, 0.0, "persistent hot spot"),
        ([1] * 10, [0] * 10, -3.0, "diminishing hot spot"),
        ([0, 1, 0, 1, 0, 0, 1, 0, 0, 1], [0] * 10, 0.0, "sporadic hot spot"),
        ([0, 1, 0, 0, 0, 0, 1, 0, 0, 1], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.0, "oscillating hot spot"),
        ([1] * 9 + [0], [0] * 10, 0.0, "historical hot spot"),
    ],
    ids=[
        "new",
        "consecutive",
        "intensifying",
        "persistent",
        "diminishing",
        "sporadic",
        "oscillating",
        "historical",
    ],
)
def test_arcgis_categories(hot, cold, trend_z, expected):
    pattern = _Pattern(
        np.array([hot], dtype=bool), np.array([cold], dtype=bool),
        np.array([trend_z]), np.array([0.001 if trend_z else 0.9]),
    )  # fmt: skip
    assert _categorise(pattern, kind="hot")[0] == expected


def test_week_hour_uses_only_timed_records():
    incidents = pd.DataFrame({
        "occurred": pd.to_datetime(["2024-01-05 23:30", "2024-01-06 01:10", "2024-01-01 00:00"]),
        "occurred_precision": ["datetime", "datetime", "date"],
    })  # fmt: skip
    matrix = week_hour_matrix(incidents)
    assert matrix.shape == (7, 24) and matrix.attrs["timed"] == 2
    assert matrix.loc["Friday", 23] == 1 and matrix.loc["Saturday", 1] == 1
    assert matrix.to_numpy().sum() == 2


def test_emerging_hotspot_of_the_demo_is_found(demo_store_path, session_config):
    import geopandas as gpd
    from pyproj import Transformer

    incidents = open_store(demo_store_path).incidents()
    violence = incidents[incidents["source"].isin(["police", "ambulance", "council"])]
    run = run_trends(violence, HotspotParams(areas="hex:500"), session_config)
    centre = shapely.Point(
        Transformer.from_crs(4326, 27700, always_xy=True).transform(EMERGING.lon_deg, EMERGING.lat_deg)
    )
    emerging = gpd.GeoDataFrame(run.emerging)
    at_centre = emerging[emerging.intersects(centre.buffer(200))]
    assert at_centre["category"].isin(["new hot spot", "consecutive hot spot", "intensifying hot spot"]).any()
    town = shapely.Point(
        Transformer.from_crs(4326, 27700, always_xy=True).transform(TOWNS[0].lon_deg, TOWNS[0].lat_deg)
    )
    assert emerging[emerging.contains(town)]["category"].str.contains("hot").all()
    assert run.trend["trend"] == "increasing"


def test_a_partial_last_month_is_said_and_left_out_of_the_trend_test(demo_store_path, session_config):
    incidents = open_store(demo_store_path).incidents()
    violence = incidents[incidents["source"].isin(["police", "ambulance", "council"])]
    last_month = violence["occurred"].max().to_period("M").to_timestamp()
    cut = violence[violence["occurred"] < last_month + pd.Timedelta(days=10)]
    run = run_trends(cut, HotspotParams(areas="hex:500"), session_config)
    last_day = cut.loc[cut["occurred_precision"] != "month", "occurred"].max()
    assert run.summary["latest_month_partial_to"] == f"{last_day:%Y-%m-%d}"
    totals = run.monthly.groupby("month")["incidents"].sum().to_numpy(dtype=float)
    assert run.trend == trend_test(totals[:-1])


def test_emerging_needs_two_periods():
    from svd_geo.base.errors import EmptySelectionError

    hexes = hex_grid(shapely.box(0, 0, 1000, 1000), 300.0)
    graph = build_graph(hexes, parse_neighbours("queen"), tolerance_m=1.0)
    with pytest.raises(EmptySelectionError, match="two periods"):
        emerging_hotspots(pd.DataFrame({"2024-01": 1.0}, index=hexes["area_code"]), graph)
