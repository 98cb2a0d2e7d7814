"""svd_geo.store.geopackage."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pyogrio
import pytest

from svd_geo.base.errors import StoreError
from svd_geo.store import geopackage as store_module
from svd_geo.store.backends import open_store
from tests.support.store import snapshot


def test_a_failed_import_leaves_no_staging_file_beside_the_store(
    config, prepared_sample, ed_prepared, monkeypatch
):
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


def test_the_store_is_written_ahead_so_readers_never_wait_for_an_import(config):
    store = open_store(config.store_path)
    with sqlite3.connect(store.path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
