"""svd_geo.analyses.polygons."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svd_geo.analyses.polygons import cluster_polygons, density_hotspots
from svd_geo.base.vocabulary import SOURCES
from svd_geo.methods.kde import compute_kde
from svd_geo.methods.thresholds import threshold_value_km2
from tests.support.hotspots import _with_places, two_blobs


def test_density_hotspots_find_both_blobs_with_statistics(config):
    from svd_geo.sources.boundaries import load_boundaries

    points = two_blobs()
    surface = compute_kde(points.geometry.x.to_numpy(), points.geometry.y.to_numpy(), bandwidth_m=250.0)
    wards = load_boundaries("ward", config)
    hotspots = density_hotspots(surface, points, threshold="mean2x", wards=wards)
    assert len(hotspots) == 2
    assert hotspots["hotspot_id"].tolist() == [1, 2]
    assert hotspots["incidents"].iloc[0] > hotspots["incidents"].iloc[1] > 100
    assert (hotspots["share"] <= 1).all() and hotspots.geometry.is_valid.all()
    assert (hotspots["peak_density_km2"] >= hotspots["mean_density_km2"]).all()
    assert hotspots["peak_density_km2"].max() == pytest.approx(surface.density_km2.max())
    cut = threshold_value_km2(surface, "mean2x")
    above = surface.density_km2[surface.density_km2 >= cut]
    cells = hotspots["area_m2"] / surface.grid.cell_size_m**2
    assert (hotspots["mean_density_km2"] * cells).sum() == pytest.approx(above.sum(), rel=1e-6)
    assert hotspots["area_m2"].iloc[0] == pytest.approx(hotspots.geometry.iloc[0].area)
    assert hotspots["wards"].str.len().gt(0).all()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_hotspot_regions_are_the_8_connected_cells_and_hold_the_points_inside(seed):
    from scipy import ndimage

    rng = np.random.default_rng(seed)
    centres = rng.uniform([450_000, 355_000], [452_000, 357_000], (12, 2))
    xy = centres[rng.integers(0, 12, 3000)] + rng.normal(0, 40, (3000, 2))
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=27700)
    surface = compute_kde(xy[:, 0], xy[:, 1], bandwidth_m=120.0, cell_size_m=15.0)
    hotspots = density_hotspots(surface, points, threshold="p90")
    mask = surface.density_km2 >= threshold_value_km2(surface, "p90")
    regions, found = ndimage.label(mask, structure=np.ones((3, 3)))
    assert len(hotspots) == found > 1
    assert hotspots.geometry.is_valid.all()
    cells = np.sort(hotspots["area_m2"].to_numpy() / surface.grid.cell_size_m**2)
    assert np.allclose(cells, np.sort(np.bincount(regions.ravel())[1:]))
    inside = [int(points.within(polygon).sum()) for polygon in hotspots.geometry]
    assert hotspots["incidents"].tolist() == inside
    peaks = ndimage.maximum(surface.density_km2, regions, np.arange(1, found + 1))
    assert np.allclose(np.sort(hotspots["peak_density_km2"]), np.sort(peaks))


def test_cluster_polygons_have_times_and_categories():
    points = two_blobs()
    labels = np.r_[np.zeros(300, dtype=np.int64), np.full(200, -1, dtype=np.int64)]
    clusters = cluster_polygons(points, labels, buffer_m=20.0)
    assert len(clusters) == 1
    row = clusters.iloc[0]
    assert row["incidents"] == 300 and row["peak_day"] == "Friday" and row["peak_hour"] == "23:00"
    assert row["top_categories"] == "Violence (300)"
    inside = points.iloc[:300].within(row.geometry).mean()
    assert inside == 1.0


def test_a_hotspot_is_named_by_its_wards_and_its_most_frequent_street(config):
    from svd_geo.sources.boundaries import load_boundaries

    points = _with_places(two_blobs())
    surface = compute_kde(points.geometry.x.to_numpy(), points.geometry.y.to_numpy(), bandwidth_m=250.0)
    wards = load_boundaries("ward", config)
    hotspots = density_hotspots(surface, points, threshold="mean2x", wards=wards)
    first, second = hotspots["name"].tolist()
    area_names, street = first.split(": ")
    assert street == "On or near Westgate" and area_names.split(" / ")[0] in hotspots["wards"].iloc[0]
    # Four records would name Quiet Lane: fewer than a meeting may be shown, so only wards.
    assert "Quiet Lane" not in second and ":" not in second and second


def test_a_cluster_is_named_by_its_street_and_a_cluster_without_streets_by_its_wards_alone():
    points = _with_places(two_blobs())
    labels = np.r_[np.zeros(300, dtype=np.int64), np.ones(200, dtype=np.int64)]
    clusters = cluster_polygons(points, labels, buffer_m=20.0).set_index("cluster")
    assert clusters.loc[0, "name"] == "On or near Westgate"  # no wards given: the street alone
    assert clusters.loc[1, "name"] == ""
    # The top street locations, each with its count: only those a meeting may be shown.
    assert clusters.loc[0, "top_locations"] == "On or near Westgate (200)"
    assert clusters.loc[1, "top_locations"] == ""
    listed = cluster_polygons(points, labels, buffer_m=20.0, min_named=2).set_index("cluster")
    assert listed.loc[0, "top_locations"] == "On or near Westgate (200); On or near Low Street (2)"


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(SOURCES), st.integers(-1, 3), st.floats(440_000, 460_000), st.booleans()),
        min_size=1,
        max_size=40,
    ),
    from_file=st.booleans(),
)
def test_no_cluster_file_ever_holds_a_point_or_id_of_a_health_or_youth_record(rows, from_file):
    from svd_geo.analyses.polygons import cluster_labels
    from svd_geo.base.config import ANALYSIS_CRS
    from svd_geo.base.vocabulary import NEVER_AS_POINTS

    located = [r for r in rows if r[3]]  # the rest have no point (or were set aside on reading)
    x = np.array([r[2] for r in located])
    y = x - 100_000
    points = gpd.GeoDataFrame(
        {
            "source": [r[0] for r in located],
            "external_id": [f"case-{i}" for i in range(len(located))],
            "row": [i for i, r in enumerate(rows) if r[3]],
        },
        geometry=gpd.points_from_xy(x, y),
        crs=ANALYSIS_CRS,
    )
    if not from_file:
        points = points.drop(columns="row")
    labels = np.array([r[1] for r in located], dtype=np.int64)
    table = cluster_labels(points, labels, x, y, len(rows) if from_file else None)
    sources = [r[0] for r in rows] if from_file else points["source"].tolist()
    protected = np.array([s in NEVER_AS_POINTS for s in sources], dtype=bool)
    assert len(table) == len(sources)
    for column in ("id", "easting_m", "northing_m"):
        assert table.loc[protected, column].isna().all()
    shown = ~protected & np.isin(np.arange(len(sources)), points.get("row", np.arange(len(points))))
    assert table.loc[shown, "easting_m"].notna().all()
