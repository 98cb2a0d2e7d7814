"""Helpers and fixtures for store/test_geopackage.py, store/test_reading.py.

They build what those tests share: the GeoPackage store: atomic, idempotent, removable imports.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from svd_geo.partner.ingest import prepare_import
from tests.conftest import DATA

SAMPLE = DATA / "police_uk_20.csv"

ONE_WORKER = pytest.mark.xdist_group("one_worker")
"""Tests that load the machine (importers in other processes) or wait on a browser run on one xdist
worker, one after another, so that neither slows the other past its timeouts (``--dist loadgroup``)."""


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
