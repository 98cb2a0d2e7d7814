"""svd_geo.views.data."""

from __future__ import annotations

import pandas as pd
import pytest

from svd_geo.base.errors import DataValidationError
from svd_geo.store.backends import open_store
from svd_geo.views.data import (
    escape_markdown,
    import_upload,
    overrides_from_mapping,
    preview_places_upload,
    preview_upload,
    uploaded_file,
)
from tests.conftest import DATA


def test_partner_text_is_shown_literally_not_as_markdown():
    assert escape_markdown("**bold** [link](x) <b>") == r"\*\*bold\*\* \[link\]\(x\) \<b\>"


def test_an_uploaded_name_cannot_leave_its_temporary_folder():
    with uploaded_file(b"a,b\n", "../../etc/pass wd.csv") as path:
        assert path.name == "pass_wd.csv" and path.parent.name != "etc"
        assert path.read_bytes() == b"a,b\n"
    assert not path.exists()


def test_a_preview_shows_the_detected_fields_and_the_first_rows():
    preview = preview_upload((DATA / "police_uk_20.csv").read_bytes(), "police_uk_20.csv")
    fields = dict(zip(preview.mapping["column"], preview.mapping["field"], strict=True))
    assert fields["Longitude"] == "longitude" and fields["Location"] == "place" and fields["Context"] == ""
    assert preview.tables == 1 and len(preview.head) == 5 and preview.detection.layout == "police.uk"


def test_an_edited_mapping_becomes_overrides_and_a_blank_field_means_ignore():
    edited = pd.DataFrame({"column": ["When", "Notes"], "field": ["date", ""]})
    assert overrides_from_mapping(edited) == {"When": "date", "Notes": "ignore"}
    with pytest.raises(DataValidationError, match="column 'When': unknown field 'dat'"):
        overrides_from_mapping(pd.DataFrame({"column": ["When"], "field": ["dat"]}))


def test_an_upload_is_imported_once_under_its_own_name(config):
    data = (DATA / "police_uk_20.csv").read_bytes()
    store = open_store(config.store_path)
    prepared, result = import_upload(data, "March.csv", "police", config, store)
    assert prepared.file_name == "March.csv" and not result.already_imported
    assert store.imports()["file"].tolist() == ["March.csv"]
    _, again = import_upload(data, "copy of March.csv", "police", config, store)
    assert again.already_imported and again.import_id == result.import_id


def test_a_places_preview_says_which_column_gives_each_field():
    data = b"Scheme,Lead,Start,latitude,longitude,Buffer\nPatrol,police,2024-03-01,53.144,-1.1975,150\n"
    preview = dict(preview_places_upload(data, "places.csv").itertuples(index=False))
    assert (
        preview["name"] == "Scheme" and preview["start_date"] == "Start" and preview["radius_m"] == "Buffer"
    )
    assert preview["end_date"] == "" and preview["partner"] == "Lead"
