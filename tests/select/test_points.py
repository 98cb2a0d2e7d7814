"""svd_geo.select.points."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest

from svd_geo.base.coords import with_coordinates
from svd_geo.select.points import located_rows, point_incidents, point_xy


def _incidents() -> gpd.GeoDataFrame:
    """Three incidents: two with a point, one recorded only to an LSOA."""
    frame = gpd.GeoDataFrame(
        {"category": ["Robbery", "Drugs", "Robbery"], "weight": [1.0, 2.0, 3.0]},
        geometry=gpd.GeoSeries.from_xy([453_700.0, np.nan, 449_600.0], [360_900.0, np.nan, 358_900.0]),
        crs=27700,
    )
    frame.loc[1, "geometry"] = None
    return frame


@pytest.mark.parametrize("carried", [False, True], ids=["from the geometry", "from the coordinate columns"])
def test_points_are_the_located_rows_and_their_metres(carried):
    incidents = with_coordinates(_incidents()) if carried else _incidents()
    assert located_rows(incidents).tolist() == [True, False, True]
    points = point_incidents(incidents, columns=["weight"])
    assert points["weight"].tolist() == [1.0, 3.0] and "category" not in points
    x, y = point_xy(points)
    assert x.tolist() == [453_700.0, 449_600.0] and y.tolist() == [360_900.0, 358_900.0]


def test_the_metres_of_an_area_only_record_are_refused_not_made_up():
    with pytest.raises(ValueError, match="every row needs a point geometry"):
        point_xy(_incidents())
    with pytest.raises(ValueError, match="every row needs a point geometry"):
        point_xy(with_coordinates(_incidents()))
