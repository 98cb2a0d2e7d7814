"""svd_geo.views.map."""

from __future__ import annotations

import numpy as np

from svd_geo.analyses.params import HotspotParams
from svd_geo.select.filters import View
from svd_geo.views.common import area_table
from svd_geo.views.map import feature_summary
from tests.support.dashboard import drawn


def test_presentation_mode_never_draws_points(demo, session_config):
    incidents, interventions = demo
    layers = ("areas", "hotspots", "interventions", "points")
    analyst, _ = drawn(incidents, View(), session_config, layers=layers, interventions=interventions)
    meeting, built = drawn(
        incidents, View(presentation=True), session_config, layers=layers, interventions=interventions
    )
    # The base map holds one empty cluster layer, which loads the plugin for the pages' layers.
    assert "circleMarker" in analyst and analyst.count("L.markerClusterGroup(") == 2
    assert "circleMarker" not in meeting and meeting.count("L.markerClusterGroup(") == 1
    assert any("never shown" in note for note in built.notes)


def test_health_and_youth_records_are_never_points(demo, session_config):
    incidents, _ = demo
    view = View(sources=("ed", "youth"))
    html, _ = drawn(incidents, view, session_config, layers=("areas", "points"))
    assert "circleMarker" not in html


def test_clicked_area_summary(demo, session_config):
    incidents, _ = demo
    view = View(presentation=True)
    table = area_table(incidents, "ward", view, session_config)
    top = table.iloc[0]
    summary = feature_summary({"area_code": top["area_code"]}, table, view)
    assert summary["Rank"] == f"1 of {len(table)}"
    assert summary["Incidents"] == f"{int(top['count']):,}"
    assert feature_summary(None, table, view) is None
    assert np.isfinite(table["count"]).all()


def test_clicked_hotspot_and_place_summaries(demo, session_config):
    incidents, _ = demo
    table = area_table(incidents, "ward", View(), session_config)
    hotspot = feature_summary({"hotspot_id": 2, "shown": "&lt;5", "wards": "Oak &amp; Ash"}, table, View())
    assert hotspot["Hotspot"] == "2" and hotspot["Incidents"] == "<5" and hotspot["Wards"] == "Oak & Ash"
    place = {"name": "&lt;b&gt;Arch", "type": "knife arch", "partner": "Police"}
    assert feature_summary(place, table, View()) == {
        "Intervention": "<b>Arch",
        "Type": "knife arch",
        "Partner": "Police",
    }
    assert "Partner" not in feature_summary(place, table, View(presentation=True))


def test_the_map_draws_the_sessions_hotspot_definition_and_names_it(demo, session_config):
    incidents, places = demo
    layers = ("areas", "density", "hotspots", "interventions")
    html, built = drawn(incidents, View(), session_config, layers=layers, interventions=places)
    assert "L.imageOverlay" in html and "data:image/png;base64" in html
    titles = [title for title, _, _ in built.legends]
    assert f"Hotspots: {HotspotParams().describe()}" in titles
    assert any(title.startswith("Incidents per km² (KDE, quartic, 250 m)") for title in titles)
    clusters = HotspotParams(method="dbscan", eps_m=200.0, min_samples=10)
    _, built = drawn(incidents, View(), session_config, layers=layers, definition=clusters)
    assert "Hotspots: DBSCAN: 200 m radius, 10 incidents per core point" in [t for t, _, _ in built.legends]
    gistar = HotspotParams(method="gistar", areas="ward")
    html, built = drawn(incidents, View(), session_config, layers=("hotspots",), definition=gistar)
    assert "Gi* class" in html and any(t.startswith("Hotspots: Gi*: ward areas") for t, _, _ in built.legends)


def test_no_partner_in_meetings(demo, session_config):
    incidents, places = demo
    analyst, _ = drawn(incidents, View(), session_config, layers=("interventions",), interventions=places)
    meeting, _ = drawn(
        incidents, View(presentation=True), session_config, layers=("interventions",), interventions=places
    )
    assert "Partner" in analyst and "Partner" not in meeting


def test_the_rates_layer_draws_a_surface_whose_legend_names_the_mask(demo, session_config):
    incidents, _ = demo
    html, built = drawn(incidents, View(), session_config, layers=("rates",))
    assert html.count("L.imageOverlay") == 1
    ((title, rows, _),) = built.legends
    assert title == "Incidents per 1,000 residents (dual KDE, quartic, 500 m)"
    assert rows[-1][1] == "masked: fewer than 100 residents within reach"
    assert any(note.startswith("Incidents per 1,000 residents: a quartic kernel") for note in built.notes)
