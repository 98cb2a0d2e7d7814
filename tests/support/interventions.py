"""Helpers and fixtures for partner/test_interventions.py, store/test_geopackage.py.

They build what those tests share: intervention places: import from every format, validation, store edits, CLI.
"""

from __future__ import annotations

import geopandas as gpd

from svd_geo.base.config import ANALYSIS_CRS

FIELDS = {"partner": "Police", "type": "patrol", "start_date": "2024-06-01", "end_date": "", "notes": "n"}


def _frame(geometries: list[object], crs: str = ANALYSIS_CRS, **extra: list[object]) -> gpd.GeoDataFrame:
    size = len(geometries)
    columns = {"name": [f"place {i}" for i in range(size)], **{k: [v] * size for k, v in FIELDS.items()}}
    columns["synthetic"] = [False] * size
    return gpd.GeoDataFrame({**columns, **extra}, geometry=geometries, crs=crs)
