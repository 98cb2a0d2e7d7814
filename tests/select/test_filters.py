"""svd_geo.select.filters."""

from __future__ import annotations

import pytest

from svd_geo.select.filters import View, select_view, shown_count, ward_districts
from svd_geo.views.common import area_choices, area_table
from svd_geo.views.map import feature_summary
from tests.support.presentation import MEETING


def test_filters_change_the_counts(demo, session_config):
    incidents, _ = demo
    everything = area_table(select_view(incidents, View(), session_config), "ward", View(), session_config)
    police = View(sources=("police",), date_from="2025-01-01", date_to="2025-06-30")
    some = area_table(select_view(incidents, police, session_config), "ward", police, session_config)
    assert everything["count"].sum() == len(incidents[incidents["ward_code"].isin(everything["area_code"])])
    assert 0 < some["count"].sum() < everything["count"].sum()
    assert "police" in police.describe() and "2025-01-01" in police.describe()


def test_small_counts_are_suppressed_only_in_presentation():
    assert shown_count(3, View(presentation=True)) == "<5"
    assert shown_count(3, View()) == "3"
    assert shown_count(0, View(presentation=True)) == "0"
    assert shown_count(12345, View(presentation=True)) == "12,345"


def test_district_ward_weekday_and_hour_filters(demo, session_config):
    incidents, _ = demo
    districts = ward_districts(session_config)
    ashfield = select_view(incidents, View(districts=("E07000170",)), session_config)
    mansfield = select_view(incidents, View(districts=("E07000174",)), session_config)
    assert set(ashfield["ward_code"].map(districts)) == {"E07000170"}
    assert len(ashfield) + len(mansfield) == incidents["ward_code"].isin(districts.index).sum()
    weekend = select_view(incidents, View(weekdays=(4, 5)), session_config)
    assert set(weekend["occurred"].dt.day_of_week) == {4, 5}
    assert (weekend["occurred_precision"] != "month").all()
    night = select_view(incidents, View(hours=(20, 4)), session_config)
    assert set(night["occurred"].dt.hour) <= {20, 21, 22, 23, 0, 1, 2, 3} and len(night) > 100
    assert (night["occurred_precision"] == "datetime").all()
    view = View(districts=("E07000170",), weekdays=(4, 5), hours=(20, 4))
    assert "days Fri, Sat" in view.describe() and "20:00 to 04:00 (records with a time)" in view.describe()
    choices = area_choices(session_config)
    assert choices.districts == {"E07000170": "Ashfield", "E07000174": "Mansfield"}
    assert set(choices.ward_district.values()) == set(choices.districts)


def test_a_suppressed_count_has_its_rate_and_rank_suppressed_too(few, session_config):
    table = area_table(few, "ward", MEETING, session_config)
    small = table[table["count"].between(1, 4)]
    assert (small["shown"] == "<5").all()
    assert (small["shown_rate"] == "suppressed").all() and (small["shown_rank"] == "suppressed").all()
    large = table[table["count"] >= 5].iloc[0]
    assert large["shown_rate"] == f"{large['rate_per_1k']:,.1f}" and large["shown_rank"] == "1 of " + str(
        len(table)
    )
    clicked = feature_summary({"area_code": small.iloc[0]["area_code"]}, table, MEETING)
    assert clicked["Rate per 1,000 residents"] == "suppressed" and clicked["Rank"] == "suppressed"
    analyst = area_table(few, "ward", View(), session_config)
    assert not (analyst["shown_rate"] == "suppressed").any()


@pytest.mark.parametrize(
    ("count", "threshold", "round_to", "shown"),
    [
        (7, 8, 0, "<8"),
        (8, 8, 0, "8"),
        (12, 8, 5, "10"),
        (13, 8, 5, "15"),
        (0, 8, 5, "0"),
        (1234, 5, 10, "1,230"),
    ],
)
def test_meetings_show_counts_under_the_deployments_threshold_and_rounding(count, threshold, round_to, shown):
    from svd_geo.select.filters import View, shown_count

    view = View(presentation=True, small_count_threshold=threshold, round_to=round_to)
    assert shown_count(count, view) == shown
    assert shown_count(count, View(small_count_threshold=threshold, round_to=round_to)) == f"{count:,}"


def test_a_views_harm_weights_its_incidents_and_says_how(demo, session_config):
    incidents, _ = demo
    view = View(sources=("police", "ed"), harm="cchi")
    weighted = select_view(incidents, view, session_config)
    how = weighted.attrs["harm"]
    ed = int((incidents["source"] == "ed").sum())  # "Assault" is no police.uk category: no weight
    assert (how.by_code, how.unweighted) == (0, ed) and how.by_category == len(weighted) - ed
    assert (weighted.loc[weighted["source"] == "ed", "weight"] == 1).all()
    robbery = weighted.loc[weighted["category"] == "Robbery", "weight"]
    assert (robbery == 365).all()  # CCHI 2020: robbery of personal property, 034/02, 365 days
    assert "weighted by Cambridge Crime Harm Index 2020" in view.describe()
    assert "harm" not in select_view(incidents, View(), session_config).attrs
