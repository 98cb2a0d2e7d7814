"""svd_geo.analyses.impact."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from svd_geo.analyses.impact import (
    MIN_COUNT,
    before_after,
    before_after_all,
    before_after_place,
)
from svd_geo.base.config import ANALYSIS_CRS
from svd_geo.base.errors import DataValidationError
from tests.support.coverage import _monthly, box


def test_before_after_counts_each_area_in_equal_windows():
    place = box(0, 0, 100, 100)
    before = _monthly([(50, 50, 20), (150, 50, 5), (600, 50, 40)], ["2024-01", "2024-02", "2024-03"])
    after = _monthly([(50, 50, 8), (150, 50, 6), (600, 50, 40)], ["2024-04", "2024-05", "2024-06", "2024-07"])
    result = before_after(
        pd.concat([before, after]), place, name="patrol", start=pd.Timestamp("2024-04-10"), window_months=6
    )
    assert result.window_months == 3  # only three months of data before the start
    assert (result.before_from, result.after_to) == ("2024-01", "2024-06")
    assert (result.place_before, result.place_after) == (60, 24)
    assert (result.buffer_before, result.buffer_after) == (15, 18)
    assert (result.comparison_before, result.comparison_after) == (120, 120)
    assert result.did == pytest.approx(24 - 60)
    assert result.conclusive and result.p < 0.001
    # 60 -> 24 in the place against 120 -> 120 around it: the place fell by 60% more.
    assert (
        result.verdict
        == f"Incidents in the place fell by 60% more than in the comparison area (p = {result.p:.3f})."
    )
    assert result.displacement == "some displacement to the buffer, smaller than the direct benefit"


def test_other_places_are_cut_out_of_each_comparison_area():
    patrol, cctv = box(0, 0, 100, 100), box(550, 0, 650, 100)
    before = _monthly([(50, 50, 20), (600, 50, 40), (800, 50, 10)], ["2024-01", "2024-02", "2024-03"])
    after = _monthly([(50, 50, 8), (600, 50, 5), (800, 50, 10)], ["2024-04", "2024-05", "2024-06"])
    places = gpd.GeoDataFrame(
        {"name": ["patrol", "cctv"], "start_date": ["2024-04-01", "2024-04-01"]},
        geometry=[patrol, cctv], crs=ANALYSIS_CRS,
    )  # fmt: skip
    results = before_after_all(pd.concat([before, after]), places).set_index("name")
    # The CCTV place (40 -> 5 a month) lies in the patrol's ring; only the point at 800 m is background.
    assert (results.loc["patrol", "comparison_before"], results.loc["patrol", "comparison_after"]) == (30, 30)
    alone = before_after(pd.concat([before, after]), patrol, name="patrol", start=pd.Timestamp("2024-04-01"))
    assert (alone.comparison_before, alone.comparison_after) == (150, 45)


def test_before_after_says_when_counts_are_too_small():
    place = box(0, 0, 100, 100)
    data = pd.concat([
        _monthly([(50, 50, 2), (600, 50, 40)], ["2024-01", "2024-02"]),
        _monthly([(50, 50, 1), (600, 50, 40)], ["2024-03", "2024-04"]),
    ])  # fmt: skip
    result = before_after(data, place, name="arch", start=pd.Timestamp("2024-03-01"))
    assert not result.conclusive
    assert result.verdict == (
        f"Too few incidents to tell: fewer than {MIN_COUNT} in the place or the comparison area in one window."
    )
    assert result.displacement == "not assessed: too few incidents"


def test_before_after_refuses_a_start_outside_the_data():
    data = _monthly([(50, 50, 5)], ["2024-01", "2024-02"])
    with pytest.raises(DataValidationError, match="no whole month on both sides"):
        before_after(data, box(0, 0, 100, 100), name="x", start=pd.Timestamp("2023-06-01"))


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


def test_a_place_without_a_start_date_says_it_needs_one():
    from svd_geo.base.vocabulary import NEEDS_START

    places = gpd.GeoDataFrame(
        {"id": [1], "name": ["Patrol zone"], "partner": ["police"], "start_date": [""]},
        geometry=[box(0, 0, 100, 100)], crs=ANALYSIS_CRS,
    )  # fmt: skip
    incidents = _monthly([(50, 50, 20)], ["2024-01", "2024-02"]).assign(source="ambulance")
    result = before_after_all(incidents, places).iloc[0]
    assert result["verdict"] == NEEDS_START and not result["conclusive"] and result["start"] == ""
