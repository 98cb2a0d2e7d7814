"""svd_geo.store.simulation."""

from __future__ import annotations

import pandas as pd
import shapely

from svd_geo.store.simulation import EMERGING, EMERGING_MONTHS, FIRST_MONTH, MONTHS
from tests.support.demo import town_points


def test_violence_concentrates_in_the_town_centres(demo_data):
    _, incidents = demo_data
    points = incidents[incidents["source"].isin(["ambulance", "council"])].geometry
    centres = shapely.union_all([p.buffer(800) for p in town_points()])
    share_inside = points.within(centres).mean()
    area_share = centres.area / 186e6  # the two districts cover about 186 km2
    assert share_inside > 0.45
    assert share_inside > 5 * area_share


def test_weekend_night_peak(demo_data):
    _, incidents = demo_data
    timed = incidents[incidents["occurred_precision"] == "datetime"]["occurred"]
    night = (timed.dt.hour >= 21) | (timed.dt.hour < 3)
    evening_day = (timed - pd.Timedelta(hours=3)).dt.day_of_week
    weekend_night = night & evening_day.isin([4, 5])
    assert weekend_night.mean() > 0.25  # a uniform week would give 12 of 168 hours, 7%


def test_summer_peak_and_slow_upward_trend(demo_data):
    _, incidents = demo_data
    months = incidents["occurred"].dt.to_period("M").value_counts()
    summer = months[[m for m in months.index if m.month in (6, 7, 8)]].mean()
    winter = months[[m for m in months.index if m.month in (12, 1, 2)]].mean()
    assert summer > 1.15 * winter
    first_year = months[[m for m in months.index if m.year == FIRST_MONTH.year]].sum()
    second_year = months[[m for m in months.index if m.year == FIRST_MONTH.year + 1]].sum()
    assert second_year > first_year
    assert len(months) >= 24


def test_one_hotspot_emerges_in_the_last_six_months(demo_data):
    from pyproj import Transformer

    _, incidents = demo_data
    centre = shapely.Point(
        Transformer.from_crs(4326, 27700, always_xy=True).transform(EMERGING.lon_deg, EMERGING.lat_deg)
    )
    near = incidents[incidents.geometry.notna() & (incidents.geometry.distance(centre) < 400)]
    cutoff = FIRST_MONTH + pd.DateOffset(months=MONTHS - EMERGING_MONTHS)
    late_rate = (near["occurred"] >= cutoff).sum() / EMERGING_MONTHS
    early_rate = (near["occurred"] < cutoff).sum() / (MONTHS - EMERGING_MONTHS)
    assert late_rate > 5 * max(early_rate, 0.5)
