"""Helpers and fixtures for base/test_coords.py, sources/test_boundaries.py.

They build what those tests share: registered boundaries and users' own boundary files, normalised in EPSG:27700.
"""

from __future__ import annotations

from tests.conftest import DATA

LATTICE = DATA / "lattice_3x3.geojson"
