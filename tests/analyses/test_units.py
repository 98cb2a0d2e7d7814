"""svd_geo.analyses.units."""

from __future__ import annotations

import pandas as pd

from svd_geo.analyses.params import HotspotParams
from svd_geo.analyses.units import area_codes, area_values
from tests.support.coverage import box, frame, incidents_at


def test_a_point_on_a_shared_edge_is_placed_once_and_a_point_outside_in_none():
    areas = frame([box(0, 0, 100, 100), box(100, 0, 200, 100)], area_code=["W", "E"])
    incidents = incidents_at([(50, 50, 2, 1.0), (100, 50, 1, 1.0), (150, 50, 1, 3.0), (900, 900, 1, 1.0)])
    params = HotspotParams(method="gistar", areas="hex:100")
    codes = area_codes(incidents, areas, params)
    assert codes.iloc[:2].tolist() == ["W", "W"] and codes.iloc[3] == "E"
    assert codes.iloc[2] in {"W", "E"} and pd.isna(codes.iloc[4])
    sums, unplaced = area_values(incidents, areas, params)
    assert unplaced == 1 and sums.sum() == 2 + 1 + 3


def test_ward_units_take_the_records_own_codes_and_drop_unknown_ones():
    areas = frame([box(0, 0, 100, 100)], area_code=["E05000001"])
    incidents = incidents_at([(50, 50, 3, 1.0)]).assign(ward_code=["E05000001", "E05999999", None])
    codes = area_codes(incidents, areas, HotspotParams(method="gistar", areas="ward"))
    assert codes.iloc[0] == "E05000001" and codes.iloc[1:].isna().all()
