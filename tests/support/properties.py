"""Helpers and fixtures for sources/test_areas.py.

They build what those tests share: invariants checked with hypothesis.
"""

from __future__ import annotations

from svd_geo.sources.boundaries import read_boundary_file
from tests.conftest import DATA

LATTICE = read_boundary_file(DATA / "lattice_3x3.geojson", code_field="cell_id", name_field="cell_name")
