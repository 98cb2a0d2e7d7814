"""Before/after on the demo store: the filters it follows, the records it leaves out, one result everywhere."""

from __future__ import annotations

import pandas as pd
import pytest

from svd_geo.analyses.impact import before_after_all, before_after_place
from svd_geo.base.vocabulary import source_of_partner
from svd_geo.select.filters import View, shown_count
from svd_geo.store.geopackage import open_store
from svd_geo.views.interventions import before_after_lines


@pytest.mark.parametrize(
    ("partner", "source"),
    [
        ("Nottinghamshire Police", "police"),
        ("Nottinghamshire County Council Youth Service", "youth"),
        ("Ashfield District Council", "council"),
        ("East Midlands Ambulance Service", "ambulance"),
        ("King's Mill Hospital A&E", "ed"),
        ("Mansfield Community Trust", None),
        ("", None),
    ],
)
def test_the_partner_names_whose_records_it_makes(partner, source):
    assert source_of_partner(partner) == source


@pytest.fixture(scope="module")
def stored(demo_store_path):
    store = open_store(demo_store_path)
    return store.incidents(), store.interventions()


def _place(places: pd.DataFrame, words: str) -> int:
    return int(places.loc[places["name"].str.contains(words), "id"].iloc[0])


def test_the_page_and_the_briefing_give_a_place_the_same_result(stored):
    incidents, places = stored
    every = before_after_all(incidents, places).set_index("name")
    for place_id, name in zip(places["id"], places["name"], strict=True):
        one = before_after_place(incidents, places, int(place_id))
        assert one["verdict"] == every.loc[name, "verdict"]
        assert (
            pd.Series(one).get("place_before") == every.loc[name].get("place_before")
            or "place_before" not in one
        )


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
