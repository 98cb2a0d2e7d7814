"""svd_geo.store.backends: both stores, GeoPackage and PostGIS, pass the same tests of the store's promises.

``store_location`` (tests/support/postgis.py) runs each test once on a GeoPackage
file and once on a database of a throw-away PostgreSQL cluster.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import random
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
import shapely

from svd_geo.base.errors import EmptySelectionError, StoreError
from svd_geo.store.backends import open_existing_store, open_store, store_exists
from tests.support.interventions import _frame
from tests.support.store import ONE_WORKER, SAMPLE


def backend_module(location: Path | str):
    """The module of the store at ``location``, whose ``_after_incidents`` seam a test can replace."""
    name = "postgis" if isinstance(location, str) else "geopackage"
    return importlib.import_module(f"svd_geo.store.{name}")


def contents(location: Path | str) -> tuple:
    """What a store holds, read through its interface: counts, imports log, set-aside rows, places."""
    store = open_store(location)
    log = store.imports()[["id", "file", "sha256", "accepted"]].values.tolist()
    return store.counts(), log, len(store.rejected()), len(store.interventions())


def whole(location: Path | str) -> tuple[int, int]:
    """The store's incidents, and the incidents its imports log says it holds."""
    store = open_store(location)
    return store.counts()["incidents"], int(store.imports()["accepted"].sum())


def test_import_stores_incidents_log_and_rejected_rows(store_location, prepared_sample, ed_prepared):
    store = open_store(store_location)
    first = store.add_import(prepared_sample)
    second = store.add_import(ed_prepared)
    assert (first.import_id, first.accepted) == (1, 20)
    assert (second.accepted, second.rejected) == (1, 1)
    incidents = store.incidents()
    assert len(incidents) == 21 and incidents.crs.to_epsg() == 27700
    assert incidents.geometry.isna().sum() == 1
    log = store.imports()
    assert log["file"].tolist() == ["police_uk_20.csv", "ed.csv"]
    assert log["sha256"].iloc[0] == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    rejected = store.rejected(second.import_id)
    assert rejected[["row", "line", "column", "value"]].values.tolist() == [[1, 3, "lsoa code", "BAD"]]


def test_both_backends_give_back_the_same_incidents(tmp_path, postgis_url, prepared_sample, ed_prepared):
    stores = [open_store(tmp_path / "store.gpkg"), open_store(postgis_url)]
    for store in stores:
        store.add_import(prepared_sample)
        store.add_import(ed_prepared)
    embedded, shared = (store.incidents() for store in stores)
    assert list(embedded.columns) == list(shared.columns) and embedded.dtypes.equals(shared.dtypes)
    pd.testing.assert_frame_equal(embedded.drop(columns="geometry"), shared.drop(columns="geometry"))
    assert embedded.geometry.equals(shared.geometry)
    tables = [store.incident_tables() for store in stores]
    for name in ("by_source", "by_category", "by_month"):
        pd.testing.assert_frame_equal(tables[0][name], tables[1][name], check_dtype=False)
    assert pd.Timestamp(tables[0]["period"].iloc[0, 0]) == pd.Timestamp(tables[1]["period"].iloc[0, 0])


def test_same_file_twice_adds_nothing(store_location, prepared_sample):
    store = open_store(store_location)
    store.add_import(prepared_sample)
    before = contents(store_location)
    again = store.add_import(prepared_sample)
    assert again.already_imported and again.import_id == 1
    assert contents(store_location) == before


def test_remove_import_removes_only_its_rows_and_names_the_known_ids(
    store_location, prepared_sample, ed_prepared
):
    store = open_store(store_location)
    store.add_import(prepared_sample)
    ed = store.add_import(ed_prepared)
    assert store.remove_import(ed.import_id) == 1
    assert len(store.incidents()) == 20 and store.rejected().empty
    assert store.imports()["id"].tolist() == [1]
    with pytest.raises(EmptySelectionError, match="no import with id 9; the store has 1"):
        store.remove_import(9)


def test_store_edit_replaces_atomically_and_remove_names_known_ids(store_location):
    store = open_store(store_location)
    first = _frame([shapely.box(454_000, 360_000, 454_100, 360_100), shapely.box(0, 0, 10, 10)])
    store.add_interventions(first)
    ids = list(store.interventions()["id"])
    edited = _frame([shapely.box(454_000, 360_000, 454_200, 360_100)])
    edited["name"] = "widened"
    store.add_interventions(edited, replacing=ids[0])
    places = store.interventions()
    assert sorted(places["name"]) == ["place 1", "widened"]
    assert places.set_index("name").area["widened"] == pytest.approx(20_000)
    with pytest.raises(StoreError, match="no intervention 999"):
        store.add_interventions(edited, replacing=999)
    assert len(store.interventions()) == 2  # the failed edit added nothing
    store.remove_intervention(ids[1])
    with pytest.raises(StoreError, match=r"there are: \d"):
        store.remove_intervention(ids[1])
    assert list(store.interventions()["name"]) == ["widened"]


