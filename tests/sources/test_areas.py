"""svd_geo.sources.areas."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from svd_geo.sources.areas import join_points
from tests.support.properties import LATTICE


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
