"""Detection and validation of partner files: one test per failure mode."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from svd_geo.base.errors import DataValidationError
from svd_geo.partner.detect import detect_file, parse_overrides
from svd_geo.partner.ingest import prepare_import

MANSFIELD_LON, MANSFIELD_LAT = -1.1975, 53.1440
_E, _N = Transformer.from_crs(4326, 27700, always_xy=True).transform(MANSFIELD_LON, MANSFIELD_LAT)
MANSFIELD_E, MANSFIELD_N = round(_E), round(_N)


def rejected_reasons(prepared) -> list[str]:
    return prepared.rejected["reason"].tolist()


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


def test_xy_columns_in_degrees_are_detected_as_wgs84(write_csv, config):
    path = write_csv(f"date,x,y\n2024-01-02,{MANSFIELD_LON},{MANSFIELD_LAT}\n")
    prepared = prepare_import(path, "other", config)
    assert "WGS84" in prepared.detections[0].coordinates
    assert prepared.incidents.geometry.iloc[0].x == pytest.approx(_E, abs=0.01)


def test_xy_columns_in_metres_are_detected_as_bng(write_csv, config):
    path = write_csv(f"date,x,y\n2024-01-02,{MANSFIELD_E},{MANSFIELD_N}\n")
    prepared = prepare_import(path, "other", config)
    assert "British National Grid" in prepared.detections[0].coordinates


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


def test_coordinate_system_is_judged_by_rows_not_by_distinct_places(write_csv, config):
    # Ten incidents on one snap point in degrees outvote three distinct eastings/northings.
    rows = [f"2024-01-{d:02d},{MANSFIELD_LON},{MANSFIELD_LAT}" for d in range(1, 11)]
    rows += [f"2024-02-0{i},{MANSFIELD_E + i},{MANSFIELD_N}" for i in range(1, 4)]
    prepared = prepare_import(write_csv("date,x,y\n" + "\n".join(rows) + "\n"), "other", config)
    assert "WGS84" in prepared.detections[0].coordinates
    assert len(prepared.incidents) == 10
    assert (prepared.rejected["reason"] == "x/y fall outside Great Britain").sum() == 3


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


def test_unknown_lsoa_code_is_kept_and_flagged_outside(write_csv, config):
    prepared = prepare_import(write_csv("date,lsoa code\n2024-02-01,E01000001\n"), "ed", config)
    assert not prepared.incidents["in_study_area"].iloc[0]


def test_points_outside_study_area_are_kept_and_flagged(write_csv, config):
    text = (
        f"date,latitude,longitude\n2024-01-01,51.5074,-0.1278\n2024-01-01,{MANSFIELD_LAT},{MANSFIELD_LON}\n"
    )
    prepared = prepare_import(write_csv(text), "ambulance", config)
    assert prepared.incidents["in_study_area"].tolist() == [False, True]
    assert prepared.summary["outside_study_area"] == 1


@pytest.mark.parametrize(
    ("value", "reason"),
    [("31/02/2024", "not a date"), ("", "no date"), ("2099-01-01", "in the future")],
    ids=["impossible", "blank", "future"],
)
def test_bad_dates_are_set_aside(write_csv, config, value, reason):
    text = f"date,latitude,longitude\n2024-01-01,{MANSFIELD_LAT},{MANSFIELD_LON}\n{value},{MANSFIELD_LAT},{MANSFIELD_LON}\n"
    prepared = prepare_import(write_csv(text), "ambulance", config)
    assert len(prepared.incidents) == 1
    assert reason in prepared.rejected["reason"].iloc[0]
    assert prepared.rejected["column"].iloc[0] == "date"


def test_uk_dates_are_read_day_first_and_midnight_times_mean_dates(write_csv, config):
    text = f"date,easting,northing\n03/04/2024 00:00:00,{MANSFIELD_E},{MANSFIELD_N}\n"
    prepared = prepare_import(write_csv(text), "council", config)
    assert prepared.incidents["occurred"].iloc[0] == pd.Timestamp("2024-04-03")
    assert prepared.incidents["occurred_precision"].iloc[0] == "date"


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


def test_unreadable_file_is_refused(tmp_path, config):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(DataValidationError, match=r"broken\.xlsx: cannot read it as an Excel workbook"):
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


def test_column_override_maps_an_unrecognised_column(write_csv, config):
    path = write_csv(f"when it happened,E,N\n2024-01-01,{MANSFIELD_E},{MANSFIELD_N}\n")
    overrides = parse_overrides(["when it happened=date", "E=easting", "N=northing"])
    prepared = prepare_import(path, "council", config, overrides=overrides)
    assert len(prepared.incidents) == 1


def test_override_can_ignore_a_detected_column(write_csv, config):
    path = write_csv(f"date,easting,northing,type\n2024-01-01,{MANSFIELD_E},{MANSFIELD_N},Fight\n")
    prepared = prepare_import(path, "council", config, overrides={"type": "ignore"})
    assert prepared.incidents["category"].iloc[0] == "Unspecified"


@pytest.mark.parametrize(
    ("pairs", "match"),
    [(["nocolumn=date"], "lacks"), (["date=colour"], "unknown field 'colour'")],
    ids=["missing-column", "unknown-field"],
)
def test_bad_overrides_are_refused(write_csv, config, pairs, match):
    path = write_csv(f"date,easting,northing\n2024-01-01,{MANSFIELD_E},{MANSFIELD_N}\n")
    with pytest.raises(DataValidationError, match=match):
        prepare_import(path, "council", config, overrides=parse_overrides(pairs))


def test_malformed_override_is_refused():
    with pytest.raises(DataValidationError, match="write COLUMN=FIELD"):
        parse_overrides(["latitude"])


def test_ward_column_with_names_is_not_used_as_codes(write_csv):
    path = write_csv(f"date,ward,easting,northing\n2024-01-01,Hucknall Central,{MANSFIELD_E},{MANSFIELD_N}\n")
    detection = detect_file(path)[0]
    assert "ward_code" not in detection.mapping
    assert any("does not hold ONS codes" in note for note in detection.notes)


def test_police_uk_zip_of_monthly_folders(tmp_path, config):
    sample = (Path(__file__).parent / "data" / "police_uk_20.csv").read_text()
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
    compact = ["source", "category", "occurred_precision", "location_precision", "source_file", "place"]
    assert all(isinstance(analysed.incidents[c].dtype, pd.CategoricalDtype) for c in compact)
    as_texts = analysed.incidents.astype({c: stored.incidents[c].dtype for c in compact})
    pd.testing.assert_frame_equal(stored.incidents[shared], as_texts)
    assert stored.source == "police" and (stored.incidents["source"] == "police").all()


def test_file_without_a_source_is_another_partners(write_csv, config):
    path = write_csv(f"date,latitude,longitude\n2024-01-01,{MANSFIELD_LAT},{MANSFIELD_LON}\n")
    prepared = prepare_import(path, None, config)
    assert prepared.source == "other"
    assert prepared.incidents["source"].tolist() == ["other"]


def test_times_in_their_own_column_make_date_times(write_csv, config):
    path = write_csv(
        "date,time,latitude,longitude\n"
        f"01/02/2024,21:30,{MANSFIELD_LAT},{MANSFIELD_LON}\n"
        f"01/02/2024,,{MANSFIELD_LAT},{MANSFIELD_LON}\n"
        f"02/02/2024,late,{MANSFIELD_LAT},{MANSFIELD_LON}\n"
    )
    prepared = prepare_import(path, "ambulance", config)
    incidents = prepared.incidents
    assert incidents["occurred"].tolist() == [
        pd.Timestamp("2024-02-01 21:30"), pd.Timestamp("2024-02-01"), pd.Timestamp("2024-02-02"),
    ]  # fmt: skip
    assert incidents["occurred_precision"].tolist() == ["datetime", "date", "date"]
    assert any("1 rows have a time" in note for note in prepared.detections[0].notes)


def test_rows_set_aside_are_listed_in_file_order_with_their_first_reason(write_csv, config):
    path = write_csv(
        "date,latitude,longitude,weight\n"
        f"2024-01-01,{MANSFIELD_LAT},{MANSFIELD_LON},-1\n"
        f"not a date,{MANSFIELD_LAT},{MANSFIELD_LON},-1\n"
        f"2024-01-01,{MANSFIELD_LAT},{MANSFIELD_LON},2\n"
        "2024-01-01,0,0,1\n"
    )
    rejected = prepare_import(path, "ambulance", config).rejected
    assert rejected["row"].tolist() == [0, 1, 3]
    assert rejected["line"].tolist() == [2, 3, 5]
    assert rejected["column"].tolist() == ["weight", "date", "longitude"]
    assert rejected["value"].tolist() == ["-1", "not a date", "0"]
    assert rejected["reason"].str.contains("weight|not a date|0,0").all()


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
