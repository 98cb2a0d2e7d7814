"""svd_geo.views.interventions."""

from __future__ import annotations

from svd_geo.analyses.coverage import coverage
from svd_geo.analyses.impact import (
    before_after_place,
)
from svd_geo.select.filters import View, shown_count
from svd_geo.views.interventions import before_after_lines
from tests.support.impact import _place


def test_the_uncovered_sentence_and_the_coverage_map_name_the_definition(layout, session_config):
    from svd_geo.analyses.params import HotspotParams
    from svd_geo.select.filters import View
    from svd_geo.views.interventions import build_coverage_map, uncovered_sentence

    hotspots, places, incidents = layout
    result = coverage(hotspots, incidents, places, study_area_m2=1_000_000)
    definition = HotspotParams(method="dbscan", eps_m=200.0)
    sentence = uncovered_sentence(result, definition)
    ids = ", ".join(str(i) for i in result.uncovered["hotspot_id"])
    assert sentence == (
        f"2 of 3 hotspots (DBSCAN: 200 m radius, 20 incidents per core point) have under 10% of their "
        f"incidents inside an active intervention place: hotspots {ids}."
    )
    fmap = build_coverage_map(result, session_config, view=View(), definition=definition)
    assert "Coverage of hotspots (DBSCAN: 200 m radius" in fmap.get_root().render()


def test_before_after_counts_the_chosen_categories_without_the_partners_own_records(stored, session_config):
    incidents, places = stored
    youth = _place(places, "youth diversion")
    lines = before_after_lines(incidents, places, youth, View(), session_config)
    assert "left out: Youth services records" in lines[1]
    counted = incidents[incidents["source"] != "youth"]
    expected = before_after_place(counted, places, youth)
    assert lines[0] == expected["verdict"]
    if "place_before" in expected:
        assert any(line.startswith(f"In the place: {shown_count(expected['place_before'], View())} before")
                   for line in lines)  # fmt: skip
    with_own = before_after_lines(incidents, places, youth, View(), session_config, include_own=True)
    assert "left out" not in with_own[1]
    robbery = before_after_lines(incidents, places, youth, View(categories=("Robbery",)), session_config)
    only = incidents[(incidents["category"] == "Robbery") & (incidents["source"] != "youth")]
    assert robbery[0] == before_after_place(only, places, youth)["verdict"]
    assert ", Robbery, every date" in robbery[1]


def test_dates_chosen_in_the_sidebar_do_not_cut_the_windows(stored, session_config):
    incidents, places = stored
    patrol = _place(places, "patrol zone")
    whole = before_after_lines(incidents, places, patrol, View(), session_config)
    narrowed = before_after_lines(incidents, places, patrol, View(date_from="2026-01-01"), session_config)
    assert whole == narrowed
