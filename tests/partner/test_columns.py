"""svd_geo.partner.columns."""

from __future__ import annotations

import pytest

from svd_geo.base.errors import DataValidationError
from svd_geo.partner.detect import parse_overrides
from svd_geo.partner.ingest import prepare_import
from tests.support.ingest import MANSFIELD_E, MANSFIELD_N


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
