"""Helpers and fixtures for analyses/test_evaluate.py.

They build what those tests share: forecast accuracy: PAI and RRI worked by hand, the baseline, and the sweep ranking.
"""

from __future__ import annotations

import pytest

from svd_geo.store.backends import open_store


@pytest.fixture(scope="module")
def demo_incidents(demo_store_path):
    return open_store(demo_store_path).incidents()
