"""Intervention places: import from every format, validation, store edits, CLI."""

from __future__ import annotations

import json
import zipfile

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from svd_geo.base.config import ANALYSIS_CRS, DISPLAY_CRS
from svd_geo.base.errors import DataValidationError, StoreError
from svd_geo.partner.interventions import active_in, drawn_place, prepare_interventions
from svd_geo.store.geopackage import open_store

from .test_cli import run  # noqa: F401  (fixture)

FIELDS = {"partner": "Police", "type": "patrol", "start_date": "2024-06-01", "end_date": "", "notes": "n"}


def _frame(geometries: list[object], crs: str = ANALYSIS_CRS, **extra: list[object]) -> gpd.GeoDataFrame:
    size = len(geometries)
    columns = {"name": [f"place {i}" for i in range(size)], **{k: [v] * size for k, v in FIELDS.items()}}
    columns["synthetic"] = [False] * size
    return gpd.GeoDataFrame({**columns, **extra}, geometry=geometries, crs=crs)


def test_polygons_lines_and_points_become_areas_of_the_right_size(tmp_path):
    square = shapely.box(454_000, 360_000, 454_100, 360_100)
    line = shapely.LineString([(455_000, 360_000), (455_200, 360_000)])
    point = shapely.Point(456_000, 360_000)
    path = tmp_path / "places.gpkg"
    _frame([square, line, point], radius_m=[None, None, 50.0], width_m=[None, 20.0, None]).to_file(path)
    places = prepare_interventions(path).places
    assert places.crs.equals(ANALYSIS_CRS)
    areas = places.area.to_numpy()
    assert areas[0] == pytest.approx(10_000)
    assert areas[1] == pytest.approx(200 * 20 + 3.14159 * 10**2, rel=0.01)  # 20 m wide, round ends
    assert areas[2] == pytest.approx(3.14159 * 50**2, rel=0.01)
    assert list(places["name"]) == ["place 0", "place 1", "place 2"]


def test_wgs84_geojson_is_reprojected(tmp_path):
    path = tmp_path / "places.geojson"
    square = shapely.box(-1.20, 53.14, -1.19, 53.145)
    _frame([square], crs=DISPLAY_CRS).to_file(path, driver="GeoJSON")
    place = prepare_interventions(path).places.geometry.iloc[0]
    assert 450_000 < place.centroid.x < 460_000 and 355_000 < place.centroid.y < 365_000


def test_zipped_shapefile_reads(tmp_path):
    folder = tmp_path / "shp"
    folder.mkdir()
    _frame([shapely.box(454_000, 360_000, 454_100, 360_100)]).to_file(folder / "places.shp")
    archive = tmp_path / "places.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in folder.iterdir():
            zipped.write(part, part.name)
    assert len(prepare_interventions(archive).places) == 1


def test_csv_with_lat_lon_or_grid_and_radius(write_csv):
    latlon = write_csv(
        "name,partner,type,start_date,end_date,notes,latitude,longitude,radius_m\n"
        "Knife arch,Police,knife arch,2024-05-01,2024-05-31,,53.1436,-1.1960,100\n"
    )
    grid = write_csv(
        "Name,Partner,Type,Start date,End date,Notes,Easting,Northing,Radius m\n"
        'Street pastors,Churches,street pastors,2024-01-05,,,"453,800","360,900",150\n',
        name="grid.csv",
    )
    first = prepare_interventions(latlon).places.iloc[0]
    second = prepare_interventions(grid).places.iloc[0]
    assert first["type"] == "knife arch" and first["end_date"] == "2024-05-31"
    assert first.geometry.area == pytest.approx(3.14159 * 100**2, rel=0.01)
    assert second.geometry.centroid.x == pytest.approx(453_800, abs=1)
    assert second["start_date"] == "2024-01-05"


def test_bad_rows_are_set_aside_with_row_column_and_reason(write_csv):
    path = write_csv(
        "name,start_date,end_date,latitude,longitude,radius_m\n"
        "good,2024-01-01,,53.14,-1.19,100\n"
        ",2024-01-01,,53.14,-1.19,100\n"
        "no radius,2024-01-01,,53.14,-1.19,\n"
        "backwards,2024-05-01,2024-01-01,53.14,-1.19,100\n"
        "bad date,01/13/2024x,,53.14,-1.19,100\n"
        "too big,2024-01-01,,53.14,-1.19,90000\n"
        "at sea,2024-01-01,,0,0,100\n"
    )
    prepared = prepare_interventions(path)
    assert list(prepared.places["name"]) == ["good"]
    rejected = prepared.rejected.set_index("row")
    assert rejected.loc[1, "reason"] == "no name"
    assert rejected.loc[2, "column"] == "radius_m" and "metres" in rejected.loc[2, "reason"]
    assert rejected.loc[3, "reason"] == "ends before it starts"
    assert rejected.loc[4, "column"] == "start_date"
    assert rejected.loc[5, "value"] == "90000"
    assert "0,0" in rejected.loc[6, "reason"]
    assert rejected.loc[1, "line"] == 3


