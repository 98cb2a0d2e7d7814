"""Hotspot polygons and `svd-geo hotspots` on the real police.uk sample."""

from __future__ import annotations

import json
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio
import shapely
from pyproj import Transformer
from sklearn.cluster import DBSCAN
from sklearn.metrics import adjusted_rand_score

from svd_geo.analyses.polygons import cluster_polygons, density_hotspots
from svd_geo.methods.kde import compute_kde
from svd_geo.methods.thresholds import threshold_value_km2

from .test_cli import run  # noqa: F401  (fixture)


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


def _with_places(points: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The first blob mostly on Westgate (two on Low Street); the second named only four times."""
    places = np.array([""] * len(points), dtype=object)
    places[:200] = "On or near Westgate"
    places[200:202] = "On or near Low Street"
    places[300:304] = "On or near Quiet Lane"
    return points.assign(place=places)


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


@pytest.fixture(scope="module")
def sample_xy(police_sample):
    raw = pd.read_csv(police_sample)
    x, y = Transformer.from_crs(4326, 27700, always_xy=True).transform(
        raw["Longitude"].to_numpy(), raw["Latitude"].to_numpy()
    )
    return np.column_stack([x, y]), raw


def test_cli_dbscan_csv_matches_scikit_learn(run, police_sample, tmp_path, sample_xy):  # noqa: F811
    out = tmp_path / "clusters.csv"
    options = ["hotspots", str(police_sample), "--method", "dbscan", "--eps-m", "100", "--min-samples", "25"]
    summary = json.loads(run(*options, "--out", str(out), "--json").stdout)
    labels = pd.read_csv(out)
    xy, _ = sample_xy
    assert list(labels.columns) == ["row", "cluster", "id", "easting_m", "northing_m"]
    assert labels["row"].tolist() == list(range(7565))
    # Each line's point, to the metre, where QGIS can plot it (EPSG:27700).
    located = labels["easting_m"].notna()
    assert (
        np.abs(labels.loc[located, ["easting_m", "northing_m"]].to_numpy() - xy[located.to_numpy()]).max()
        <= 0.5
    )
    plain = DBSCAN(eps=100, min_samples=25).fit_predict(xy)
    assert adjusted_rand_score(labels["cluster"], plain) == 1.0
    # The labels file draws no polygons, yet counts the clusters the polygon file draws.
    polygons = tmp_path / "clusters.gpkg"
    drawn = json.loads(run(*options, "--out", str(polygons), "--json").stdout)
    assert (
        summary["clusters"]
        == drawn["clusters"]
        == len(gpd.read_file(polygons))
        == labels["cluster"].max() + 1
    )


def test_cli_hdbscan_csv(run, police_sample, tmp_path):  # noqa: F811
    out = tmp_path / "hdbscan.csv"
    summary = json.loads(
        run(
            "hotspots",
            str(police_sample),
            "--method",
            "hdbscan",
            "--min-cluster-size",
            "50",
            "--out",
            str(out),
            "--json",
        ).stdout
    )
    labels = pd.read_csv(out)
    assert len(labels) == 7565 and labels["cluster"].max() + 1 == summary["clusters"]


def test_cli_kde_geotiff(run, police_sample, tmp_path):  # noqa: F811
    out = tmp_path / "density.tif"
    summary = json.loads(
        run(
            "hotspots",
            str(police_sample),
            "--method",
            "kde",
            "--bandwidth-m",
            "200",
            "--out",
            str(out),
            "--json",
        ).stdout
    )
    with rasterio.open(out) as raster:
        assert raster.crs.to_epsg() == 27700
        assert raster.dtypes[0] == "float32"
        density = raster.read(1)
        cell_km2 = abs(raster.transform.a * raster.transform.e) / 1e6
        assert raster.transform.a == summary["cell_size_m"] == 20.0
    assert density.sum() * cell_km2 == pytest.approx(7565, rel=1e-4)


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp.zip", ".csv"])
def test_cli_kde_polygons_in_every_vector_format(run, police_sample, tmp_path, suffix):  # noqa: F811
    out = tmp_path / f"hotspots{suffix}"
    summary = json.loads(
        run(
            "hotspots",
            str(police_sample),
            "--method",
            "kde",
            "--threshold",
            "p99",
            "--out",
            str(out),
            "--json",
        ).stdout
    )
    if suffix == ".csv":
        table = pd.read_csv(out)
        assert "geometry" in table and len(table) == summary["hotspots"]
        return
    source = f"/vsizip/{out}" if suffix == ".shp.zip" else out
    layer = pyogrio.read_dataframe(source)
    assert len(layer) == summary["hotspots"] > 0
    assert layer.crs.to_epsg() == (4326 if suffix == ".geojson" else 27700)
    assert layer.geometry.is_valid.all()
    if suffix == ".shp.zip":
        assert {n.rsplit(".", 1)[-1] for n in zipfile.ZipFile(out).namelist()} >= {
            "shp",
            "shx",
            "dbf",
            "prj",
            "cpg",
        }


def test_cli_gistar_csv_matches_esda(run, police_sample, tmp_path, config):  # noqa: F811
    from esda.getisord import G_Local
    from libpysal.graph import Graph

    from svd_geo.sources.boundaries import load_boundaries

    out = tmp_path / "gistar.csv"
    run(
        "hotspots",
        str(police_sample),
        "--method",
        "gistar",
        "--areas",
        "lsoa",
        "--permutations",
        "199",
        "--seed",
        "7",
        "--out",
        str(out),
    )
    table = pd.read_csv(out)
    assert list(table.columns) == ["area_code", "count", "z", "p", "p_fdr", "class"]
    raw = pd.read_csv(police_sample)
    lsoas = load_boundaries("lsoa", config, vintage=2011)
    assert table["count"].sum() == raw["LSOA code"].isin(lsoas["area_code"]).sum()
    counts = raw["LSOA code"].value_counts().reindex(table["area_code"], fill_value=0).to_numpy(dtype=float)
    graph = Graph.build_fuzzy_contiguity(lsoas.set_index("area_code").geometry, buffer=5.0)
    w = graph.to_W()
    w.transform = "B"
    order = [w.id_order.index(code) for code in table["area_code"]]
    y = np.empty(len(counts))
    y[order] = counts
    with pytest.warns(DeprecationWarning):
        direct = G_Local(y, w, transform="R", permutations=199, star=True, seed=7, n_jobs=1)
    np.testing.assert_allclose(table["z"], np.asarray(direct.Zs)[order])
    np.testing.assert_allclose(table["p"], np.asarray(direct.p_sim)[order])


def test_cli_gistar_hexagons_with_filters(run, police_sample, tmp_path):  # noqa: F811
    out = tmp_path / "hex.gpkg"
    summary = json.loads(run(
        "hotspots", str(police_sample), "--method", "gistar", "--areas", "hex:400", "--neighbours", "knn:6",
        "--category", "Violence and sexual offences", "--from", "2018-10", "--to", "2019-09", "--permutations", "99",
        "--out", str(out), "--json",
    ).stdout)  # fmt: skip
    raw = pd.read_csv(police_sample)
    expected = ((raw["Crime type"] == "Violence and sexual offences") & (raw["Month"] >= "2018-10")).sum()
    assert summary["incidents"] == expected
    layer = pyogrio.read_dataframe(out)
    assert layer["count"].sum() + summary["unplaced_incidents"] == expected
    assert layer["area_code"].str.startswith("hex400_").all()


def test_cli_harm_weights(run, police_sample, tmp_path, write_csv):  # noqa: F811
    weights = write_csv("category,weight\nViolence and sexual offences,10\nRobbery,5\n", name="harm.csv")
    out = tmp_path / "harm.csv"
    run(
        "hotspots",
        str(police_sample),
        "--method",
        "gistar",
        "--weights",
        str(weights),
        "--permutations",
        "99",
        "--out",
        str(out),
    )
    raw = pd.read_csv(police_sample)
    expected = raw["Crime type"].map({"Violence and sexual offences": 10, "Robbery": 5}).fillna(1).sum()
    assert pd.read_csv(out)["count"].sum() == pytest.approx(expected)


def test_cli_refuses_a_raster_for_clusters(run, police_sample, tmp_path):  # noqa: F811
    result = run(
        "hotspots", str(police_sample), "--method", "dbscan", "--out", str(tmp_path / "x.tif"), expect=2
    )
    assert "GeoTIFF holds a density surface" in result.stderr


def test_cli_hotspots_from_the_store(run, tmp_path):  # noqa: F811
    from .test_cli import SAMPLE

    run("ingest", str(SAMPLE), "--source", "police")
    out = tmp_path / "hotspots.gpkg"
    summary = json.loads(
        run("hotspots", "--method", "kde", "--bandwidth-m", "300", "--out", str(out), "--json").stdout
    )
    assert summary["incidents"] == 20
    assert shapely.union_all(pyogrio.read_dataframe(out).geometry).area > 0
    refused = run("hotspots", "--method", "kde", "--out", str(tmp_path / "store.gpkg"), expect=2)
    assert "is the store" in refused.stderr
