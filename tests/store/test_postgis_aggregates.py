"""svd_geo.store.postgis_aggregates: counts and gridded weights the server computes, against numpy's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from svd_geo.methods.grid import cell_index, grid_around, linear_bin
from svd_geo.store.backends import open_store
from svd_geo.store.protocol import RowFilter


@pytest.fixture(scope="module")
def demo(demo_postgis_url):
    store = open_store(demo_postgis_url)
    rows = store.incidents()
    located = rows[rows["easting_m"].notna()]
    x, y = located["easting_m"].to_numpy(), located["northing_m"].to_numpy()
    return store, located, x, y, grid_around(x, y, cell_size_m=25.0, margin_m=275.0)


def _on_grid(bins, grid):
    """The lattice bins with a point, and their lower-left centres on the grid."""
    located = bins[bins["gx"].notna()]
    ix = located["gx"].to_numpy("int64") - round(grid.x0_m / grid.cell_size_m)
    iy = located["gy"].to_numpy("int64") - round(grid.y0_m / grid.cell_size_m)
    return located, ix, iy


def test_the_server_bins_points_on_the_lattice_as_linear_bin_does(demo):
    store, _, x, y, grid = demo
    located, ix, iy = _on_grid(store.lattice_bins(RowFilter(), grid.cell_size_m), grid)
    binned = np.zeros(grid.nx * grid.ny)
    for column, (dx, dy) in {"w00": (0, 0), "w10": (1, 0), "w01": (0, 1), "w11": (1, 1)}.items():
        np.add.at(binned, (iy + dy) * grid.nx + ix + dx, located[column].to_numpy())
    np.testing.assert_allclose(
        binned.reshape(grid.ny, grid.nx), linear_bin(x, y, np.ones(len(x)), grid), atol=1e-9
    )
    assert located["records"].sum() == len(x)
    bounds = (
        located["xmin_m"].min(),
        located["ymin_m"].min(),
        located["xmax_m"].max(),
        located["ymax_m"].max(),
    )
    assert bounds == pytest.approx((x.min(), y.min(), x.max(), y.max()))


def test_the_lattice_bins_say_the_cell_each_point_lies_in_and_count_those_without_one(demo):
    store, located_rows, x, y, grid = demo
    bins = store.lattice_bins(RowFilter(sources=("police",)), grid.cell_size_m, ("place",))
    located, ix, iy = _on_grid(bins, grid)
    counted = pd.Series(dtype="int64")
    for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
        cell = (iy + dy) * grid.nx + ix + dx
        counted = counted.add(pd.Series(located[f"n{dx}{dy}"].to_numpy()).groupby(cell).sum(), fill_value=0)
    police = located_rows["source"].eq("police").to_numpy()
    expected = pd.Series(cell_index(grid, x, y)[police]).value_counts()
    assert counted[counted > 0].astype(int).to_dict() == expected.to_dict()
    assert (located[["n00", "n10", "n01", "n11"]].sum(axis=1) == located["records"]).all()
    rows = store.incidents()
    unlocated = rows["easting_m"].isna() & rows["source"].eq("police")
    assert bins.loc[bins["gx"].isna(), "records"].sum() == unlocated.sum()
    assert set(bins["place"]) <= set(rows["place"])


def test_points_are_grouped_by_place_and_spread_is_numpys(demo):
    store, _, x, y, _ = demo
    points = store.grouped_points(RowFilter())
    assert points["records"].sum() == len(x) and len(points) == len(set(zip(x, y, strict=True)))
    n, spreads = store.point_spread(RowFilter())
    assert n == len(x)
    for values, (std, q25, q75) in zip((x, y), spreads, strict=True):
        assert std == pytest.approx(np.std(values)) and (q25, q75) == pytest.approx(
            np.percentile(values, [25, 75])
        )
    assert store.point_count(RowFilter(date_from=None)) == len(x)
    assert store.point_count(RowFilter(sources=("nobody",))) == 0


def test_a_key_that_is_no_column_is_refused_before_any_sql(demo):
    store, *_ = demo
    with pytest.raises(ValueError, match="not 'geom'"):
        store.grouped_points(RowFilter(), ("geom",))


def test_points_near_some_cells_or_an_area_are_the_only_ones_grouped(demo):
    import shapely

    from svd_geo.store.postgis_aggregates import Nearby

    store, _, x, y, grid = demo
    size = grid.cell_size_m
    gx, gy = np.floor(x / size).astype(int), np.floor(y / size).astype(int)
    chosen = (int(gx[0]), int(gy[0]))
    in_cell = store.grouped_points(RowFilter(), near=Nearby(size, [chosen[0]], [chosen[1]], None, 0.0))
    expected = (gx == chosen[0]) & (gy == chosen[1])
    assert in_cell["records"].sum() == expected.sum() > 0
    area = shapely.box(x[0] - 300, y[0] - 300, x[0] + 300, y[0] + 300)
    near_area = store.grouped_points(RowFilter(), near=Nearby(size, [], [], shapely.to_wkb(area), 10.0))
    within = shapely.dwithin(area, shapely.points(x, y), 10.0)
    assert near_area["records"].sum() == within.sum() > 0
    assert near_area["records"].sum() < len(x)
