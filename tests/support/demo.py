"""Helpers and fixtures for store/test_demo.py, store/test_simulation.py.

They build what those tests share: the SYNTHETIC demo generator: deterministic and shaped like real partner data.
"""

from __future__ import annotations

import pytest
import shapely

from svd_geo.store.backends import open_store
from svd_geo.store.simulation import TOWNS


def town_points():
    from pyproj import Transformer

    transform = Transformer.from_crs(4326, 27700, always_xy=True).transform
    return [shapely.Point(transform(t.lon_deg, t.lat_deg)) for t in TOWNS]


@pytest.fixture(scope="module")
def demo_data(demo_store_path):
    store = open_store(demo_store_path)
    return store, store.incidents()
