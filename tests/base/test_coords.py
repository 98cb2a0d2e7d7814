"""svd_geo.base.coords."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from svd_geo.base.coords import check_coordinates, parse_numbers
from svd_geo.base.errors import CrsError
from tests.support.boundaries import LATTICE


def test_measuring_functions_refuse_data_outside_bng():
    from svd_geo.outputs.files import write_layer
    from svd_geo.outputs.maps import to_display

    wgs84 = gpd.read_file(LATTICE).to_crs(4326)
    with pytest.raises(CrsError, match=r"map layers must be in EPSG:27700, not EPSG:4326; reproject"):
        to_display(wgs84)
    with pytest.raises(CrsError, match=r"layers to export must be in EPSG:27700"):
        write_layer(wgs84, Path("never-written.gpkg"), layer="x")
    assert not Path("never-written.gpkg").exists()


@given(st.integers(0, 10**9))
def test_thousands_separators_parse_to_the_same_number(value):
    assert parse_numbers(pd.Series([f"{value:,}", str(value)])).tolist() == [
        float(value),
        float(value),
    ]


# Inland England (the Midlands to the Pennines): every point is in Great Britain, on land.
@given(st.floats(-2.5, -0.5), st.floats(52.5, 54.0))
def test_points_in_gb_are_accepted_and_swapped_ones_are_not(lon, lat):
    ok = check_coordinates(pd.Series([lon]), pd.Series([lat]), "wgs84", names=("lon", "lat"))
    swapped = check_coordinates(pd.Series([lat]), pd.Series([lon]), "wgs84", names=("lon", "lat"))
    assert ok.reason[0] == ""
    assert 350_000 < ok.easting_m[0] < 580_000 and 270_000 < ok.northing_m[0] < 470_000
    assert swapped.reason[0] != ""
    assert np.isnan(swapped.easting_m[0])


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=1, max_size=40))
def test_pyarrows_fast_parse_agrees_with_pandas_one_by_one(values):
    texts = [repr(v) for v in values] + [""]
    fast = parse_numbers(pd.Series(texts, dtype="str"))  # all numbers or blank: pyarrow's cast
    slow = parse_numbers(pd.Series([*texts, "not a number"], dtype="str"))  # pandas' to_numeric
    np.testing.assert_array_equal(fast.to_numpy(), slow.to_numpy()[:-1])
    np.testing.assert_array_equal(fast.to_numpy()[:-1], np.array(values))
