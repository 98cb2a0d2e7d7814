"""svd_geo.partner.dates."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from svd_geo.partner.dates import parse_dates
from svd_geo.partner.ingest import prepare_import
from tests.support.ingest import MANSFIELD_E, MANSFIELD_LAT, MANSFIELD_LON, MANSFIELD_N


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


@given(
    st.datetimes(
        min_value=pd.Timestamp("1990-01-01").to_pydatetime(),
        max_value=pd.Timestamp("2030-12-31").to_pydatetime(),
    )
)
def test_uk_and_iso_dates_agree(moment):
    parsed = parse_dates(pd.Series([moment.strftime("%d/%m/%Y %H:%M"), moment.strftime("%Y-%m-%d %H:%M")]))
    assert parsed.occurred.iloc[0] == parsed.occurred.iloc[1] == pd.Timestamp(moment).floor("min")
    assert not parsed.invalid.any()


def test_excel_serial_dates_in_a_workbook_are_read_as_dates_and_said(tmp_path, config):
    from svd_geo.partner.ingest import prepare_import
    from tests.support.ingest import MANSFIELD_LAT, MANSFIELD_LON

    path = tmp_path / "ambulance.xlsx"
    frame = pd.DataFrame(
        {"date": [45356, 45356.75, 45000], "latitude": MANSFIELD_LAT, "longitude": MANSFIELD_LON}
    )
    frame.to_excel(path, index=False)
    prepared = prepare_import(path, "ambulance", config)
    assert prepared.incidents["occurred"].tolist() == [
        pd.Timestamp("2024-03-05"), pd.Timestamp("2024-03-05 18:00"), pd.Timestamp("2023-03-15")
    ]  # fmt: skip
    assert prepared.incidents["occurred_precision"].tolist() == ["date", "datetime", "date"]
    assert any("Excel serial day numbers (45356 is 05 March 2024)" in n for n in prepared.detections[0].notes)


def test_numbers_that_are_not_all_serials_are_left_to_the_date_formats():
    from svd_geo.base.texts import distinct_texts
    from svd_geo.partner.dates import excel_serial_dates

    assert excel_serial_dates(distinct_texts(pd.Series(["45356", "05/03/2024"]))) is None
    assert excel_serial_dates(distinct_texts(pd.Series(["20240305"]))) is None  # YYYYMMDD, not a serial
    assert excel_serial_dates(distinct_texts(pd.Series(["", ""]))) is None
