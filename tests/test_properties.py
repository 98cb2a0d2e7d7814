"""Invariants checked with hypothesis."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from svd_geo.base.coords import check_coordinates, parse_numbers
from svd_geo.partner.dates import parse_dates
from svd_geo.sources.areas import join_points
from svd_geo.sources.boundaries import read_boundary_file

from .conftest import DATA

LATTICE = read_boundary_file(DATA / "lattice_3x3.geojson", code_field="cell_id", name_field="cell_name")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(452_900, 453_400), st.floats(359_900, 360_400)), min_size=1, max_size=60))
def test_spatial_join_conserves_counts(points):
    xs, ys = zip(*points, strict=True)
    series = gpd.GeoSeries(gpd.points_from_xy(xs, ys), crs=27700)
    codes = join_points(series, LATTICE, tolerance_m=0.0)
    assert len(codes) == len(points)
    inside = (
        (np.array(xs) >= 453_000)
        & (np.array(xs) <= 453_300)
        & (np.array(ys) >= 360_000)
        & (np.array(ys) <= 360_300)
    )
    assert codes.notna().sum() == inside.sum()
    assert codes.value_counts().sum() == inside.sum()


@given(st.integers(0, 10**9))
def test_thousands_separators_parse_to_the_same_number(value):
    assert parse_numbers(pd.Series([f"{value:,}", str(value)])).tolist() == [
        float(value),
        float(value),
    ]


@given(
    st.datetimes(
        min_value=pd.Timestamp("1990-01-01").to_pydatetime(),
        max_value=pd.Timestamp("2030-12-31").to_pydatetime(),
    )
)
def test_uk_and_iso_dates_agree(moment):
    parsed = parse_dates(pd.Series([moment.strftime("%d/%m/%Y %H:%M"), moment.strftime("%Y-%m-%d %H:%M")]))
    assert parsed.occurred.iloc[0] == parsed.occurred.iloc[1] == pd.Timestamp(moment).floor("min")
    assert not parsed.invalid.any()


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
