"""svd_geo.analyses.impact."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from svd_geo.analyses.impact import (
    MIN_COUNT,
    before_after,
    before_after_all,
    before_after_place,
    describe_wdq,
    difference_in_differences,
    weighted_displacement_quotient,
)
from svd_geo.base.config import ANALYSIS_CRS
from svd_geo.base.errors import DataValidationError
from tests.support.coverage import _monthly, box


def test_wdq_and_did_on_a_worked_example():
    # Place 100 -> 60, buffer 50 -> 45, comparison 1000 -> 1000.
    wdq = weighted_displacement_quotient((100, 60), (50, 45), (1000, 1000))
    assert wdq == pytest.approx((45 / 1000 - 50 / 1000) / (60 / 1000 - 100 / 1000))  # 0.125
    assert describe_wdq(wdq) == "diffusion of benefit to the buffer"
    did = difference_in_differences(100, 60, 1000, 1000)
    assert did.change_beyond_expected == pytest.approx(-40)
    assert did.odds_ratio == pytest.approx(0.6)
    assert did.z == pytest.approx(math.log(0.6) / math.sqrt(1 / 100 + 1 / 60 + 1 / 1000 + 1 / 1000))
    assert did.p == pytest.approx(0.00255, abs=5e-5)


@pytest.mark.parametrize(
    ("buffer", "reading"),
    [
        ((50, 100), "displacement to the buffer larger than the direct benefit"),
        ((50, 70), "some displacement to the buffer, smaller than the direct benefit"),
        ((50, 50), "no displacement or diffusion"),
        ((50, 5), "diffusion of benefit larger than the direct effect"),
    ],
)
def test_wdq_readings(buffer, reading):
    assert describe_wdq(weighted_displacement_quotient((100, 60), buffer, (1000, 1000))) == reading


def test_wdq_not_read_when_the_place_got_worse():
    wdq = weighted_displacement_quotient((60, 100), (50, 45), (1000, 1000))
    assert np.isnan(wdq) and describe_wdq(wdq).startswith("not applicable")


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
