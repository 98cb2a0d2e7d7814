"""svd_geo.methods.grid."""

from __future__ import annotations

from svd_geo.methods.kde import compute_kde
from tests.support.kde import clustered_points


def test_grid_edges_are_multiples_of_the_cell_size_and_cover_the_reach():
    x, y = clustered_points(50)
    surface = compute_kde(x, y, bandwidth_m=200.0, cell_size_m=25.0)
    west, south, east, north = surface.grid.bounds()
    for edge in (west, south, east, north):
        assert edge % 25.0 == 0
    assert west <= x.min() - 200 and east >= x.max() + 200
    assert south <= y.min() - 200 and north >= y.max() + 200
