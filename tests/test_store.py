"""The GeoPackage store: atomic, idempotent, removable imports."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from svd_geo.base.errors import EmptySelectionError, StoreError
from svd_geo.partner.ingest import prepare_import
from svd_geo.store import geopackage as store_module
from svd_geo.store.geopackage import open_store

SAMPLE = Path(__file__).parent / "data" / "police_uk_20.csv"


def snapshot(path: Path) -> tuple[int, int, int, list[tuple]]:
    with sqlite3.connect(path) as connection:
        counts = [
            connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("incidents", "imports", "rejected")
        ]
        log = connection.execute("SELECT fid, file, sha256 FROM imports ORDER BY fid").fetchall()
    return (*counts, log)


@pytest.fixture
def prepared_sample(config):
    return prepare_import(SAMPLE, "police", config)


@pytest.fixture
def ed_prepared(config, write_csv):
    path = write_csv("date,lsoa code\n2024-01-01,E01028268\n2024-01-02,BAD\n", name="ed.csv")
    return prepare_import(path, "ed", config)


def test_new_store_is_a_geopackage_with_the_layers(config):
    store = open_store(config.store_path)
    layers = {name for name, _ in pyogrio.list_layers(store.path)}
    assert layers == {"incidents", "interventions", "imports", "rejected"}
    assert store.counts() == {"incidents": 0, "imports": 0, "interventions": 0}


def test_import_stores_incidents_log_and_rejected_rows(config, prepared_sample, ed_prepared):
    store = open_store(config.store_path)
    first = store.add_import(prepared_sample)
    second = store.add_import(ed_prepared)
    assert (first.import_id, first.accepted) == (1, 20)
    assert (second.accepted, second.rejected) == (1, 1)
    incidents = store.incidents()
    assert len(incidents) == 21
    assert incidents.crs.to_epsg() == 27700
    assert incidents.geometry.isna().sum() == 1
    log = store.imports()
    assert log["file"].tolist() == ["police_uk_20.csv", "ed.csv"]
    assert log["sha256"].iloc[0] == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    rejected = store.rejected(second.import_id)
    assert rejected[["row", "line", "column", "value"]].values.tolist() == [[1, 3, "lsoa code", "BAD"]]


def test_incidents_carry_their_coordinates_beside_the_geometry(config, prepared_sample, ed_prepared):
    import numpy as np
    import shapely

    from svd_geo.select.points import point_incidents, point_xy

    store = open_store(config.store_path)
    store.add_import(prepared_sample)
    store.add_import(ed_prepared)
    for frame in (prepared_sample.incidents, store.incidents()):
        present = frame.geometry.notna().to_numpy()
        coordinates = shapely.get_coordinates(frame.geometry.to_numpy())
        assert np.array_equal(frame.loc[present, ["easting_m", "northing_m"]].to_numpy(), coordinates)
        assert frame.loc[~present, "easting_m"].isna().all()
    incidents = store.incidents()
    points = point_incidents(incidents)
    assert np.array_equal(
        np.column_stack(point_xy(points)), shapely.get_coordinates(points.geometry.to_numpy())
    )
    degrees = points.to_crs(4326)  # the columns hold metres: a reprojected frame reads its geometry
    assert np.allclose(point_xy(degrees)[0], degrees.geometry.x)
    with pytest.raises(ValueError, match="point"):
        point_xy(incidents)
    slim = point_incidents(incidents, columns=["weight"])
    assert list(slim.columns) == ["weight", "geometry", "easting_m", "northing_m"] and len(slim) == 20
    plain = point_incidents(incidents.drop(columns=["easting_m", "northing_m"]))
    assert plain.index.equals(points.index)  # the same rows kept, judged from the geometry


def test_same_file_twice_adds_nothing(config, prepared_sample):
    store = open_store(config.store_path)
    store.add_import(prepared_sample)
    before = snapshot(store.path)
    again = store.add_import(prepared_sample)
    assert again.already_imported and again.import_id == 1
    assert snapshot(store.path) == before


def test_remove_import_removes_only_its_rows(config, prepared_sample, ed_prepared):
    store = open_store(config.store_path)
    store.add_import(prepared_sample)
    ed = store.add_import(ed_prepared)
    assert store.remove_import(ed.import_id) == 1
    assert len(store.incidents()) == 20
    assert store.rejected().empty
    assert store.imports()["id"].tolist() == [1]


def test_remove_unknown_import_names_the_known_ids(config, prepared_sample):
    store = open_store(config.store_path)
    store.add_import(prepared_sample)
    with pytest.raises(EmptySelectionError, match="no import with id 9; the store has 1"):
        store.remove_import(9)


def test_exception_mid_import_leaves_store_unchanged(config, prepared_sample, ed_prepared, monkeypatch):
    store = open_store(config.store_path)
    store.add_import(prepared_sample)
    before = snapshot(store.path)

    def fail(connection):
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(store_module, "_after_incidents", fail)
    with pytest.raises(RuntimeError, match="disk pulled out"):
        store.add_import(ed_prepared)
    assert snapshot(store.path) == before
    assert not list(store.path.parent.glob("tmp*"))


def test_kill_mid_import_leaves_store_unchanged(config, prepared_sample):
    store = open_store(config.store_path)
    store.add_import(prepared_sample)
    before = snapshot(store.path)
    script = textwrap.dedent(
        f"""
        import os, signal
        from dataclasses import replace
        from pathlib import Path
        from svd_geo.store import geopackage as store_module
        from svd_geo.base.config import Config
        from svd_geo.partner.ingest import prepare_import
        config = replace(Config(), mirror_dir=Path({str(config.mirror_dir)!r}), cache_dir=Path({str(config.cache_dir)!r}), allow_download=False)
        prepared = prepare_import(Path({str(SAMPLE)!r}), "police", config)
        prepared = type(prepared)(prepared.file_name, "0" * 64, "police", prepared.incidents, prepared.rejected, prepared.detections)
        def die(connection):
            os.kill(os.getpid(), signal.SIGKILL)
        store_module._after_incidents = die
        store_module.open_store(Path({str(store.path)!r})).add_import(prepared)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == -9, result.stderr
    reopened = open_store(store.path)
    assert snapshot(reopened.path) == before
    assert len(reopened.incidents()) == 20


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    other = tmp_path / "other.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"a": [1]}), other, layer="stuff")
    with pytest.raises(StoreError, match="not an svd-geo store"):
        open_store(other)


