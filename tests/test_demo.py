"""The SYNTHETIC demo generator: deterministic and shaped like real partner data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from svd_geo.store.demo import write_demo_files
from svd_geo.store.geopackage import open_store
from svd_geo.store.simulation import EMERGING, EMERGING_MONTHS, FIRST_MONTH, MONTHS, TOWNS


def town_points():
    from pyproj import Transformer

    transform = Transformer.from_crs(4326, 27700, always_xy=True).transform
    return [shapely.Point(transform(t.lon_deg, t.lat_deg)) for t in TOWNS]


@pytest.fixture(scope="module")
def demo(demo_store_path):
    store = open_store(demo_store_path)
    return store, store.incidents()


def test_same_seed_gives_identical_files_and_another_seed_differs(session_config, tmp_path):
    first = write_demo_files(tmp_path / "a", session_config, seed=7, incidents=600)
    again = write_demo_files(tmp_path / "b", session_config, seed=7, incidents=600)
    other = write_demo_files(tmp_path / "c", session_config, seed=8, incidents=600)
    assert set(first) == {"police", "ambulance", "ed", "council", "youth"}
    for source in first:
        assert first[source].read_bytes() == again[source].read_bytes()
        assert first[source].name.startswith("SYNTHETIC-")
    assert first["police"].read_bytes() != other["police"].read_bytes()


def test_every_partner_source_is_present_and_labelled_synthetic(demo):
    store, incidents = demo
    imports = store.imports()
    assert imports["synthetic"].all()
    assert set(incidents["source"]) == {"police", "ambulance", "ed", "council", "youth"}
    assert len(incidents) == 4000
    assert store.counts()["interventions"] >= 4
    assert store.interventions()["synthetic"].all()


def test_location_kinds_per_partner(demo):
    _, incidents = demo
    precision = incidents.groupby("source")["location_precision"].agg(lambda s: set(s))
    assert precision["police"] == {"snapped"}
    assert precision["ed"] == {"area"} and precision["youth"] == {"area"}
    assert precision["ambulance"] == {"exact"} and precision["council"] == {"exact"}
    police = incidents[incidents["source"] == "police"]
    assert police.geometry.nunique() < len(police) * 0.75  # many crimes share a snap point


def test_violence_concentrates_in_the_town_centres(demo):
    _, incidents = demo
    points = incidents[incidents["source"].isin(["ambulance", "council"])].geometry
    centres = shapely.union_all([p.buffer(800) for p in town_points()])
    share_inside = points.within(centres).mean()
    area_share = centres.area / 186e6  # the two districts cover about 186 km2
    assert share_inside > 0.45
    assert share_inside > 5 * area_share


def test_weekend_night_peak(demo):
    _, incidents = demo
    timed = incidents[incidents["occurred_precision"] == "datetime"]["occurred"]
    night = (timed.dt.hour >= 21) | (timed.dt.hour < 3)
    evening_day = (timed - pd.Timedelta(hours=3)).dt.day_of_week
    weekend_night = night & evening_day.isin([4, 5])
    assert weekend_night.mean() > 0.25  # a uniform week would give 12 of 168 hours, 7%


def test_summer_peak_and_slow_upward_trend(demo):
    _, incidents = demo
    months = incidents["occurred"].dt.to_period("M").value_counts()
    summer = months[[m for m in months.index if m.month in (6, 7, 8)]].mean()
    winter = months[[m for m in months.index if m.month in (12, 1, 2)]].mean()
    assert summer > 1.15 * winter
    first_year = months[[m for m in months.index if m.year == FIRST_MONTH.year]].sum()
    second_year = months[[m for m in months.index if m.year == FIRST_MONTH.year + 1]].sum()
    assert second_year > first_year
    assert len(months) >= 24


def test_one_hotspot_emerges_in_the_last_six_months(demo):
    from pyproj import Transformer

    _, incidents = demo
    centre = shapely.Point(
        Transformer.from_crs(4326, 27700, always_xy=True).transform(EMERGING.lon_deg, EMERGING.lat_deg)
    )
    near = incidents[incidents.geometry.notna() & (incidents.geometry.distance(centre) < 400)]
    cutoff = FIRST_MONTH + pd.DateOffset(months=MONTHS - EMERGING_MONTHS)
    late_rate = (near["occurred"] >= cutoff).sum() / EMERGING_MONTHS
    early_rate = (near["occurred"] < cutoff).sum() / (MONTHS - EMERGING_MONTHS)
    assert late_rate > 5 * max(early_rate, 0.5)


def test_points_fall_inside_the_districts(demo):
    _, incidents = demo
    located = incidents[incidents.geometry.notna()]
    assert located["in_study_area"].mean() > 0.97
    assert np.isfinite(located.geometry.x).all()
