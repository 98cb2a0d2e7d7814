"""Helpers and fixtures for outputs/test_breaks.py, select/test_filters.py, views/test_overview.py.

They build what those tests share: presentation mode discloses no small count: not through a rate, a rank, a class break or a total.
"""

from __future__ import annotations

import pytest

from svd_geo.select.filters import View, select_view
from svd_geo.store.backends import open_store
from svd_geo.views.common import area_table

MEETING = View(presentation=True)


@pytest.fixture(scope="module")
def few(demo_store_path, session_config):
    """A selection in which many wards hold 1 to 4 incidents."""
    incidents = open_store(demo_store_path).incidents()
    selected = select_view(incidents, View(categories=("Robbery",)), session_config)
    counts = area_table(selected, "ward", View(), session_config)["count"]
    assert counts.between(1, 4).sum() >= 3 and (counts >= 5).sum() >= 3
    return selected
