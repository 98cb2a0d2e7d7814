"""svd_geo.partner.readers."""

from __future__ import annotations

import pandas as pd
import pytest

from svd_geo.base.errors import DataValidationError
from svd_geo.partner.ingest import prepare_import
from svd_geo.partner.readers import (
    _arrow_table,
    _read_csv_slowly,
    read_ahead,
    read_csv_bytes,
    read_partner_file,
)
from tests.support.reading import UNUSUAL


def test_unreadable_file_is_refused(tmp_path, config):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(DataValidationError, match=r"broken\.xlsx: cannot read it as an Excel workbook"):
        prepare_import(path, "council", config)


@pytest.mark.parametrize(("data", "columns", "first"), UNUSUAL.values(), ids=UNUSUAL.keys())
def test_unusual_csv_falls_back_to_the_c_parser(data, columns, first):
    assert _arrow_table(data) is None
    frame = read_csv_bytes(data, name="x.csv").frame
    assert frame.columns.tolist() == columns
    assert frame.iloc[0, 0] == first


def test_line_breaks_in_cells_across_pyarrow_blocks():
    # pyarrow parses in blocks of 1 MB: a file of 3 MB with a line break in every other row.
    rows = [f'{i},"note {i}' + ("\nsecond line" if i % 2 else "") + f'",{i * 7}' for i in range(90_000)]
    data = ("id,note,value\n" + "\n".join(rows) + "\n").encode()
    assert _arrow_table(data) is not None
    fast = read_csv_bytes(data, name="x.csv").frame
    slow = _read_csv_slowly(data, "x.csv").frame
    assert len(fast) == 90_000
    assert fast["note"].iloc[1] == "note 1\nsecond line"
    pd.testing.assert_frame_equal(fast, slow.astype(fast.dtypes.to_dict()))


def test_ragged_rows_are_left_to_the_c_parser():
    assert _arrow_table(b"a,b\n1,2,3\n") is None


def test_reading_ahead_gives_the_same_table_and_is_taken_once(tmp_path):
    path = tmp_path / "partner.csv"
    path.write_bytes(b"id,Month\n1,2024-01\n2,2024-02\n")
    read_ahead(path)
    ahead = read_partner_file(path)[0].frame
    again = read_partner_file(path)[0].frame
    pd.testing.assert_frame_equal(ahead, again)
    assert ahead["Month"].tolist() == ["2024-01", "2024-02"]


def test_reading_ahead_never_serves_a_file_changed_since(tmp_path):
    path = tmp_path / "partner.csv"
    path.write_bytes(b"id,Month\n1,2024-01\n")
    read_ahead(path)
    path.write_bytes(b"id,Month\n1,2024-01\n2,2024-02\n")
    assert len(read_partner_file(path)[0].frame) == 2


def test_reading_ahead_leaves_other_files_alone(tmp_path):
    missing = tmp_path / "missing.csv"
    read_ahead(missing)  # no error here: reading the file reports it
    sheet = tmp_path / "partner.xlsx"
    sheet.write_bytes(b"not a workbook")
    read_ahead(sheet)
    assert not missing.exists()
