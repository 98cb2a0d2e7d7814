"""Coverage and gaps on hand-built geometries with known shares; before/after on a worked example."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from svd_geo.analyses.coverage import coverage
from svd_geo.analyses.impact import (
    MIN_COUNT,
    before_after,
    before_after_all,
    describe_wdq,
    difference_in_differences,
    weighted_displacement_quotient,
)
from svd_geo.base.config import ANALYSIS_CRS
from svd_geo.base.errors import DataValidationError

X0, Y0 = 450_000.0, 360_000.0


def box(x1: float, y1: float, x2: float, y2: float) -> shapely.Polygon:
    return shapely.box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def incidents_at(points: list[tuple[float, float, int, float]], month: str = "2024-03") -> gpd.GeoDataFrame:
    """``(x, y, how many, weight each)`` -> incidents in EPSG:27700."""
    xs, ys, weights = [], [], []
    for x, y, count, weight in points:
        xs += [X0 + x] * count
        ys += [Y0 + y] * count
        weights += [weight] * count
    return gpd.GeoDataFrame(
        {"occurred": pd.Timestamp(month), "weight": weights},
        geometry=gpd.points_from_xy(xs, ys),
        crs=ANALYSIS_CRS,
    )


def frame(geometries: list[shapely.Geometry], **columns: list[object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=geometries, crs=ANALYSIS_CRS)


@pytest.fixture
def layout():
    hotspots = frame(
        [box(0, 0, 100, 100), box(200, 0, 300, 100), box(400, 0, 500, 100)], wards=["A", "B", "C"]
    )
    places = frame(
        [box(0, 0, 50, 100), box(2000, 2000, 2100, 2100)],
        id=[7, 8], name=["left half", "empty field"], partner=["P", "Q"], type=["patrol", "CCTV"],
        start_date=["2024-01-01", "2024-01-01"], end_date=["", ""],
    )  # fmt: skip
    incidents = incidents_at([
        (25, 50, 10, 1.0),  # covered part of hotspot 1
        (75, 50, 30, 2.0),  # uncovered part of hotspot 1
        (250, 50, 20, 1.0),  # hotspot 2: most incidents, little harm
        (450, 50, 5, 10.0),  # hotspot 3: few incidents, most harm
        (1000, 1000, 5, 1.0),  # in no hotspot
    ])  # fmt: skip
    return hotspots, places, incidents


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


def _monthly(points: list[tuple[float, float, int]], months: list[str]) -> gpd.GeoDataFrame:
    return pd.concat([incidents_at([(x, y, n, 1.0) for x, y, n in points], month) for month in months])


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
