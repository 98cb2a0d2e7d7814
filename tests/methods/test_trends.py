"""svd_geo.methods.trends."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pymannkendall
import pytest
import shapely
from esda.getisord import G_Local
from numpy.testing import assert_allclose

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
from tests.conftest import SEED


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


def test_emerging_needs_two_periods():
    from svd_geo.base.errors import EmptySelectionError

    hexes = hex_grid(shapely.box(0, 0, 1000, 1000), 300.0)
    graph = build_graph(hexes, parse_neighbours("queen"), tolerance_m=1.0)
    with pytest.raises(EmptySelectionError, match="two periods"):
        emerging_hotspots(pd.DataFrame({"2024-01": 1.0}, index=hexes["area_code"]), graph)
