"""svd_geo.analyses.trends."""

from __future__ import annotations

import pandas as pd
import shapely

from svd_geo.analyses.params import HotspotParams
from svd_geo.analyses.trends import run_trends
from svd_geo.methods.trends import (
    trend_test,
)
from svd_geo.store.backends import open_store
from svd_geo.store.simulation import EMERGING, TOWNS


def test_emerging_hotspot_of_the_demo_is_found(demo_store_path, session_config):
    import geopandas as gpd
    from pyproj import Transformer

    incidents = open_store(demo_store_path).incidents()
    violence = incidents[incidents["source"].isin(["police", "ambulance", "council"])]
    run = run_trends(violence, HotspotParams(areas="hex:500"), session_config)
    centre = shapely.Point(
        Transformer.from_crs(4326, 27700, always_xy=True).transform(EMERGING.lon_deg, EMERGING.lat_deg)
    )
    emerging = gpd.GeoDataFrame(run.emerging)
    at_centre = emerging[emerging.intersects(centre.buffer(200))]
    assert at_centre["category"].isin(["new hot spot", "consecutive hot spot", "intensifying hot spot"]).any()
    town = shapely.Point(
        Transformer.from_crs(4326, 27700, always_xy=True).transform(TOWNS[0].lon_deg, TOWNS[0].lat_deg)
    )
    assert emerging[emerging.contains(town)]["category"].str.contains("hot").all()
    assert run.trend["trend"] == "increasing"


def test_a_partial_last_month_is_said_and_left_out_of_the_trend_test(demo_store_path, session_config):
    incidents = open_store(demo_store_path).incidents()
    violence = incidents[incidents["source"].isin(["police", "ambulance", "council"])]
    last_month = violence["occurred"].max().to_period("M").to_timestamp()
    cut = violence[violence["occurred"] < last_month + pd.Timedelta(days=10)]
    run = run_trends(cut, HotspotParams(areas="hex:500"), session_config)
    last_day = cut.loc[cut["occurred_precision"] != "month", "occurred"].max()
    assert run.summary["latest_month_partial_to"] == f"{last_day:%Y-%m-%d}"
    totals = run.monthly.groupby("month")["incidents"].sum().to_numpy(dtype=float)
    assert run.trend == trend_test(totals[:-1])
