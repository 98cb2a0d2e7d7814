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


def test_with_harm_weights_areas_rank_by_harm_and_a_withheld_areas_harm_is_withheld(demo, session_config):
    from svd_geo.select.filters import select_view
    from svd_geo.sources.harm import load_harm_table

    incidents, _ = demo
    view = View(sources=("police",), harm="css")
    table = area_table(select_view(incidents, view, session_config), "ward", view, session_config)
    police = incidents[incidents["source"] == "police"]
    weights = police["category"].str.lower().map(load_harm_table("css", session_config).by_category)
    by_hand = weights.groupby(police["ward_code"]).sum()
    top = by_hand.idxmax()
    assert table["area_code"].iloc[0] == top and table["harm"].iloc[0] == pytest.approx(
        by_hand[top], abs=0.05
    )
    assert table["harm"].is_monotonic_decreasing
    meeting = View(sources=("police",), harm="css", presentation=True)
    shown = area_table(select_view(incidents, meeting, session_config), "ward", meeting, session_config)
    small = (shown["count"] > 0) & (shown["count"] < meeting.small_count_threshold)
    assert small.any() and shown.loc[small, "harm"].isna().all() and shown.loc[~small, "harm"].notna().all()
