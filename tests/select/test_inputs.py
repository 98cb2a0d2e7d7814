"""svd_geo.select.inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from svd_geo.analyses.params import HotspotParams
from svd_geo.analyses.run import run_hotspots
from svd_geo.analyses.units import area_values
from svd_geo.select.inputs import load_input
from svd_geo.sources.areas import study_context

SEED = 11


@pytest.fixture
def ambulance_csv(write_csv):
    """An ambulance-shaped extract with distinct points, bad rows and a blank location among them."""
    rng = np.random.default_rng(SEED)
    x = np.round(453_700 + rng.normal(0, 300, 3000))
    y = np.round(360_900 + rng.normal(0, 300, 3000))
    rows = [
        f"{e:.0f},{n:.0f},Violence,{d % 28 + 1:02d}/03/2024"
        for e, n, d in zip(x, y, range(3000), strict=True)
    ]
    rows[5] = "not a number,360900,Violence,01/03/2024"
    rows[9] = ",,Violence,01/03/2024"
    rows[12] = "453700,360900,Violence,31/02/2024"
    return write_csv("easting,northing,category,date\n" + "\n".join(rows) + "\n")


def test_lean_reading_gives_the_same_incidents_and_results_without_point_objects(ambulance_csv, config):
    whole = load_input(ambulance_csv, config, join_areas=False, points=True)
    lean = load_input(ambulance_csv, config, join_areas=False, points=False)
    assert lean.geometry.isna().all() and whole.geometry.notna().all()
    pd.testing.assert_frame_equal(
        pd.DataFrame(whole.drop(columns="geometry")), pd.DataFrame(lean.drop(columns="geometry"))
    )
    assert lean.attrs["rows"] == whole.attrs["rows"] == 3000
    assert len(lean) == 2997  # the bad number, the blank location and 31 February are set aside
    kde = HotspotParams(method="kde", bandwidth_m=200.0, cell_size_m=25.0)
    np.testing.assert_array_equal(
        run_hotspots(whole, kde, config, polygons=False).surface.density_km2,
        run_hotspots(lean, kde, config, polygons=False).surface.density_km2,
    )
    dbscan = HotspotParams(method="dbscan", eps_m=60.0, min_samples=15)
    whole_run, lean_run = run_hotspots(whole, dbscan, config), run_hotspots(lean, dbscan, config)
    pd.testing.assert_frame_equal(whole_run.labels, lean_run.labels)
    assert whole_run.summary["clusters"] == lean_run.summary["clusters"] > 0


def test_placing_points_in_areas_refuses_incidents_read_without_point_objects(ambulance_csv, config):
    lean = load_input(ambulance_csv, config, join_areas=False, points=False)
    wards, _ = study_context(config)
    with pytest.raises(ValueError, match="without point geometries"):
        area_values(lean, wards, HotspotParams(method="gistar", areas="hex:250"))
