"""svd_geo.analyses.coverage."""

from __future__ import annotations

import pandas as pd
import pytest

from svd_geo.analyses.coverage import coverage


def test_known_shares_overall_and_per_hotspot(layout):
    hotspots, places, incidents = layout
    result = coverage(hotspots, incidents, places, study_area_m2=1_000_000)
    assert result.overall["area_covered_share"] == pytest.approx(5_000 / 30_000)
    assert result.overall["incidents_covered_share"] == pytest.approx(10 / 65)
    assert result.overall["harm_covered_share"] == pytest.approx(10 / (10 + 60 + 20 + 50))
    first = result.hotspots.iloc[0]
    assert first["incidents"] == 40 and first["incidents_covered"] == 10
    assert first["area_covered_share"] == pytest.approx(0.5)
    assert first["incidents_covered_share"] == pytest.approx(0.25)
    assert first["harm_covered_share"] == pytest.approx(10 / 70)
    assert first["covered_by"] == "left half"
    assert list(result.hotspots["status"]) == ["partly covered", "uncovered", "uncovered"]


def test_uncovered_ranked_by_incidents_or_harm_with_wards(layout):
    hotspots, places, incidents = layout
    by_incidents = coverage(hotspots, incidents, places, study_area_m2=1e6)
    by_harm = coverage(hotspots, incidents, places, study_area_m2=1e6, rank_by="harm")
    assert list(by_incidents.uncovered["wards"]) == ["B", "C"]
    assert list(by_harm.uncovered["wards"]) == ["C", "B"]


def test_places_with_little_violence(layout):
    hotspots, places, incidents = layout
    result = coverage(hotspots, incidents, places, study_area_m2=1_000_000)  # 70 incidents per km² overall
    table = result.places.set_index("name")
    assert table.loc["left half", "incidents_inside"] == 10
    assert table.loc["left half", "incidents_per_km2"] == pytest.approx(10 / 0.005)
    assert table.loc["left half", "hotspot_area_share"] == pytest.approx(1.0)
    assert not table.loc["left half", "little_violence"]
    assert table.loc["empty field", "little_violence"] and table.loc["empty field", "incidents_inside"] == 0
    assert list(result.places["id"]) == [7, 8]


def test_no_places_leaves_everything_uncovered(layout):
    hotspots, places, incidents = layout
    result = coverage(hotspots, incidents, places.iloc[0:0], study_area_m2=1e6)
    assert result.overall["incidents_covered_share"] == 0
    assert (result.hotspots["status"] == "uncovered").all()


def test_area_only_records_do_not_count(layout):
    hotspots, places, incidents = layout
    area_only = incidents.iloc[:3].copy()
    area_only.geometry = [None] * len(area_only)
    result = coverage(hotspots, pd.concat([incidents, area_only]), places, study_area_m2=1e6)
    assert result.overall["incidents_in_hotspots"] == 60 + 5
