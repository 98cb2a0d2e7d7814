"""svd_geo.cli.places."""

from __future__ import annotations

import json
import zipfile

import pandas as pd
import pyogrio
import pytest

from tests.support.cli import summary_of
from tests.support.exports import _coverage


@pytest.mark.parametrize("suffix", [".gpkg", ".shp.zip", ".geojson", ".csv"])
def test_coverage_export_reads_back_in_every_format(run, demo_store_path, tmp_path, suffix):
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


def test_cli_shareable_coverage_and_refused_point_rows(run, demo_store_path, police_sample, tmp_path):
    out = tmp_path / "shared.gpkg"
    _coverage(run, demo_store_path, out, "--shareable")
    layer = pyogrio.read_dataframe(out, layer="hotspot_coverage")
    small = layer["incidents_covered"].between(1, 4)
    assert not small.any() and "suppressed" in layer
    refused = run("hotspots", str(police_sample), "--method", "dbscan", "--shareable", "--out",
                  str(tmp_path / "labels.csv"), expect=2)  # fmt: skip
    assert "one row per incident" in refused.stderr


def test_cli_add_list_remove(run, write_csv, config):
    path = write_csv(
        "name,partner,type,start_date,latitude,longitude,radius_m\n"
        "Arch,Police,knife arch,2024-05-01,53.1436,-1.1960,100\n"
        "Broken,Police,patrol,2024-05-01,53.1436,-1.1960,\n"
    )
    added = summary_of(run, "interventions", "add", str(path))
    assert added["added"] == 1 and added["rejected"][0]["column"] == "radius_m"
    exported = path.with_name("places.shp.zip")
    listed = json.loads(run("interventions", "list", "--json", "--out", str(exported)).stdout)
    assert [p["name"] for p in listed] == ["Arch"] and listed[0]["area_m2"] == pytest.approx(31_416, rel=0.01)
    layer = pyogrio.read_dataframe(f"/vsizip/{exported}")
    assert layer.crs.to_epsg() == 27700 and list(layer["name"]) == ["Arch"]
    assert (
        json.loads(exported.with_name("places.shp.zip.metadata.json").read_text())["what"]
        == "intervention places"
    )
    refused = run("interventions", "remove", "42", expect=2)
    assert "no intervention 42" in refused.stderr
    run("interventions", "remove", str(listed[0]["id"]))
    assert summary_of(run, "interventions", "list") == []


def test_cli_coverage_of_a_file_needs_places_and_never_creates_a_store(
    run,
    police_sample,
    write_csv,
    config,
    tmp_path,
):
    out = tmp_path / "coverage.gpkg"
    refused = run("coverage", str(police_sample), "--out", str(out), expect=2)
    assert "no intervention places" in refused.stderr and "--interventions FILE" in refused.stderr
    assert not config.store_path.exists() and not out.exists()
    places = write_csv(
        "name,start_date,latitude,longitude,radius_m\nTown centre patrol,2017-01-01,53.1436,-1.1960,400\n"
    )
    summary = summary_of(
        run, "coverage", str(police_sample), "--interventions", str(places), "--out", str(out)
    )
    assert summary["places_active"] == 1 and 0 < summary["incidents_covered_share"] <= 1
    assert not config.store_path.exists()


def test_cli_add_maps_columns_and_says_which_places_need_a_start_date(run, write_csv):
    path = write_csv(
        "Site,Partner,Begins,Ends,latitude,longitude,Metres\nArch,Police,,2024-08-01,53.1436,-1.1960,100\n"
    )
    added = summary_of(
        run, "interventions", "add", str(path), "--map", "Site=name", "--map", "Metres=radius_m"
    )
    assert added["added"] == 1 and added["rejected"] == []
    assert added["notes"] == ["1 places have no start date: they count for coverage; before/after needs one"]
    listed = json.loads(run("interventions", "list", "--json").stdout)
    assert (listed[0]["name"], listed[0]["start_date"], listed[0]["end_date"]) == ("Arch", "", "2024-08-01")
    refused = run("interventions", "add", str(path), "--map", "Site=title", expect=2)
    assert "--map Site=title: the column must be one of" in refused.stderr
