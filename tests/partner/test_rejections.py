"""svd_geo.partner.rejections."""

from __future__ import annotations

from svd_geo.partner.ingest import prepare_import
from tests.support.ingest import MANSFIELD_LAT, MANSFIELD_LON


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
