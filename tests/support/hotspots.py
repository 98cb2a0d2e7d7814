"""Helpers and fixtures for analyses/test_polygons.py, cli/test_analysis.py.

They build what those tests share: hotspot polygons and `svd-geo hotspots` on the real police.uk sample.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer


def two_blobs() -> gpd.GeoDataFrame:
    rng = np.random.default_rng(3)
    xy = np.vstack(
        [rng.normal([453_700, 360_900], 60, (300, 2)), rng.normal([449_600, 358_900], 60, (200, 2))]
    )
    n = len(xy)
    return gpd.GeoDataFrame(
        {
            "category": ["Violence"] * n,
            "occurred": [pd.Timestamp("2024-01-05 23:30")] * n,
            "occurred_precision": ["datetime"] * n,
        },
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs=27700,
    )


def _with_places(points: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The first blob mostly on Westgate (two on Low Street); the second named only four times."""
    places = np.array([""] * len(points), dtype=object)
    places[:200] = "On or near Westgate"
    places[200:202] = "On or near Low Street"
    places[300:304] = "On or near Quiet Lane"
    return points.assign(place=places)


@pytest.fixture(scope="module")
def sample_xy(police_sample):
    raw = pd.read_csv(police_sample)
    x, y = Transformer.from_crs(4326, 27700, always_xy=True).transform(
        raw["Longitude"].to_numpy(), raw["Latitude"].to_numpy()
    )
    return np.column_stack([x, y]), raw
