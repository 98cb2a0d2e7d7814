"""svd_geo.analyses.members."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from svd_geo.analyses.coverage import coverage
from svd_geo.analyses.members import first_polygon, hotspot_members, hotspot_polygons
from svd_geo.analyses.params import HotspotParams
from svd_geo.analyses.run import run_hotspots
from tests.support.coverage import box, frame, incidents_at

LATTICE_M = 25.0


@pytest.fixture(scope="module")
def on_cell_edges():
    """Incidents at whole multiples of 25 m, as a council's eastings: every one on a KDE cell's corner."""
    rng = np.random.default_rng(7)
    spread = rng.integers(0, 60, size=(1500, 2)) * LATTICE_M
    blob = rng.normal(750, 60, size=(1500, 2)) // LATTICE_M * LATTICE_M
    points = incidents_at([(x, y, 1, 1.0) for x, y in np.vstack([spread, blob])])
    return points.assign(occurred_precision="date", category="Violence and sexual offences")


def _no_places():
    return frame([], id=[], name=[], partner=[], type=[], start_date=[], end_date=[])


METHODS = [
    HotspotParams(method="kde", bandwidth_m=100, cell_size_m=LATTICE_M, threshold="p95"),
    HotspotParams(method="dbscan", eps_m=60, min_samples=12),
    HotspotParams(method="gistar", areas="hex:200", permutations=99),
]


@pytest.mark.parametrize("params", METHODS, ids=lambda p: p.method)
def test_coverage_counts_each_hotspot_as_its_layer_does(on_cell_edges, session_config, params):
    run = run_hotspots(on_cell_edges, params, session_config)
    polygons = hotspot_polygons(run)
    assert len(polygons) > 0
    result = coverage(
        polygons, on_cell_edges, _no_places(), study_area_m2=1e7, members=hotspot_members(run, on_cell_edges)
    )
    layer_counts = polygons["incidents"] if "incidents" in polygons else polygons["count"]
    assert result.hotspots["incidents"].tolist() == layer_counts.astype(int).tolist()


def test_points_on_a_density_hotspots_edge_go_where_the_cells_put_them(on_cell_edges, session_config):
    run = run_hotspots(on_cell_edges, METHODS[0], session_config)
    polygons = hotspot_polygons(run)
    edges = shapely.boundary(shapely.union_all(polygons.geometry.to_numpy()))
    assert shapely.intersects(on_cell_edges.geometry.to_numpy(), edges).sum() > 0  # the case that misled
    by_polygon = coverage(polygons, on_cell_edges, _no_places(), study_area_m2=1e7)
    assert by_polygon.hotspots["incidents"].tolist() != polygons["incidents"].tolist()


def test_first_polygon_takes_the_lowest_position_and_counts_the_edge():
    polygons = np.array([box(0, 0, 100, 100), box(100, 0, 200, 100), box(0, 0, 300, 100)])
    xy = np.array([[b.centroid.x, b.centroid.y] for b in [box(40, 40, 60, 60), box(140, 40, 160, 60)]])
    edge = np.array([[polygons[0].bounds[2], polygons[0].bounds[1] + 50]])
    outside = np.array([[0.0, 0.0]])
    found = first_polygon(polygons, np.vstack([xy, edge, outside]))
    assert found.tolist() == [0, 1, 0, -1]
