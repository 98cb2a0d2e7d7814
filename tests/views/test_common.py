"""svd_geo.views.common."""

from __future__ import annotations

import pytest

from svd_geo.select.filters import View
from svd_geo.views.common import area_table


def test_ward_rates_use_registered_population(demo, session_config):
    incidents, _ = demo
    table = area_table(incidents, "ward", View(), session_config)
    assert table["population"].notna().mean() > 0.9
    row = table.dropna(subset=["population"]).iloc[0]
    assert row["rate_per_1k"] == pytest.approx(row["count"] / row["population"] * 1000)
