"""Helpers and fixtures for cli/test_places.py, outputs/test_metadata.py.

They build what those tests share: exports read back: CRS, field names, validity, counts, sidecars, determinism, shareable suppression.
"""

from __future__ import annotations

import json
import sqlite3


def _coverage(run, store, out, *extra):
    return json.loads(run("coverage", "--store", str(store), "--method", "kde", "--out", str(out), "--json",
                          *extra).stdout)  # fmt: skip


def _without_stamps(path):
    connection = sqlite3.connect(path)
    connection.execute("UPDATE gpkg_contents SET last_change = ''")
    dump = "\n".join(connection.iterdump())
    connection.close()
    return dump
