"""svd_geo.views.hotspots."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pytest

from svd_geo.analyses.params import HotspotParams
from svd_geo.analyses.run import run_hotspots
from svd_geo.select.filters import View
from svd_geo.store.backends import open_store
from svd_geo.views.hotspots import hotspot_download, hotspot_sidecar, used_sentence


@pytest.fixture(scope="module")
def demo_run(demo_store_path, session_config):
    incidents = open_store(demo_store_path).incidents()
    return incidents, run_hotspots(incidents, HotspotParams(), session_config)


def test_the_sentence_counts_the_incidents_used_and_says_why_the_rest_were_not(demo_run):
    incidents, run = demo_run
    located = int(incidents.geometry.notna().sum())
    rest = len(incidents) - located
    assert 0 < rest < len(incidents)
    assert used_sentence(run) == (
        f"{located:,} of {len(incidents):,} incidents have a point and were used; the other {rest:,} are "
        "recorded only to an area (LSOA or ward) and count in area totals, not in these hotspots."
    )


def test_a_download_is_the_layer_and_its_sidecar_names_the_definition(demo_run):
    _, run = demo_run
    layer = gpd.read_file(io.BytesIO(hotspot_download(run, ".geojson", View())))
    assert layer["hotspot_id"].tolist() == run.layer["hotspot_id"].tolist()
    sidecar = json.loads(hotspot_sidecar(run, View(), {"title": "KDE hotspots"}))
    assert sidecar["rows"] == len(run.layer) and sidecar["parameters"]["method"] == "kde"


def test_meetings_cannot_export(demo_run):
    _, run = demo_run
    with pytest.raises(PermissionError, match="presentation mode cannot export"):
        hotspot_download(run, ".csv", View(presentation=True))
    with pytest.raises(PermissionError):
        hotspot_sidecar(run, View(presentation=True), {})


def test_a_meeting_sees_a_repeat_locations_description_and_ward_never_its_point():
    import pandas as pd

    from svd_geo.analyses.repeats import COLUMNS
    from svd_geo.views.hotspots import repeats_section

    table = pd.DataFrame([[1, 1, "On or near Westgate", "Portland", 40, 40.0, "2025-01-01", "2025-06-01",
                           "rising", 0.01, 453700, 360900]], columns=COLUMNS)  # fmt: skip
    caption, meeting = repeats_section(table, View(presentation=True))
    assert (
        "easting_m" not in meeting
        and "harm" not in meeting
        and meeting["place"].iloc[0] == "On or near Westgate"
    )
    assert "1 points hold 10 incidents or more" in caption
    _, analyst = repeats_section(table.assign(harm=[972.2]), View())
    assert {"easting_m", "harm", "harm_rank"} <= set(analyst.columns)