def test_file_with_nothing_usable_is_refused_naming_the_fix(write_csv):
    with pytest.raises(DataValidationError, match=r"partner.csv: no 'name' column"):
        prepare_interventions(write_csv("place,lat,lon\nx,53.1,-1.2\n"))
    with pytest.raises(DataValidationError, match="no coordinate columns"):
        prepare_interventions(write_csv("name,start_date\nx,2024-01-01\n"))
    with pytest.raises(DataValidationError, match=r"no place could be used.*no start date"):
        prepare_interventions(write_csv("name,start_date,lat,lon,radius_m\nx,,53.1,-1.2,10\n"))


def test_drawn_shapes_become_places_and_need_a_radius_for_points():
    polygon = {
        "type": "Polygon",
        "coordinates": [[[-1.2, 53.14], [-1.19, 53.14], [-1.19, 53.145], [-1.2, 53.14]]],
    }
    place = drawn_place(polygon, {"name": "drawn", **FIELDS})
    assert place.crs.equals(ANALYSIS_CRS) and place.area.iloc[0] > 10_000
    point = {"type": "Point", "coordinates": [-1.2, 53.14]}
    assert drawn_place(point, {"name": "arch", **FIELDS}, radius_m=30).area.iloc[0] == pytest.approx(
        3.14159 * 900, rel=0.01
    )
    with pytest.raises(DataValidationError, match="radius_m"):
        drawn_place(point, {"name": "arch", **FIELDS})
    with pytest.raises(DataValidationError, match="no name"):
        drawn_place(polygon, {"name": " ", **FIELDS})


def test_store_edit_replaces_atomically_and_remove_names_known_ids(tmp_path):
    store = open_store(tmp_path / "store.gpkg")
    first = _frame([shapely.box(454_000, 360_000, 454_100, 360_100), shapely.box(0, 0, 10, 10)])
    store.add_interventions(first)
    ids = list(store.interventions()["id"])
    edited = _frame([shapely.box(454_000, 360_000, 454_200, 360_100)])
    edited["name"] = "widened"
    store.add_interventions(edited, replacing=ids[0])
    places = store.interventions()
    assert sorted(places["name"]) == ["place 1", "widened"]
    assert places.set_index("name").area["widened"] == pytest.approx(20_000)
    with pytest.raises(StoreError, match="no intervention 999"):
        store.add_interventions(edited, replacing=999)
    assert len(store.interventions()) == 2  # the failed edit added nothing
    store.remove_intervention(ids[1])
    with pytest.raises(StoreError, match=r"there are: \d"):
        store.remove_intervention(ids[1])
    assert list(store.interventions()["name"]) == ["widened"]


def test_active_in_keeps_overlapping_dates():
    places = _frame([shapely.box(0, 0, 1, 1)] * 3)
    places["start_date"] = ["2024-01-01", "2025-01-01", "2023-01-01"]
    places["end_date"] = ["", "2025-06-30", "2023-12-31"]
    kept = active_in(places, pd.Timestamp("2024-06-01"), pd.Timestamp("2025-02-01"))
    assert list(kept["start_date"]) == ["2024-01-01", "2025-01-01"]


def test_cli_add_list_remove(run, write_csv, config):  # noqa: F811
    path = write_csv(
        "name,partner,type,start_date,latitude,longitude,radius_m\n"
        "Arch,Police,knife arch,2024-05-01,53.1436,-1.1960,100\n"
        "Broken,Police,patrol,2024-05-01,53.1436,-1.1960,\n"
    )
    added = json.loads(run("interventions", "add", str(path), "--json").stdout)
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
    assert json.loads(run("interventions", "list", "--json").stdout) == []


def test_cli_coverage_of_a_file_needs_places_and_never_creates_a_store(
    run,  # noqa: F811
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
    summary = json.loads(
        run(
            "coverage", str(police_sample), "--interventions", str(places), "--out", str(out), "--json"
        ).stdout
    )
    assert summary["places_active"] == 1 and 0 < summary["incidents_covered_share"] <= 1
    assert not config.store_path.exists()


def test_a_file_marked_synthetic_keeps_its_mark(tmp_path):
    from svd_geo.partner.interventions import prepare_interventions

    path = tmp_path / "places.csv"
    path.write_text(
        "name,partner,type,start_date,latitude,longitude,radius_m,synthetic\n"
        "Invented zone,Police,patrol,2024-06-01,53.1436,-1.1960,150,true\n"
        "Real zone,Police,patrol,2024-06-01,53.1436,-1.1960,150,\n"
    )
    assert prepare_interventions(path).places["synthetic"].tolist() == [True, False]
