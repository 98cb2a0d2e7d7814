"""svd_geo.analyses.run."""

from __future__ import annotations

import numpy as np
import pytest

from svd_geo.analyses.params import HotspotParams
from svd_geo.analyses.run import run_hotspots, run_parameters
from svd_geo.store.backends import open_store


@pytest.fixture(scope="module")
def demo_incidents_all(demo_store_path):
    return open_store(demo_store_path).incidents()


def test_density_counts_only_the_incidents_with_a_point(demo_incidents_all, session_config):
    located = int(demo_incidents_all.geometry.notna().sum())
    run = run_hotspots(demo_incidents_all, HotspotParams(method="kde"), session_config)
    assert run.summary["incidents"] == len(demo_incidents_all) and run.summary["located"] == located
    cell_km2 = run.surface.grid.cell_size_m**2 / 1e6
    assert run.surface.density_km2.sum() * cell_km2 == pytest.approx(located, rel=1e-3)
    assert run.layer["incidents"].sum() <= located and (np.diff(run.layer["incidents"]) <= 0).all()


def test_clusters_label_every_incident_with_a_point_and_their_sizes_add_up(
    demo_incidents_all, session_config
):
    run = run_hotspots(demo_incidents_all, HotspotParams(method="dbscan"), session_config)
    clustered = run.labels["cluster"].to_numpy()
    assert len(clustered) == int(demo_incidents_all.geometry.notna().sum()) == run.summary["points"]
    sizes = np.bincount(clustered[clustered >= 0])
    assert sorted(sizes, reverse=True) == run.layer["incidents"].tolist()


def test_a_runs_parameters_are_its_own_methods_with_the_definition_in_words(
    demo_incidents_all, session_config
):
    run = run_hotspots(demo_incidents_all, HotspotParams(method="dbscan"), session_config)
    parameters = run_parameters(run)
    assert parameters["method"] == "dbscan" and "eps_m" in parameters and "bandwidth_m" not in parameters
    assert parameters["definition"] == HotspotParams(method="dbscan").describe()
