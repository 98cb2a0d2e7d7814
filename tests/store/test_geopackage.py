"""svd_geo.store.geopackage."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
import shapely

from svd_geo.base.errors import EmptySelectionError, StoreError
from svd_geo.store import geopackage as store_module
from svd_geo.store.geopackage import open_store
from tests.support.interventions import _frame
from tests.support.store import SAMPLE, snapshot


def test_store_edit_replaces_atomically_and_remove_names_known_ids(tmp_path):
    store = open_store(tmp_path / "store.gpkg")
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


def _big_police_file(path: Path, rows: int) -> Path:
    """A police.uk street CSV of ``rows`` rows, for imports that take long enough to be interrupted."""
    sample = SAMPLE.read_text().splitlines()
    body = [line for line in sample[1:] if line.split(",")[4]]  # rows with a location
    path.write_text("\n".join([sample[0], *(body[i % len(body)] for i in range(rows))]) + "\n")
    return path


def _importer(store_path: Path, csv_path: Path, config) -> subprocess.Popen:
    env = {**os.environ, "SVD_GEO_MIRROR": str(config.mirror_dir), "SVD_GEO_CACHE": str(config.cache_dir),
           "SVD_GEO_OFFLINE": "1"}  # fmt: skip
    command = [sys.executable, "-m", "svd_geo.cli.main", "ingest", str(csv_path), "--source", "police",
               "--store", str(store_path)]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _whole(store_path: Path) -> tuple[str, int, int]:
    """The store's integrity check, its incidents, and the incidents its imports log says it holds."""
    with sqlite3.connect(store_path) as connection:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        held, logged = connection.execute(
            "SELECT (SELECT count(*) FROM incidents), (SELECT coalesce(sum(accepted), 0) FROM imports)"
        ).fetchone()
    return check, held, logged


def test_the_store_is_written_ahead_so_readers_never_wait_for_an_import(config):
    store = open_store(config.store_path)
    with sqlite3.connect(store.path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_an_importer_killed_at_a_random_moment_leaves_the_store_whole(
    config, prepared_sample, tmp_path, seed
):
    import random
    import time

    open_store(config.store_path).add_import(prepared_sample)
    big = _big_police_file(tmp_path / "big.csv", 60_000)
    importer = _importer(config.store_path, big, config)
    time.sleep(random.Random(seed).uniform(0.5, 3.0))
    importer.kill()
    importer.communicate(timeout=60)
    check, held, logged = _whole(open_store(config.store_path).path)
    assert check == "ok" and held == logged and held in (20, 20 + 60_000)


def test_two_importers_at_once_store_both_files_and_one_file_once(config, tmp_path):
    open_store(config.store_path)
    first, second = _big_police_file(tmp_path / "a.csv", 5_000), _big_police_file(tmp_path / "b.csv", 5_001)
    runs = [_importer(config.store_path, path, config) for path in (first, second, first)]
    results = [run.communicate(timeout=300) for run in runs]
    assert all(run.returncode == 0 for run in runs), results
    check, held, logged = _whole(config.store_path)
    assert check == "ok" and held == logged == 10_001
    assert sorted(open_store(config.store_path).imports()["file"]) == ["a.csv", "b.csv"]


def test_a_reader_sees_an_import_whole_or_not_at_all_while_it_commits(config, prepared_sample, tmp_path):
    store = open_store(config.store_path)
    store.add_import(prepared_sample)
    importer = _importer(config.store_path, _big_police_file(tmp_path / "big.csv", 40_000), config)
    seen = set()
    while importer.poll() is None:
        counts = store.counts()
        seen.add((counts["incidents"], counts["imports"]))
    _, errors = importer.communicate(timeout=60)
    assert importer.returncode == 0, errors
    seen.add(tuple(store.counts()[k] for k in ("incidents", "imports")))
    assert seen <= {(20, 1), (40_020, 2)} and (40_020, 2) in seen
