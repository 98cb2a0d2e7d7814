"""svd_geo.partner.headers."""

from __future__ import annotations

import pandas as pd
import pytest

from svd_geo.base.errors import DataValidationError
from svd_geo.partner.headers import (
    column_letter,
    refuse_duplicate_headers,
    refuse_if_not_text,
    without_blank_headers,
)


def test_columns_are_lettered_as_a_spreadsheet_letters_them():
    assert [column_letter(p) for p in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"
    ]  # fmt: skip


def test_a_column_named_twice_is_refused_naming_both_even_in_another_case():
    with pytest.raises(DataValidationError, match=r"columns B \('latitude'\) and D \(' Latitude'\)"):
        refuse_duplicate_headers(["date", "latitude", "longitude", " Latitude"], "partner.csv")
    refuse_duplicate_headers(["date", "", ""], "partner.csv")  # blank ones are judged by their cells


def test_an_unnamed_column_is_dropped_when_empty_and_refused_when_it_holds_values():
    frame = pd.DataFrame({"date": ["2024-01-01"], "Unnamed: 1": [""], "": [" "]})
    assert without_blank_headers(frame, "p.csv").columns.tolist() == ["date"]
    with pytest.raises(DataValidationError, match=r"p\.csv: column B holds values but has no header"):
        without_blank_headers(pd.DataFrame({"date": ["x"], "Unnamed: 1": ["7"]}), "p.csv")


@pytest.mark.parametrize(
    ("head", "what"),
    [
        (b"\xef\xbb\xbf  <!DOCTYPE html><html>", "a web page"),
        (b"<HTML><body>", "a web page"),
        (b"PK\x03\x04\x14\x00", "a zip or Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1", "an old Excel"),
        (b"%PDF-1.7", "a PDF"),
    ],
)
def test_a_csv_that_is_something_else_is_judged_by_its_content(head, what):
    with pytest.raises(DataValidationError, match=f"export.csv: the file is {what}"):
        refuse_if_not_text(head, "export.csv")
    refuse_if_not_text(b"date,latitude\n", "export.csv")
