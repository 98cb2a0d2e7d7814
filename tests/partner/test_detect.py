"""svd_geo.partner.detect."""

from __future__ import annotations

import pytest

from svd_geo.base.errors import DataValidationError
from svd_geo.partner.detect import detect_file, parse_overrides
from svd_geo.partner.ingest import prepare_import
from tests.support.ingest import _E, MANSFIELD_E, MANSFIELD_LAT, MANSFIELD_LON, MANSFIELD_N


def test_xy_columns_in_degrees_are_detected_as_wgs84(write_csv, config):
    path = write_csv(f"date,x,y\n2024-01-02,{MANSFIELD_LON},{MANSFIELD_LAT}\n")
    prepared = prepare_import(path, "other", config)
    assert "WGS84" in prepared.detections[0].coordinates
    assert prepared.incidents.geometry.iloc[0].x == pytest.approx(_E, abs=0.01)


def test_xy_columns_in_metres_are_detected_as_bng(write_csv, config):
    path = write_csv(f"date,x,y\n2024-01-02,{MANSFIELD_E},{MANSFIELD_N}\n")
    prepared = prepare_import(path, "other", config)
    assert "British National Grid" in prepared.detections[0].coordinates


def test_coordinate_system_is_judged_by_rows_not_by_distinct_places(write_csv, config):
    # Ten incidents on one snap point in degrees outvote three distinct eastings/northings.
    rows = [f"2024-01-{d:02d},{MANSFIELD_LON},{MANSFIELD_LAT}" for d in range(1, 11)]
    rows += [f"2024-02-0{i},{MANSFIELD_E + i},{MANSFIELD_N}" for i in range(1, 4)]
    prepared = prepare_import(write_csv("date,x,y\n" + "\n".join(rows) + "\n"), "other", config)
    assert "WGS84" in prepared.detections[0].coordinates
    assert len(prepared.incidents) == 10
    assert (prepared.rejected["reason"] == "x/y fall outside Great Britain").sum() == 3


def test_malformed_override_is_refused():
    with pytest.raises(DataValidationError, match="write COLUMN=FIELD"):
        parse_overrides(["latitude"])


def test_ward_column_with_names_is_not_used_as_codes(write_csv):
    path = write_csv(f"date,ward,easting,northing\n2024-01-01,Hucknall Central,{MANSFIELD_E},{MANSFIELD_N}\n")
    detection = detect_file(path)[0]
    assert "ward_code" not in detection.mapping
    assert any("does not hold ONS codes" in note for note in detection.notes)
