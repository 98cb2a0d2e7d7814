"""svd_geo.store.demo."""

from __future__ import annotations

import numpy as np

from svd_geo.store.demo import write_demo_files


def test_same_seed_gives_identical_files_and_another_seed_differs(session_config, tmp_path):
    first = write_demo_files(tmp_path / "a", session_config, seed=7, incidents=600)
    again = write_demo_files(tmp_path / "b", session_config, seed=7, incidents=600)
    other = write_demo_files(tmp_path / "c", session_config, seed=8, incidents=600)
    assert set(first) == {"police", "ambulance", "ed", "council", "youth"}
    for source in first:
        assert first[source].read_bytes() == again[source].read_bytes()
        assert first[source].name.startswith("SYNTHETIC-")
    assert first["police"].read_bytes() != other["police"].read_bytes()


def test_every_partner_source_is_present_and_labelled_synthetic(demo_data):
    store, incidents = demo_data
    imports = store.imports()
    assert imports["synthetic"].all()
    assert set(incidents["source"]) == {"police", "ambulance", "ed", "council", "youth"}
    assert len(incidents) == 4000
    assert store.counts()["interventions"] >= 4
    assert store.interventions()["synthetic"].all()


def test_location_kinds_per_partner(demo_data):
    _, incidents = demo_data
    precision = incidents.groupby("source")["location_precision"].agg(lambda s: set(s))
    assert precision["police"] == {"snapped"}
    assert precision["ed"] == {"area"} and precision["youth"] == {"area"}
    assert precision["ambulance"] == {"exact"} and precision["council"] == {"exact"}
    police = incidents[incidents["source"] == "police"]
    assert police.geometry.nunique() < len(police) * 0.75  # many crimes share a snap point


def test_points_fall_inside_the_districts(demo_data):
    _, incidents = demo_data
    located = incidents[incidents.geometry.notna()]
    assert located["in_study_area"].mean() > 0.97
    assert np.isfinite(located.geometry.x).all()
