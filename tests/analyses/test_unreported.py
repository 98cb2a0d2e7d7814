"""svd_geo.analyses.unreported: health-service violence against police-recorded violence, worked by hand."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from svd_geo.analyses.deprivation import rate_ratio
from svd_geo.analyses.unreported import COLUMNS, unreported_violence
from svd_geo.select.filters import View


@pytest.fixture(scope="module")
def two_lsoas(session_config):
    from svd_geo.sources.areas import study_context

    _, lsoas = study_context(session_config)
    return lsoas["area_code"].iloc[0], lsoas["area_code"].iloc[1]


def _records(rows: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(source, category, code) for source, category, code, n in rows for _ in range(n)],
        columns=["source", "category", "lsoa_code"],
    )


def test_health_records_are_set_against_police_violence_with_exact_intervals(session_config, two_lsoas):
    a, b = two_lsoas
    incidents = _records([
        ("ed", "Assault", a, 10), ("ambulance", "Stab / gunshot", a, 5), ("police", "Violence and sexual offences", a, 4),
        ("police", "Robbery", a, 1), ("police", "Drugs", a, 30), ("council", "Street drinking", a, 9),
        ("police", "Violence and sexual offences", b, 6), ("ed", "Assault", "E01999999", 3),
    ])  # fmt: skip
    result = unreported_violence(incidents, session_config)
    assert list(result.areas.columns) == COLUMNS
    first = result.areas.iloc[0]
    assert (first["area_code"], first["health"], first["police"], first["excess"]) == (a, 15, 5, 10)
    expected = rate_ratio(15, 1.0, 5, 1.0)
    assert first["ratio"] == pytest.approx(3.0) and first["share_unknown"] == pytest.approx(1 - 5 / 15)
    assert (first["share_low"], first["share_high"]) == pytest.approx(
        (1 - 1 / expected.low, 1 - 1 / expected.high)
    )
    other = result.areas.set_index("area_code").loc[b]
    assert (other["health"], other["police"]) == (0, 6) and np.isnan(other["share_low"])
    assert result.areas["excess"].iloc[-1] == -6  # the area with police records and no health ones last
    assert (result.overall["health"], result.overall["police"]) == (15, 11)  # the unknown LSOA is outside


def test_a_meeting_sees_no_small_count_nor_the_ratio_that_tells_it(session_config, two_lsoas):
    a, b = two_lsoas
    incidents = _records([("ed", "Assault", a, 12), ("police", "Robbery", a, 3), ("ed", "Assault", b, 20),
                          ("police", "Robbery", b, 10)])  # fmt: skip
    shown = unreported_violence(incidents, session_config).shown(View(presentation=True)).head(2)
    assert shown["police violence"].tolist() == ["10", "<5"] or shown["police violence"].tolist() == [
        "<5",
        "10",
    ]
    hidden = shown[shown["police violence"] == "<5"].iloc[0]
    assert hidden["health to police (95% interval)"] == "suppressed"
    assert hidden["unknown to police, at least (95% interval)"] == "suppressed"
    visible = shown[shown["police violence"] == "10"].iloc[0]
    assert visible["health to police (95% interval)"].startswith("2.0 (")


def test_an_area_without_police_records_shows_every_health_record_unknown_and_no_interval(
    session_config, two_lsoas
):
    a, b = two_lsoas
    incidents = _records([("ed", "Assault", a, 12), ("police", "Robbery", b, 10), ("ed", "Assault", b, 20)])
    shown = unreported_violence(incidents, session_config).shown(View()).set_index("health records")
    alone = shown.loc["12"]
    assert alone["health to police (95% interval)"] == "no police record to compare"
    assert alone["unknown to police, at least (95% interval)"] == "100% (no police record)"
    assert "nan" not in shown.to_string()


def test_svd_geo_unreported_writes_areas_and_a_sidecar(run, demo_store_path, tmp_path):
    out = tmp_path / "unreported.csv"
    summary = json.loads(
        run("unreported", "--store", str(demo_store_path), "--out", str(out), "--json").stdout
    )
    table = pd.read_csv(out)
    assert {"area_code", "health", "police", "share_unknown", "share_low", "share_high"} <= set(table.columns)
    assert table["health"].sum() == summary["health"] and table["police"].sum() == summary["police"]
    assert "easting" not in " ".join(table.columns)  # areas only: never a health record's point
    sidecar = json.loads(out.with_name(out.name + ".metadata.json").read_text())
    assert sidecar["overall"]["ratio_low"] <= sidecar["overall"]["ratio"] <= sidecar["overall"]["ratio_high"]
