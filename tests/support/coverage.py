"""Helpers and fixtures for analyses/test_coverage.py, analyses/test_impact.py, views/test_interventions.py.

They build what those tests share: coverage and gaps on hand-built geometries with known shares; before/after on a worked example.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from svd_geo.base.config import ANALYSIS_CRS

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


def _monthly(points: list[tuple[float, float, int]], months: list[str]) -> gpd.GeoDataFrame:
    return pd.concat([incidents_at([(x, y, n, 1.0) for x, y, n in points], month) for month in months])
