"""svd_geo.cli.analysis."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from sklearn.cluster import DBSCAN
from sklearn.metrics import adjusted_rand_score

from tests.support.cli import summary_of


def test_cli_evaluate_and_trends(run, demo_store_path, tmp_path):
    import shutil

    store = tmp_path / "store.gpkg"
    shutil.copy(demo_store_path, store)
    out = tmp_path / "ranking.csv"
    result = summary_of(run, "evaluate", "--store", str(store), "--method", "dbscan", "--eps-m", "100", "200", "--min-samples", "15", "--out", str(out))  # fmt: skip
    assert [r["eps_m"] for r in result["ranking"]] == pd.read_csv(out)["eps_m"].tolist()
    assert result["ranking"][0]["pai"] >= result["ranking"][1]["pai"]
    trends = summary_of(run, "trends", "--store", str(store), "--areas", "hex:500")
    assert trends["months"] == 30 and trends["trend"]["trend"] == "increasing"
    assert sum(trends["emerging"].values()) == trends["areas"] - trends["islands"]


def test_cli_dbscan_csv_matches_scikit_learn(run, police_sample, tmp_path, sample_xy):
    out = tmp_path / "clusters.csv"
    options = ["hotspots", str(police_sample), "--method", "dbscan", "--eps-m", "100", "--min-samples", "25"]
    summary = summary_of(run, *options, "--out", str(out))
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
    drawn = summary_of(run, *options, "--out", str(polygons))
    assert (
        summary["clusters"]
        == drawn["clusters"]
        == len(gpd.read_file(polygons))
        == labels["cluster"].max() + 1
    )


def test_cli_hdbscan_csv(run, police_sample, tmp_path):
    out = tmp_path / "hdbscan.csv"
    summary = summary_of(
        run,
        "hotspots",
        str(police_sample),
        "--method",
        "hdbscan",
        "--min-cluster-size",
        "50",
        "--out",
        str(out),
    )
    labels = pd.read_csv(out)
    assert len(labels) == 7565 and labels["cluster"].max() + 1 == summary["clusters"]


def test_cli_gistar_csv_matches_esda(run, police_sample, tmp_path, config):
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


def test_cli_gistar_hexagons_with_filters(run, police_sample, tmp_path):
    out = tmp_path / "hex.gpkg"
    summary = summary_of(run, "hotspots", str(police_sample), "--method", "gistar", "--areas", "hex:400", "--neighbours", "knn:6", "--category", "Violence and sexual offences", "--from", "2018-10", "--to", "2019-09", "--permutations", "99", "--out", str(out))  # fmt: skip
    raw = pd.read_csv(police_sample)
    expected = ((raw["Crime type"] == "Violence and sexual offences") & (raw["Month"] >= "2018-10")).sum()
    assert summary["incidents"] == expected
    layer = pyogrio.read_dataframe(out)
    assert layer["count"].sum() + summary["unplaced_incidents"] == expected
    assert layer["area_code"].str.startswith("hex400_").all()


def test_cli_hotspots_from_the_store(run, tmp_path):
    from tests.support.cli import SAMPLE

    run("ingest", str(SAMPLE), "--source", "police")
    out = tmp_path / "hotspots.gpkg"
    summary = summary_of(run, "hotspots", "--method", "kde", "--bandwidth-m", "300", "--out", str(out))
    assert summary["incidents"] == 20
    assert shapely.union_all(pyogrio.read_dataframe(out).geometry).area > 0
    refused = run("hotspots", "--method", "kde", "--out", str(tmp_path / "store.gpkg"), expect=2)
    assert "is the store" in refused.stderr


def test_a_cluster_file_never_gives_the_point_or_id_of_a_health_or_youth_record(run, write_csv, tmp_path):
    rows = "".join(f"ED{i},2024-03-05,{53.1440 + i * 1e-5:.5f},-1.1975\n" for i in range(30))
    path = write_csv("record id,date,latitude,longitude\n" + rows, name="ed.csv")
    for source, hidden in (("ed", True), ("ambulance", False)):
        out = tmp_path / f"clusters_{source}.csv"
        run("hotspots", str(path), "--source", source, "--method", "dbscan", "--eps-m", "50",
            "--min-samples", "5", "--out", str(out))  # fmt: skip
        labels = pd.read_csv(out)
        assert (labels["cluster"] == 0).all()  # still clustered, and counted
        assert labels[["easting_m", "northing_m"]].isna().all().all() == hidden
        assert labels[["easting_m", "northing_m"]].notna().all().all() != hidden
    same = run("hotspots", str(path), "--method", "dbscan", "--out", str(path), expect=2)
    assert "that is the input file" in same.stderr and path.read_text().startswith("record id,date")
