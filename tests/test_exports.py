"""Exports read back: CRS, field names, validity, counts, sidecars, determinism, shareable suppression."""

from __future__ import annotations

import csv
import json
import sqlite3
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio
import shapely

from svd_geo.base.config import ANALYSIS_CRS
from svd_geo.outputs.files import shareable_layer, write_csv_table, write_export

from .test_cli import run  # noqa: F401  (fixture)


def _coverage(run, store, out, *extra):  # noqa: F811
    return json.loads(run("coverage", "--store", str(store), "--method", "kde", "--out", str(out), "--json",
                          *extra).stdout)  # fmt: skip


@pytest.mark.parametrize("suffix", [".gpkg", ".shp.zip", ".geojson", ".csv"])
def test_coverage_export_reads_back_in_every_format(run, demo_store_path, tmp_path, suffix):  # noqa: F811
    out = tmp_path / f"coverage{suffix}"
    summary = _coverage(run, demo_store_path, out)
    metadata = json.loads((tmp_path / f"coverage{suffix}.metadata.json").read_text())
    assert metadata["layers"]["hotspot_coverage"] == summary["hotspots"] > 0
    assert metadata["parameters"]["method"] == "kde" and metadata["parameters"]["bandwidth_m"] > 0
    assert {"filters", "inputs", "boundaries", "attribution", "generated", "software"} <= set(metadata)
    assert all(len(item["sha256"]) == 64 for item in metadata["inputs"] + metadata["boundaries"])
    assert metadata["inputs"][0]["synthetic"] is True
    if suffix == ".csv":
        table = pd.read_csv(out)
        assert len(table) == summary["hotspots"] and table["geometry"].str.startswith("POLYGON").all()
        return
    source = f"/vsizip/{out}" if suffix == ".shp.zip" else str(out)
    layer = pyogrio.read_dataframe(source, layer="hotspot_coverage" if suffix == ".gpkg" else None)
    assert len(layer) == summary["hotspots"]
    assert layer.crs.to_epsg() == (4326 if suffix == ".geojson" else 27700)
    assert layer.geometry.is_valid.all()
    assert int(layer["incidents"].sum()) > 0 and (layer["name"] != "").all()
    if suffix == ".gpkg":
        names = {info[0] for info in pyogrio.list_layers(out)}
        assert names == {"hotspot_coverage", "uncovered_hotspots", "intervention_places"}
        places = pyogrio.read_dataframe(out, layer="intervention_places")
        assert len(places) == 5 and "little_violence" in places
    if suffix == ".shp.zip":
        parts = zipfile.ZipFile(out).namelist()
        assert {p.rsplit(".", 1)[-1] for p in parts} >= {"shp", "shx", "dbf", "prj", "cpg"}
        assert all(len(name) <= 10 for name in layer.columns)
        with zipfile.ZipFile(out) as archive:
            fields = pd.read_csv(archive.open("hotspot_coverage_fields.csv"))
        full = dict(zip(fields["field"], fields["full_name"], strict=True))
        assert full["area_cover"] == "area_covered_share" and full["incidents_"] == "incidents_covered"


def test_same_export_twice_differs_only_by_generation_time(run, demo_store_path, tmp_path):  # noqa: F811
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        for suffix in (".gpkg", ".shp.zip", ".geojson", ".csv"):
            _coverage(run, demo_store_path, tmp_path / name / f"coverage{suffix}")
        run("hotspots", "--store", str(demo_store_path), "--method", "kde", "--out",
            str(tmp_path / name / "density.tif"))  # fmt: skip
    for path in sorted((tmp_path / "first").iterdir()):
        twin = tmp_path / "second" / path.name
        if path.name.endswith(".metadata.json"):
            first, second = json.loads(path.read_text()), json.loads(twin.read_text())
            first.pop("generated"), second.pop("generated")
            assert first == second, path.name
        elif path.suffix == ".gpkg":
            assert _without_stamps(path) == _without_stamps(twin)
        else:
            assert path.read_bytes() == twin.read_bytes(), path.name


def _without_stamps(path):
    connection = sqlite3.connect(path)
    connection.execute("UPDATE gpkg_contents SET last_change = ''")
    dump = "\n".join(connection.iterdump())
    connection.close()
    return dump


def test_geopackage_is_byte_identical_for_the_same_generation_time(tmp_path):
    layer = gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.box(0, 0, 1, 1)], crs=ANALYSIS_CRS)
    first, second = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    write_export({"one": layer, "two": layer}, first, generated="2026-01-01T00:00:00Z")
    write_export({"one": layer, "two": layer}, second, generated="2026-01-01T00:00:00Z")
    assert first.read_bytes() == second.read_bytes()


def test_geotiff_has_its_sidecar(run, demo_store_path, tmp_path):  # noqa: F811
    out = tmp_path / "density.tif"
    run("hotspots", "--store", str(demo_store_path), "--method", "kde", "--out", str(out))
    with rasterio.open(out) as raster:
        assert raster.crs.to_epsg() == 27700 and raster.dtypes[0] == "float32"
    metadata = json.loads((tmp_path / "density.tif.metadata.json").read_text())
    assert metadata["parameters"]["kernel"] == "quartic" and "eps_m" not in metadata["parameters"]


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_csv_cells_that_spreadsheets_would_run_are_defused(tmp_path, text):
    layer = gpd.GeoDataFrame({"name": [text]}, geometry=[shapely.box(0, 0, 1, 1)], crs=ANALYSIS_CRS)
    out = write_export({"places": layer}, tmp_path / "places.csv")
    with out.open(newline="", encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert row["name"] == "'" + text


def test_integer_tables_are_written_as_pandas_writes_them(tmp_path):
    table = pd.DataFrame(
        {"row": np.arange(5), "cluster": [-1, 0, 12, -1, 3], "n": pd.array([1, None, 3, 4, 5], dtype="Int64")}
    )
    write_csv_table(table, tmp_path / "fast.csv")
    table.to_csv(tmp_path / "pandas.csv", index=False, lineterminator="\r\n")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()
    assert (tmp_path / "fast.csv").read_bytes().startswith(b"row,cluster,n\r\n0,-1,1\r\n1,0,\r\n")


def test_shareable_layers_suppress_small_counts_across_columns():
    layer = gpd.GeoDataFrame(
        {"incidents": [3, 40, 0], "incidents_covered": [3, 2, 0], "harm": [6.0, 80.0, 0.0]},
        geometry=[shapely.box(0, 0, 1, 1)] * 3,
        crs=ANALYSIS_CRS,
    )
    shared = shareable_layer(layer)
    assert shared["suppressed"].tolist() == [True, True, False]
    assert shared["incidents"].isna().tolist() == [True, True, False]
    assert shared.loc[2, "incidents"] == 0  # zero is not disclosive


def test_cli_shareable_coverage_and_refused_point_rows(run, demo_store_path, police_sample, tmp_path):  # noqa: F811
    out = tmp_path / "shared.gpkg"
    _coverage(run, demo_store_path, out, "--shareable")
    layer = pyogrio.read_dataframe(out, layer="hotspot_coverage")
    small = layer["incidents_covered"].between(1, 4)
    assert not small.any() and "suppressed" in layer
    refused = run("hotspots", str(police_sample), "--method", "dbscan", "--shareable", "--out",
                  str(tmp_path / "labels.csv"), expect=2)  # fmt: skip
    assert "one row per incident" in refused.stderr
