"""svd_geo.cli.data."""

from __future__ import annotations

import pandas as pd
import pyogrio
import pytest

from tests.support.cli import SAMPLE, summary_of


def test_ingest_the_real_police_sample_then_info(run, police_sample):
    imported = summary_of(run, "ingest", str(police_sample), "--source", "police")
    assert imported["imports"][0]["accepted"] == 7565
    info = summary_of(run, "info")
    assert info["incidents"] == 7565
    entry = info["imports"][0]
    assert {k: entry[k] for k in ("id", "file", "source", "accepted", "rejected")} == {
        "id": 1,
        "file": police_sample.name,
        "source": "police",
        "accepted": 7565,
        "rejected": 0,
    }
    assert len(entry["sha256"]) == 64


def test_ingest_twice_adds_nothing(run):
    run("ingest", str(SAMPLE), "--source", "police")
    second = run("ingest", str(SAMPLE), "--source", "police")
    assert "already imported as import 1" in second.stdout
    assert summary_of(run, "info")["incidents"] == 20


def test_rejected_rows_are_written_and_exit_is_zero(run, write_csv, tmp_path):
    path = write_csv("Date,Lat,Lng\n2024-01-01,53.144,-1.1975\n2024-13-01,53.144,-1.1975\n", name="amb.csv")
    out = tmp_path / "rejected.csv"
    result = run("ingest", str(path), "--source", "ambulance", "--rejected", str(out))
    assert "1 accepted, 1 rejected" in result.stdout
    rejected = pd.read_csv(out)
    assert list(rejected.columns) == ["file", "row", "line", "column", "value", "reason"]
    assert rejected[["row", "column", "value"]].values.tolist() == [[1, "Date", "2024-13-01"]]


def test_map_option_names_columns(run, write_csv):
    path = write_csv("when,a,b\n2024-01-01,53.144,-1.1975\n", name="odd.csv")
    run(
        "ingest",
        str(path),
        "--source",
        "other",
        "--map",
        "when=date",
        "--map",
        "a=latitude",
        "--map",
        "b=longitude",
    )
    assert summary_of(run, "info")["incidents"] == 1


def test_refused_file_exits_2_with_a_clear_message_and_keeps_the_store(run, write_csv):
    run("ingest", str(SAMPLE), "--source", "police")
    bad = write_csv("name,colour\nx,red\n", name="bad.csv")
    result = run("ingest", str(bad), "--source", "council", expect=2)
    assert "bad.csv: no location columns found (columns: name, colour)" in result.stderr
    assert "Traceback" not in result.stderr
    assert summary_of(run, "info")["incidents"] == 20


def test_remove(run):
    run("ingest", str(SAMPLE), "--source", "police")
    assert "removed import 1 and its 20 incidents" in run("remove", "1").stdout
    assert summary_of(run, "info")["imports"] == []
    assert "no import with id 1" in run("remove", "1", expect=2).stderr


@pytest.mark.parametrize(
    ("name", "epsg"), [("wards.geojson", 4326), ("wards.gpkg", 27700)], ids=["geojson", "gpkg"]
)
def test_boundaries_export(run, tmp_path, name, epsg):
    out = tmp_path / name
    run("boundaries", "--level", "ward", "--district", "E07000174", "--out", str(out))
    info = pyogrio.read_info(out)
    assert info["features"] == 36
    assert pyogrio.read_dataframe(out).crs.to_epsg() == epsg


def test_boundaries_shapefile_zip_has_every_part(run, tmp_path):
    import zipfile

    out = tmp_path / "lsoa.shp.zip"
    run("boundaries", "--level", "lsoa", "--vintage", "2011", "--out", str(out))
    names = zipfile.ZipFile(out).namelist()
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        assert any(n.endswith(ext) for n in names)
    frame = pyogrio.read_dataframe(f"/vsizip/{out}")
    assert len(frame) == 141 and frame.crs.to_epsg() == 27700
    assert all(len(c) <= 10 for c in frame.columns)


def test_demo_command(run, tmp_path):
    result = summary_of(run, "demo", "--incidents", "1500", "--seed", "3", "--out-dir", str(tmp_path / "d"))
    assert sum(i["accepted"] for i in result["imports"]) == 1500
    info = summary_of(run, "info")
    assert info["synthetic"] is True and info["interventions"] >= 4
