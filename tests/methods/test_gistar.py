"""svd_geo.methods.gistar."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from esda.getisord import G_Local
from libpysal.weights import Queen
from numpy.testing import assert_allclose

from svd_geo.base.errors import DataValidationError
from svd_geo.methods.gistar import build_graph, classify, getis_ord, hex_grid, parse_neighbours
from svd_geo.sources.boundaries import load_boundaries
from tests.conftest import SEED
from tests.support.gistar import lattice


def test_matches_esda_called_directly():
    areas = lattice(8)
    rng = np.random.default_rng(SEED)
    counts = pd.Series(rng.poisson(5, len(areas)).astype(float), index=areas["area_code"])
    counts.iloc[[27, 28, 35, 36]] += 25
    ours = getis_ord(areas, counts, parse_neighbours("queen"), permutations=999, seed=SEED)
    w = Queen.from_dataframe(areas, use_index=False)
    w.transform = "B"
    with pytest.warns(DeprecationWarning, match="alternative hypothesis"):
        direct = G_Local(
            counts.to_numpy(), w, transform="R", permutations=999, star=True, seed=SEED, n_jobs=1
        )
    assert_allclose(ours["z"], direct.Zs)
    assert_allclose(ours["p"], direct.p_sim)
    assert ours.loc[[27, 28, 35, 36], "class"].str.startswith("hot").all()


def test_plain_queen_finds_nothing_on_generalised_lsoas_but_ours_does(config):
    from libpysal.graph import Graph

    lsoas = load_boundaries("lsoa", config, vintage=2011)
    plain = Graph.build_contiguity(lsoas.set_index("area_code").geometry, rook=False)
    assert len(plain.isolates) == len(lsoas)
    ours = build_graph(lsoas, parse_neighbours("queen"), tolerance_m=5.0)
    assert len(ours.isolates) == 0
    assert 4.5 < ours.cardinalities.mean() < 6.5


def test_rook_drops_corner_neighbours():
    areas = lattice(3)
    queen = build_graph(areas, parse_neighbours("queen"), tolerance_m=1.0).cardinalities
    rook = build_graph(areas, parse_neighbours("rook"), tolerance_m=1.0).cardinalities
    assert queen["C004"] == 8 and rook["C004"] == 4
    assert queen["C000"] == 3 and rook["C000"] == 2


def test_knn_and_distance_band():
    areas = lattice(5)
    assert (build_graph(areas, parse_neighbours("knn:4"), tolerance_m=1.0).cardinalities == 4).all()
    band = build_graph(areas, parse_neighbours("distance:100"), tolerance_m=1.0).cardinalities
    assert band["C012"] == 4 and band["C000"] == 2


def test_islands_are_reported_and_left_out():
    areas = lattice(4)
    far = gpd.GeoDataFrame(
        {"area_code": ["FAR"], "area_name": ["Far"]},
        geometry=[shapely.box(5000, 5000, 5100, 5100)],
        crs=27700,
    )
    areas = pd.concat([areas, far], ignore_index=True)
    counts = pd.Series(np.arange(len(areas), dtype=float), index=areas["area_code"])
    result = getis_ord(areas, counts, parse_neighbours("queen"), permutations=99, tolerance_m=1.0)
    island = result.set_index("area_code").loc["FAR"]
    assert island["island"] and island["class"] == "island" and np.isnan(island["z"])
    assert result["island"].sum() == 1


def test_fdr_adjusted_p_is_never_smaller():
    areas = lattice(6)
    counts = pd.Series(np.arange(36, dtype=float), index=areas["area_code"])
    result = getis_ord(areas, counts, parse_neighbours("queen"), permutations=199, seed=1, tolerance_m=1.0)
    assert (result["p_fdr"] >= result["p"] - 1e-12).all()


def test_constant_values_are_refused():
    from svd_geo.base.errors import EmptySelectionError

    areas = lattice(3)
    with pytest.raises(EmptySelectionError, match="same value"):
        getis_ord(areas, pd.Series(2.0, index=areas["area_code"]), parse_neighbours("queen"), tolerance_m=1.0)


def test_classes():
    z = np.array([3.0, 2.0, -2.0, 1.0, -1.0])
    p = np.array([0.001, 0.04, 0.08, 0.5, 0.01])
    assert classify(z, p).tolist() == ["hot 99%", "hot 95%", "cold 90%", "not significant", "cold 99%"]


def test_hex_grid_covers_the_region_with_regular_hexagons():
    region = shapely.box(0, 0, 2000, 1500)
    hexes = hex_grid(region, 250.0)
    assert_allclose(hexes.area, np.sqrt(3) / 2 * 250.0**2)
    assert region.difference(hexes.union_all()).area < 1e-3
    assert hexes["area_code"].is_unique
    graph = build_graph(hexes, parse_neighbours("queen"), tolerance_m=1.0)
    assert graph.cardinalities.max() == 6


def test_bad_neighbour_rule():
    with pytest.raises(DataValidationError, match="write queen, rook, knn:K"):
        parse_neighbours("bishop")
