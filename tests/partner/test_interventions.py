"""svd_geo.partner.interventions."""

from __future__ import annotations

import math
import zipfile

import pandas as pd
import pytest
import shapely

from svd_geo.base.config import ANALYSIS_CRS, DISPLAY_CRS
from svd_geo.base.errors import DataValidationError
from svd_geo.partner.interventions import active_in, drawn_place, prepare_interventions
from tests.support.interventions import FIELDS, _frame


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
    with pytest.raises(DataValidationError, match=r"no place could be used.*radius_m must be"):
        prepare_interventions(write_csv("name,start_date,lat,lon,radius_m\nx,,53.1,-1.2,0\n"))


def test_a_place_without_a_start_date_is_kept_for_coverage_and_said(write_csv):
    prepared = prepare_interventions(write_csv("name,start_date,lat,lon,radius_m\nx,,53.1,-1.2,10\n"))
    assert prepared.places["start_date"].tolist() == [""] and prepared.rejected.empty
    assert prepared.notes == ["1 places have no start date: they count for coverage; before/after needs one"]


def test_columns_are_detected_like_incident_columns_and_can_be_mapped(write_csv):
    text = "Scheme,Lead,Start,Until,latitude,longitude,Buffer,Remarks\nPatrol,police,01/03/2024,31/05/2024,53.144,-1.1975,150,x\n"
    place = prepare_interventions(write_csv(text)).places.iloc[0]
    assert (place["name"], place["partner"], place["start_date"], place["end_date"]) == (
        "Patrol", "police", "2024-03-01", "2024-05-31"
    )  # fmt: skip
    assert place.geometry.area == pytest.approx(math.pi * 150**2, rel=0.01)
    mapped = prepare_interventions(write_csv(text), overrides={"Remarks": "notes", "Until": "ignore"}).places
    assert mapped["notes"].tolist() == ["x"] and mapped["end_date"].tolist() == [""]
    with pytest.raises(DataValidationError, match="--map Remarks=comments: the column must be one of"):
        prepare_interventions(write_csv(text), overrides={"Remarks": "comments"})


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


def test_active_in_keeps_overlapping_dates():
    places = _frame([shapely.box(0, 0, 1, 1)] * 3)
    places["start_date"] = ["2024-01-01", "2025-01-01", "2023-01-01"]
    places["end_date"] = ["", "2025-06-30", "2023-12-31"]
    kept = active_in(places, pd.Timestamp("2024-06-01"), pd.Timestamp("2025-02-01"))
    assert list(kept["start_date"]) == ["2024-01-01", "2025-01-01"]


def test_a_file_marked_synthetic_keeps_its_mark(tmp_path):
    from svd_geo.partner.interventions import prepare_interventions

    path = tmp_path / "places.csv"
    path.write_text(
        "name,partner,type,start_date,latitude,longitude,radius_m,synthetic\n"
        "Invented zone,Police,patrol,2024-06-01,53.1436,-1.1960,150,true\n"
        "Real zone,Police,patrol,2024-06-01,53.1436,-1.1960,150,\n"
    )
    assert prepare_interventions(path).places["synthetic"].tolist() == [True, False]