def test_version_changes_when_content_changes(config, prepared_sample):
    store = open_store(config.store_path)
    before = store.version()
    store.add_import(prepared_sample)
    assert store.version() != before


def test_summary_counts_in_sql_equal_counts_of_the_incidents(demo_store_path):
    from svd_geo.store.summary import summarise_store

    store = open_store(demo_store_path)
    incidents = store.incidents()
    summary = summarise_store(store)
    assert summary.incidents == len(incidents)
    by_source = summary.by_source.set_index("source")
    assert by_source["incidents"].to_dict() == incidents["source"].value_counts().to_dict()
    area_only = incidents.geometry.isna().groupby(incidents["source"]).sum()
    assert by_source["area_only"].to_dict() == area_only.to_dict()
    outside = (~incidents["in_study_area"]).groupby(incidents["source"]).sum()
    assert by_source["outside_study_area"].to_dict() == outside.to_dict()
    pairs = incidents.groupby(["source", "category"]).size()
    assert (
        summary.by_category.set_index(["source", "category"])["incidents"]
        .sort_index()
        .equals(pairs.rename("incidents").sort_index())
    )
    assert summary.by_category["incidents"].is_monotonic_decreasing
    months = incidents["occurred"].dt.to_period("M").dt.to_timestamp()
    expected = incidents.groupby([months.rename("month"), "source"]).size()
    assert summary.by_month.set_index(["month", "source"])["incidents"].equals(expected.rename("incidents"))
    assert summary.period == (incidents["occurred"].min(), incidents["occurred"].max())
    assert summary.synthetic


def test_a_store_written_before_places_were_kept_gains_the_column_and_keeps_its_rows(config, prepared_sample):
    store = open_store(config.store_path)
    store.add_import(prepared_sample)
    stored_places = store.incidents()["place"]
    assert stored_places.tolist() == prepared_sample.incidents["place"].tolist()
    assert stored_places.str.startswith("On or near").any()
    with sqlite3.connect(config.store_path) as connection:
        connection.execute("ALTER TABLE incidents DROP COLUMN place")
    before = snapshot(config.store_path)
    reopened = open_store(config.store_path)
    assert snapshot(config.store_path) == before
    places = reopened.incidents()["place"]
    assert len(places) == prepared_sample.incidents.shape[0] and (places == "").all()
