"""Helpers and fixtures for methods/test_gistar.py.

They build what those tests share: getis-Ord Gi* on areas against esda called directly; neighbours on generalised boundaries.
"""

from __future__ import annotations

import geopandas as gpd
import shapely


def lattice(side: int, cell_m: float = 100.0) -> gpd.GeoDataFrame:
    cells = [
        shapely.box(c * cell_m, r * cell_m, (c + 1) * cell_m, (r + 1) * cell_m)
        for r in range(side)
        for c in range(side)
    ]
    codes = [f"C{i:03d}" for i in range(len(cells))]
    return gpd.GeoDataFrame({"area_code": codes, "area_name": codes}, geometry=cells, crs=27700)
