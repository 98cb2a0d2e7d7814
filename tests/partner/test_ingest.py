"""svd_geo.partner.ingest."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from svd_geo.base.errors import DataValidationError
from svd_geo.partner.ingest import prepare_import
from tests.conftest import DATA
from tests.support.ingest import (
    _E,
    _N,
    MANSFIELD_E,
    MANSFIELD_LAT,
    MANSFIELD_LON,
    MANSFIELD_N,
    rejected_reasons,
)


def test_police_sample_imports_in_full_with_lsoa_codes_kept(police_sample, config):
    prepared = prepare_import(police_sample, "police", config)
    raw = pd.read_csv(police_sample, dtype=str, keep_default_na=False)
    assert len(prepared.incidents) == 7565 == len(raw)
    assert prepared.rejected.empty
    assert (prepared.incidents["lsoa_code"].to_numpy() == raw["LSOA code"].to_numpy()).all()
    assert (prepared.incidents["location_precision"] == "snapped").all()
    assert (prepared.incidents["occurred_precision"] == "month").all()
    assert prepared.incidents["ward_code"].notna().all()
    assert prepared.incidents.crs.to_epsg() == 27700
    assert prepared.detections[0].layout == "police.uk"


def test_points_are_reprojected_to_bng(write_csv, config):
    path = write_csv(f"date,latitude,longitude\n2024-03-01,{MANSFIELD_LAT},{MANSFIELD_LON}\n")
    prepared = prepare_import(path, "ambulance", config)
    point = prepared.incidents.geometry.iloc[0]
    assert point.x == pytest.approx(_E, abs=0.01)
    assert point.y == pytest.approx(_N, abs=0.01)
    assert prepared.incidents["in_study_area"].iloc[0]


def test_byte_order_mark_and_thousands_separators(write_csv, config):
    text = f'\ufeffIncident Date,Easting,Northing\n05/03/2024,"{MANSFIELD_E:,}","{MANSFIELD_N:,}"\n'
    prepared = prepare_import(write_csv(text), "council", config)
    assert len(prepared.incidents) == 1
    assert prepared.incidents.geometry.iloc[0].x == MANSFIELD_E
    assert prepared.incidents["occurred"].iloc[0] == pd.Timestamp("2024-03-05")
    assert "British National Grid" in prepared.detections[0].coordinates


def test_windows_1252_and_semicolons(write_csv, config):
    text = f"Date;Easting;Northing;Type\n2024-01-02;{MANSFIELD_E};{MANSFIELD_N};Caf\xe9 fight\n"
    prepared = prepare_import(write_csv(text, encoding="cp1252"), "council", config)
    assert prepared.incidents["category"].iloc[0] == "Café fight"


def test_swapped_rows_are_set_aside_and_reported_not_fixed(write_csv, config):
    rows = [f"2024-01-0{i},{MANSFIELD_LAT},{MANSFIELD_LON}" for i in range(1, 5)]
    rows.append(f"2024-01-05,{MANSFIELD_LON},{MANSFIELD_LAT}")
    prepared = prepare_import(
        write_csv("date,latitude,longitude\n" + "\n".join(rows) + "\n"), "ambulance", config
    )
    assert len(prepared.incidents) == 4
    assert prepared.rejected["row"].tolist() == [4]
    assert "swapped" in prepared.rejected["reason"].iloc[0]
    assert any("swapped" in note for note in prepared.detections[0].notes)


def test_swapped_rows_on_one_snap_point_are_counted_by_row(write_csv, config):
    rows = [f"2024-01-0{i},{MANSFIELD_LAT},{MANSFIELD_LON}" for i in range(1, 5)]
    rows += [f"2024-02-0{i},{MANSFIELD_LON},{MANSFIELD_LAT}" for i in range(1, 4)]
    prepared = prepare_import(
        write_csv("date,latitude,longitude\n" + "\n".join(rows) + "\n"), "ambulance", config
    )
    assert prepared.rejected["row"].tolist() == [4, 5, 6]
    assert "3 rows have longitude and latitude swapped" in " ".join(prepared.detections[0].notes)


def test_file_with_every_row_swapped_is_refused_with_the_fix(write_csv, config):
    rows = [f"2024-01-0{i},{MANSFIELD_LON},{MANSFIELD_LAT}" for i in range(1, 4)]
    path = write_csv("date,latitude,longitude\n" + "\n".join(rows) + "\n", name="swapped.csv")
    with pytest.raises(DataValidationError, match=r"swapped\.csv.*'longitude'.*appear swapped.*--map"):
        prepare_import(path, "ambulance", config)


@pytest.mark.parametrize(
    ("lat", "lon", "reason"),
    [
        ("0", "0", "0,0"),
        ("48.85", "2.35", "outside Great Britain"),
        ("abc", str(MANSFIELD_LON), "not a number"),
        ("", str(MANSFIELD_LON), "blank while the other"),
    ],
    ids=["null-island", "paris", "not-numeric", "half-blank"],
)
def test_bad_coordinates_are_set_aside(write_csv, config, lat, lon, reason):
    text = f"date,latitude,longitude\n2024-01-01,{MANSFIELD_LAT},{MANSFIELD_LON}\n2024-01-02,{lat},{lon}\n"
    prepared = prepare_import(write_csv(text), "ambulance", config)
    assert len(prepared.incidents) == 1
    row = prepared.rejected.iloc[0]
    assert row["row"] == 1 and row["line"] == 3
    assert reason in row["reason"]


def test_blank_location_without_codes_is_set_aside(write_csv, config):
    text = f"date,latitude,longitude,lsoa code\n2024-01-01,{MANSFIELD_LAT},{MANSFIELD_LON},\n2024-01-02,,,\n"
    prepared = prepare_import(write_csv(text), "ambulance", config)
    assert rejected_reasons(prepared) == ["no location: coordinates and area codes are blank"]


def test_lsoa_only_records_are_kept_as_area_records(write_csv, config):
    text = "Attendance Date,Attendance Time,Incident LSOA,Weapon\n01/02/2024,23:15,E01028268,Knife\n01/02/2024,,e01027925,\n"
    prepared = prepare_import(write_csv(text), "ed", config)
    incidents = prepared.incidents
    assert len(incidents) == 2
    assert incidents.geometry.isna().all()
    assert (incidents["location_precision"] == "area").all()
    assert incidents["lsoa_code"].tolist() == ["E01028268", "E01027925"]
    assert incidents["ward_code"].str.match(r"^E05\d{6}$").all()
    assert incidents["in_study_area"].all()
    assert incidents["occurred_precision"].tolist() == ["datetime", "date"]
    assert incidents["occurred"].iloc[0] == pd.Timestamp("2024-02-01 23:15")
    assert incidents["means"].iloc[0] == "Knife"


def test_ward_only_records_are_kept(write_csv, config):
    prepared = prepare_import(write_csv("Contact Date,Ward Code\n2024-02-01,E05010678\n"), "youth", config)
    assert prepared.incidents["ward_code"].tolist() == ["E05010678"]
    assert prepared.incidents["in_study_area"].all()


def test_invalid_lsoa_code_on_area_record_is_set_aside(write_csv, config):
    text = "date,lsoa code\n2024-02-01,E01028268\n2024-02-02,E0102\n"
    prepared = prepare_import(write_csv(text), "ed", config)
    assert rejected_reasons(prepared) == ["not an LSOA code (expected E01 and six digits)"]


def test_an_lsoa_outside_the_study_area_is_kept_and_flagged_outside(write_csv, config):
    prepared = prepare_import(write_csv("date,lsoa code\n2024-02-01,E01000001\n"), "ed", config)
    assert not prepared.incidents["in_study_area"].iloc[0]


def test_an_lsoa_code_that_exists_nowhere_is_set_aside_and_a_new_2021_one_kept(write_csv, config):
    text = "date,lsoa code\n2024-02-01,E01999999\n2024-02-01,e01034000\n2024-02-01,E01027925\n"
    prepared = prepare_import(write_csv(text), "ed", config)
    assert prepared.incidents["lsoa_code"].tolist() == ["E01034000", "E01027925"]
    rejected = prepared.rejected.iloc[0]
    assert (rejected["line"], rejected["column"], rejected["value"]) == (2, "lsoa code", "E01999999")
    assert rejected["reason"].startswith("no English LSOA has this code, in 2011 or 2021")


def test_points_outside_study_area_are_kept_and_flagged(write_csv, config):
    text = (
        f"date,latitude,longitude\n2024-01-01,51.5074,-0.1278\n2024-01-01,{MANSFIELD_LAT},{MANSFIELD_LON}\n"
    )
    prepared = prepare_import(write_csv(text), "ambulance", config)
    assert prepared.incidents["in_study_area"].tolist() == [False, True]
    assert prepared.summary["outside_study_area"] == 1


def test_negative_weight_is_set_aside(write_csv, config):
    text = f"date,easting,northing,weight\n2024-01-01,{MANSFIELD_E},{MANSFIELD_N},2.5\n2024-01-01,{MANSFIELD_E},{MANSFIELD_N},-1\n"
    prepared = prepare_import(write_csv(text), "council", config)
    assert prepared.incidents["weight"].tolist() == [2.5]
    assert "weight" in prepared.rejected["reason"].iloc[0]


def test_missing_category_becomes_unspecified(write_csv, config):
    prepared = prepare_import(
        write_csv(f"date,easting,northing\n2024-01-01,{MANSFIELD_E},{MANSFIELD_N}\n"),
        "council",
        config,
    )
    assert prepared.incidents["category"].iloc[0] == "Unspecified"


def test_no_date_column_refuses_the_file(write_csv, config):
    path = write_csv(f"when,easting,northing\nyesterday,{MANSFIELD_E},{MANSFIELD_N}\n", name="nodate.csv")
    with pytest.raises(DataValidationError, match=r"nodate\.csv: no date column found.*--map COLUMN=date"):
        prepare_import(path, "council", config)


def test_no_location_column_refuses_the_file(write_csv, config):
    path = write_csv("date,place\n2024-01-01,the pub\n", name="noplace.csv")
    with pytest.raises(DataValidationError, match=r"noplace\.csv: no location columns found"):
        prepare_import(path, "council", config)


def test_empty_file_is_refused(write_csv, config):
    with pytest.raises(DataValidationError, match="no data rows"):
        prepare_import(write_csv("date,easting,northing\n", name="empty.csv"), "council", config)


def test_unknown_format_is_refused(tmp_path, config):
    path = tmp_path / "notes.docx"
    path.write_bytes(b"x")
    with pytest.raises(DataValidationError, match=r"notes\.docx: unsupported file type \.docx"):
        prepare_import(path, "council", config)


def test_unknown_source_is_refused(write_csv, config):
    with pytest.raises(DataValidationError, match="unknown source 'fire'"):
        prepare_import(write_csv("date,lsoa\n2024-01-01,E01028268\n"), "fire", config)


def test_police_uk_zip_of_monthly_folders(tmp_path, config):
    sample = (DATA / "police_uk_20.csv").read_text()
    header, *rows = sample.strip().split("\n")
    archive = tmp_path / "police.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(
            "2024-01/2024-01-nottinghamshire-street.csv",
            "\ufeff" + "\n".join([header, *rows[:12]]) + "\n",
        )
        zf.writestr("2024-02/2024-02-nottinghamshire-street.csv", "\n".join([header, *rows[12:]]) + "\n")
        zf.writestr("2024-02/2024-02-nottinghamshire-outcomes.csv", "Crime ID,Month\nx,2024-02\n")
    prepared = prepare_import(archive, "police", config)
    assert len(prepared.incidents) == 20
    assert len(prepared.detections) == 2
    assert prepared.incidents["source_file"].str.startswith("police.zip!2024-0").all()


def test_xlsx_workbook(tmp_path, config):
    path = tmp_path / "asb.xlsx"
    pd.DataFrame(
        {
            "Date": ["2024-05-01", "bad"],
            "Easting": [MANSFIELD_E, MANSFIELD_E],
            "Northing": [MANSFIELD_N, MANSFIELD_N],
        }
    ).to_excel(path, index=False)
    prepared = prepare_import(path, "council", config)
    assert len(prepared.incidents) == 1
    assert prepared.rejected["line"].tolist() == [3]


def test_geojson_points_with_non_point_rows_set_aside(tmp_path, config):
    frame = gpd.GeoDataFrame(
        {"date": ["2024-01-01", "2024-01-02"], "category": ["Knife", "Gun"]},
        geometry=[shapely.Point(MANSFIELD_E, MANSFIELD_N), shapely.box(0, 0, 1, 1)],
        crs=27700,
    )
    path = tmp_path / "points.geojson"
    frame.to_crs(4326).to_file(path)
    prepared = prepare_import(path, "other", config)
    assert prepared.incidents["category"].tolist() == ["Knife"]
    assert prepared.rejected["reason"].tolist() == ["geometry is not a point"]
    assert np.isclose(prepared.incidents.geometry.iloc[0].x, MANSFIELD_E, atol=0.01)


def test_thousands_of_incidents_on_one_snap_point(write_csv, config):
    rows = "\n".join(f"2024-01-01,{MANSFIELD_LAT},{MANSFIELD_LON}" for _ in range(5000))
    prepared = prepare_import(write_csv("date,latitude,longitude\n" + rows + "\n"), "ambulance", config)
    assert len(prepared.incidents) == 5000
    assert prepared.incidents.geometry.nunique() == 1


def test_crime_ids_are_kept_stripped_and_blank_ones_missing(write_csv, config):
    path = write_csv(
        "Crime ID,Month,Longitude,Latitude,LSOA code,Crime type\n"
        f"abc123,2024-01,{MANSFIELD_LON},{MANSFIELD_LAT},,Robbery\n"
        f" def456 ,2024-01,{MANSFIELD_LON},{MANSFIELD_LAT},,Robbery\n"
        f",2024-01,{MANSFIELD_LON},{MANSFIELD_LAT},,Anti-social behaviour\n"
    )
    ids = prepare_import(path, "police", config).incidents["external_id"]
    assert ids.iloc[:2].tolist() == ["abc123", "def456"]
    assert pd.isna(ids.iloc[2])


def test_analysis_reading_leaves_out_the_store_only_columns_and_names_the_source(police_sample, config):
    stored = prepare_import(police_sample, None, config, join_areas=False)
    analysed = prepare_import(police_sample, None, config, join_areas=False, for_store=False)
    assert {"means", "external_id"} <= set(stored.incidents.columns)
    assert not {"means", "external_id"} & set(analysed.incidents.columns)
    shared = [c for c in stored.incidents.columns if c in analysed.incidents.columns]
    # The same values; an analysis holds its repeated texts as categoricals.
    compact = [
        "source",
        "category",
        "occurred_precision",
        "location_precision",
        "source_file",
        "place",
        "offence_code",
    ]
    assert all(isinstance(analysed.incidents[c].dtype, pd.CategoricalDtype) for c in compact)
    as_texts = analysed.incidents.astype({c: stored.incidents[c].dtype for c in compact})
    pd.testing.assert_frame_equal(stored.incidents[shared], as_texts)
    assert stored.source == "police" and (stored.incidents["source"] == "police").all()


def test_file_without_a_source_is_another_partners(write_csv, config):
    path = write_csv(f"date,latitude,longitude\n2024-01-01,{MANSFIELD_LAT},{MANSFIELD_LON}\n")
    prepared = prepare_import(path, None, config)
    assert prepared.source == "other"
    assert prepared.incidents["source"].tolist() == ["other"]


def test_police_uk_location_is_kept_as_the_place_and_no_location_is_blank(write_csv, config):
    header = (
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type"
    )
    rows = [
        f"a1,2024-01,N,N,{MANSFIELD_LON},{MANSFIELD_LAT}, On or near Westgate ,E01028268,M 001A,Robbery",
        "a2,2024-01,N,N,,,No Location,E01028268,M 001A,Robbery",
    ]
    prepared = prepare_import(write_csv("\n".join([header, *rows]) + "\n"), None, config)
    assert prepared.incidents["place"].tolist() == ["On or near Westgate", ""]


def test_a_partner_address_column_is_never_taken_as_the_place_unless_mapped(write_csv, config):
    path = write_csv(
        f"date,latitude,longitude,location\n2024-01-01,{MANSFIELD_LAT},{MANSFIELD_LON},12 High St\n"
    )
    assert prepare_import(path, None, config).incidents["place"].tolist() == [""]
    mapped = prepare_import(path, None, config, overrides={"location": "place"})
    assert mapped.incidents["place"].tolist() == ["12 High St"]


def test_an_area_record_with_a_2021_code_is_placed_in_its_2011_lsoa_and_said(write_csv, config):
    prepared = prepare_import(write_csv("date,lsoa code\n2024-03-05,E01033782\n"), "ed", config)
    assert (
        prepared.incidents["lsoa_code"].tolist() == ["E01027929"]
        and prepared.incidents["in_study_area"].all()
    )
    assert any("mapped to their 2011 LSOAs through the ONS lookup" in n for n in prepared.detections[0].notes)


def test_a_home_office_offence_code_is_detected_and_kept_for_harm_weights(write_csv, config):
    path = write_csv(
        "date,latitude,longitude,offence,HO Code\n"
        f"2024-01-01,{MANSFIELD_LAT},{MANSFIELD_LON},Murder,001/01\n"
        f"2024-01-02,{MANSFIELD_LAT},{MANSFIELD_LON},Cannabis,\n"
    )
    prepared = prepare_import(path, "police", config)
    assert prepared.detections[0].mapping["offence_code"] == "HO Code"
    assert prepared.incidents["offence_code"].tolist() == ["001/01", ""]
