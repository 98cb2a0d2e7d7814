"""svd_geo.base.schema."""

from __future__ import annotations

from svd_geo.base.coords import COORDINATE_COLUMNS
from svd_geo.base.schema import INCIDENT_COLUMNS, REJECTED_COLUMNS, STORED_ONLY_COLUMNS, PreparedImport
from svd_geo.partner.ingest import prepare_import
from svd_geo.store.protocol import INCIDENT_TYPES
from tests.conftest import DATA


def test_the_store_keeps_every_incident_column_and_the_import_it_came_from():
    assert list(INCIDENT_TYPES) == ["import_id", *INCIDENT_COLUMNS]
    assert set(STORED_ONLY_COLUMNS) <= set(INCIDENT_COLUMNS)


def test_a_prepared_import_holds_the_columns_it_promises_and_sums_them_up(config, write_csv):
    prepared = prepare_import(DATA / "police_uk_20.csv", "police", config)
    assert isinstance(prepared, PreparedImport)
    assert list(prepared.incidents.columns) == [*INCIDENT_COLUMNS, *COORDINATE_COLUMNS, "geometry"]
    assert list(prepared.rejected.columns) == REJECTED_COLUMNS
    summary = prepared.summary
    assert summary["accepted"] + summary["rejected"] == 20
    assert summary["area_only"] == int(prepared.incidents.geometry.isna().sum())
    assert summary["source"] == "police" and summary["file"] == "police_uk_20.csv"
