"""svd_geo.base.archives."""

from __future__ import annotations

import zipfile

import pytest

from svd_geo.base.archives import MAX_RATIO, checked_entries, extract_entries, input_limit_bytes, read_entry
from svd_geo.base.errors import DataValidationError


def _zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("name", "why"),
    [("../x.csv", "climbs out"), ("a/../../x.csv", "climbs out"), ("/etc/x.csv", "absolute path"),
     ("C:\\x.csv", "absolute path"), ("\\\\server\\x.csv", "absolute path")],
)  # fmt: skip
def test_an_entry_that_could_leave_its_folder_is_refused_by_name(tmp_path, name, why):
    path = _zip(tmp_path / "in.zip", {"ok.csv": b"a\n", name: b"a\n"})
    with pytest.raises(DataValidationError, match=f"in.zip: entry .* {why}"):
        checked_entries(path)


def test_an_entry_that_expands_too_far_is_refused_before_it_is_read(tmp_path):
    path = _zip(tmp_path / "bomb.zip", {"zeros.csv": b"0" * (8 * 2**20)})
    info = zipfile.ZipFile(path).infolist()[0]
    assert info.file_size / info.compress_size > MAX_RATIO
    with pytest.raises(DataValidationError, match="looks like a zip bomb"):
        checked_entries(path)


def test_the_declared_content_is_held_to_the_input_limit(tmp_path, monkeypatch):
    path = _zip(tmp_path / "big.zip", {f"{i}.csv": bytes(range(256)) * 40 for i in range(3)})
    monkeypatch.setenv("SVD_GEO_MAX_INPUT_MB", "0.02")
    assert input_limit_bytes() == int(0.02 * 2**20)
    with pytest.raises(DataValidationError, match=r"more than the limit of 0 MB \(set SVD_GEO_MAX_INPUT_MB"):
        checked_entries(path)


def test_checked_entries_are_read_and_copied_under_safe_names(tmp_path):
    path = _zip(tmp_path / "ok.zip", {"2024-01/force street.csv": b"a,b\n1,2\n", "notes/": b""})
    entries = checked_entries(path)
    assert [info.filename for info in entries] == ["2024-01/force street.csv"]
    assert read_entry(path, entries[0]) == b"a,b\n1,2\n"
    folder = tmp_path / "copies"
    folder.mkdir()
    (copy,) = extract_entries(path, entries, folder)
    assert copy == folder / "force_street.csv" and copy.read_bytes() == b"a,b\n1,2\n"


def test_a_safe_name_keeps_the_last_part_and_plain_characters():
    from svd_geo.base.archives import safe_file_name

    assert safe_file_name("..\\..\\exports\\March 2024 (final).csv") == "March_2024__final_.csv"
    assert safe_file_name("../../etc/passwd") == "passwd" and safe_file_name("") == "upload"
