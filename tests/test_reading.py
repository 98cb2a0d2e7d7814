"""Reading partner files fast: pyarrow's parse against pandas' C parser, reading ahead, checksums, distinct texts."""

from __future__ import annotations

import hashlib
import os
import threading

import numpy as np
import pandas as pd
import pytest

from svd_geo.base.errors import DataValidationError
from svd_geo.base.texts import distinct_texts
from svd_geo.partner.readers import (
    _arrow_table,
    _read_csv_slowly,
    read_ahead,
    read_csv_bytes,
    read_partner_file,
)
from svd_geo.sources.registry import sha256_of

CLEAN = {
    "byte-order mark": b"\xef\xbb\xbfid,Month,lat\n1,2024-01,53.1\n",
    "CRLF lines": b"id,Month,lat\r\n1,2024-01,53.1\r\n2,2024-02,53.2\r\n",
    "quoted commas": b'id,Location,weight\n1,"On or near Bench Street, Mansfield","1,250"\n',
    "leading zeros and padding": b"id,time,code\n007,0930, E01028268 \n010,,E01028269\n",
    "blank cells": b"a,b,c\n,,\n1,,3\n",
    "semicolons": b"a;b\n1;2\n",
    "line break in a cell": b'a,b\n"two\nlines",2\n',
}
UNUSUAL = {
    "Windows-1252": ("a,b\nCaf\xe9,1\n".encode("cp1252"), ["a", "b"], "Caf\xe9"),
    "repeated header": (b"a,a\n1,2\n", ["a", "a.1"], "1"),
}


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


def _rewrite_in_a_loop(path, versions: list[bytes], stop: threading.Event) -> None:
    """Truncate the file and write it again in pieces, as a copy into place does."""
    turn = 0
    while not stop.is_set():
        data = versions[turn % len(versions)]
        with path.open("wb") as handle:
            for start in range(0, len(data), 65536):
                handle.write(data[start : start + 65536])
                handle.flush()
        turn += 1


def test_a_file_rewritten_while_it_is_read_gives_its_rows_or_a_clear_error(tmp_path):
    # A memory-mapped file truncated while pyarrow parsed it killed the process with SIGBUS.
    path = tmp_path / "partner.csv"
    versions = [
        ("id,Month\n" + "".join(f"{i},2024-01\n" for i in range(rows))).encode() for rows in (40_000, 60_000)
    ]
    path.write_bytes(versions[0])
    stop = threading.Event()
    writer = threading.Thread(target=_rewrite_in_a_loop, args=(path, versions, stop))
    writer.start()
    outcomes = {"read": 0, "refused": 0}
    try:
        for attempt in range(60):
            if attempt % 3 == 0:
                read_ahead(path)
            try:
                frame = read_partner_file(path)[0].frame
            except DataValidationError as err:
                assert str(err).startswith("partner.csv: "), err
                outcomes["refused"] += 1
            else:
                assert frame.columns.tolist() == ["id", "Month"]
                assert len(frame) <= 60_000
                outcomes["read"] += 1
    finally:
        stop.set()
        writer.join()
    assert sum(outcomes.values()) == 60
    path.write_bytes(versions[1])
    assert len(read_partner_file(path)[0].frame) == 60_000


def test_reading_ahead_leaves_other_files_alone(tmp_path):
    missing = tmp_path / "missing.csv"
    read_ahead(missing)  # no error here: reading the file reports it
    sheet = tmp_path / "partner.xlsx"
    sheet.write_bytes(b"not a workbook")
    read_ahead(sheet)
    assert not missing.exists()


def test_checksum_is_remembered_only_while_the_file_is_unchanged(tmp_path):
    path = tmp_path / "partner.csv"
    path.write_bytes(b"a,b\n1,2\n")
    first = sha256_of(path)
    assert first == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    path.write_bytes(b"a,b\n1,3\n")  # same size: the modification time tells
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert sha256_of(path) == hashlib.sha256(b"a,b\n1,3\n").hexdigest()


def test_distinct_texts_strip_and_take_back_to_the_rows():
    values = pd.Series(["a", " a ", None, "", "b", "a"], dtype="str")
    distinct = distinct_texts(values)
    rows = distinct.per_row(distinct.texts.to_numpy(dtype=object))
    assert rows.tolist() == ["a", "a", "", "", "b", "a"]
    assert distinct.counts.sum() == len(values)
    assert len(distinct.texts) == len(set(distinct.codes))
    upper = distinct.text_column(distinct.texts.str.upper(), np.array([True, False, True, True, True, False]))
    assert list(upper) == ["A", "", "", "B"]
