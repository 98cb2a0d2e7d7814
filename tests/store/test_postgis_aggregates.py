"""svd_geo.store.postgis_aggregates: counts and gridded weights the server computes, against numpy's."""

from __future__ import annotations

import numpy as np
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


def test_the_server_bins_points_as_linear_bin_does(demo):
    store, _, x, y, grid = demo
    shares = store.binned_points(RowFilter(), grid)
    binned = np.zeros(grid.nx * grid.ny)
    for column, (dx, dy) in {"w00": (0, 0), "w10": (1, 0), "w01": (0, 1), "w11": (1, 1)}.items():
        cells = (shares["iy"] + dy) * grid.nx + shares["ix"] + dx
        np.add.at(binned, cells.to_numpy(), shares[column].to_numpy())
    np.testing.assert_allclose(
        binned.reshape(grid.ny, grid.nx), linear_bin(x, y, np.ones(len(x)), grid), atol=1e-9
    )
    assert shares["records"].sum() == len(x)


def test_the_server_counts_the_points_of_chosen_cells_only(demo):
    store, located, x, y, grid = demo
    cells = cell_index(grid, x, y)
    chosen = np.unique(cells)[::7]
    counted = store.cell_records(RowFilter(sources=("police",)), grid, chosen, ("place",))
    police = located["source"].eq("police").to_numpy()
    expected = np.isin(cells, chosen) & police
    assert counted["records"].sum() == expected.sum() > 0
    assert set(counted["iy"] * grid.nx + counted["ix"]) <= set(chosen.tolist())
    none = store.cell_records(RowFilter(), grid, np.array([], dtype=np.int64), ("place",))
    assert none.empty and list(none.columns) == ["ix", "iy", "place", "records"]


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
    count, bounds = store.point_extent(RowFilter(date_from=None))
    assert count == len(x) and bounds == pytest.approx((x.min(), y.min(), x.max(), y.max()))
    assert store.point_extent(RowFilter(sources=("nobody",)))[0] == 0


def test_a_key_that_is_no_column_is_refused_before_any_sql(demo):
    store, *_ = demo
    with pytest.raises(ValueError, match="not 'geom'"):
        store.grouped_points(RowFilter(), ("geom",))