def test_a_missing_store_is_not_created_by_reading(store_location):
    assert not store_exists(store_location)
    with pytest.raises(StoreError, match="no store there"):
        open_existing_store(store_location)
    open_store(store_location)
    assert store_exists(store_location) and open_existing_store(store_location).counts()["incidents"] == 0


def test_exception_mid_import_leaves_store_unchanged(
    store_location, prepared_sample, ed_prepared, monkeypatch
):
    store = open_store(store_location)
    store.add_import(prepared_sample)
    before = contents(store_location)

    def fail(connection):
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(backend_module(store_location), "_after_incidents", fail)
    with pytest.raises(RuntimeError, match="disk pulled out"):
        store.add_import(ed_prepared)
    assert contents(store_location) == before


@ONE_WORKER
def test_kill_mid_import_leaves_store_unchanged(store_location, config, prepared_sample):
    open_store(store_location).add_import(prepared_sample)
    before = contents(store_location)
    module = backend_module(store_location).__name__
    script = textwrap.dedent(
        f"""
        import os, signal, importlib
        from dataclasses import replace
        from pathlib import Path
        from svd_geo.base.config import Config, store_location
        from svd_geo.partner.ingest import prepare_import
        from svd_geo.store.backends import open_store
        config = replace(Config(), mirror_dir=Path({str(config.mirror_dir)!r}), cache_dir=Path({str(config.cache_dir)!r}), allow_download=False)
        prepared = prepare_import(Path({str(SAMPLE)!r}), "police", config)
        prepared = type(prepared)(prepared.file_name, "0" * 64, "police", prepared.incidents, prepared.rejected, prepared.detections)
        def die(connection):
            os.kill(os.getpid(), signal.SIGKILL)
        importlib.import_module({module!r})._after_incidents = die
        open_store(store_location({str(store_location)!r})).add_import(prepared)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == -9, result.stderr
    assert contents(store_location) == before and len(open_store(store_location).incidents()) == 20


def _big_police_file(path: Path, rows: int) -> Path:
    """A police.uk street CSV of ``rows`` rows, for imports that take long enough to be interrupted."""
    sample = SAMPLE.read_text().splitlines()
    body = [line for line in sample[1:] if line.split(",")[4]]  # rows with a location
    path.write_text("\n".join([sample[0], *(body[i % len(body)] for i in range(rows))]) + "\n")
    return path


def _importer(location: Path | str, csv_path: Path, config) -> subprocess.Popen:
    env = {**os.environ, "SVD_GEO_MIRROR": str(config.mirror_dir), "SVD_GEO_CACHE": str(config.cache_dir),
           "SVD_GEO_OFFLINE": "1"}  # fmt: skip
    command = [sys.executable, "-m", "svd_geo.cli.main", "ingest", str(csv_path), "--source", "police",
               "--store", str(location)]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@ONE_WORKER
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_an_importer_killed_at_a_random_moment_leaves_the_store_whole(
    store_location, config, prepared_sample, tmp_path, seed
):
    open_store(store_location).add_import(prepared_sample)
    big = _big_police_file(tmp_path / "big.csv", 60_000)
    importer = _importer(store_location, big, config)
    time.sleep(random.Random(seed).uniform(0.5, 3.0))
    importer.kill()
    importer.communicate(timeout=60)
    held, logged = whole(store_location)
    assert held == logged and held in (20, 20 + 60_000)


@ONE_WORKER
def test_two_importers_at_once_store_both_files_and_one_file_once(store_location, config, tmp_path):
    open_store(store_location)
    first, second = _big_police_file(tmp_path / "a.csv", 5_000), _big_police_file(tmp_path / "b.csv", 5_001)
    runs = [_importer(store_location, path, config) for path in (first, second, first)]
    results = [run.communicate(timeout=300) for run in runs]
    assert all(run.returncode == 0 for run in runs), results
    assert whole(store_location) == (10_001, 10_001)
    assert sorted(open_store(store_location).imports()["file"]) == ["a.csv", "b.csv"]


@ONE_WORKER
def test_a_reader_sees_an_import_whole_or_not_at_all_while_it_commits(
    store_location, config, prepared_sample, tmp_path
):
    store = open_store(store_location)
    store.add_import(prepared_sample)
    importer = _importer(store_location, _big_police_file(tmp_path / "big.csv", 40_000), config)
    seen = set()
    while importer.poll() is None:
        counts = store.counts()
        seen.add((counts["incidents"], counts["imports"]))
    _, errors = importer.communicate(timeout=60)
    assert importer.returncode == 0, errors
    seen.add(tuple(store.counts()[k] for k in ("incidents", "imports")))
    assert seen <= {(20, 1), (40_020, 2)} and (40_020, 2) in seen
