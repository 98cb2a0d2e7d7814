"""What the dashboard shows: filters, area tables, presentation mode, the map's assets."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from svd_geo.analyses.params import HotspotParams
from svd_geo.analyses.run import run_hotspots
from svd_geo.outputs.map_assets import LOCAL_ASSETS, MapAssetError, serve_assets_locally
from svd_geo.select.filters import View, select_view, shown_count, ward_districts
from svd_geo.store.geopackage import open_store
from svd_geo.views.common import area_choices, area_table
from svd_geo.views.map import base_map, build_map_layers, density_params, feature_summary


@pytest.fixture(scope="module")
def demo(demo_store_path):
    store = open_store(demo_store_path)
    return store.incidents(), store.interventions()


def drawn(incidents, view, config, *, layers, interventions=None, definition=None):
    """The layers as the Map page draws them, on the base map: (rendered HTML, layers)."""
    definition = definition or HotspotParams()
    selected = select_view(incidents, view, config)
    hotspots = run_hotspots(selected, definition, config) if "hotspots" in layers else None
    density = (
        run_hotspots(selected, density_params(definition), config).surface if "density" in layers else None
    )
    built = build_map_layers(
        selected, view, config, layers=layers, interventions=interventions, hotspots=hotspots, density=density
    )
    fmap = base_map(config)
    for group in built.groups:
        group.add_to(fmap)
    return fmap.get_root().render(), built


def test_filters_change_the_counts(demo, session_config):
    incidents, _ = demo
    everything = area_table(select_view(incidents, View(), session_config), "ward", View(), session_config)
    police = View(sources=("police",), date_from="2025-01-01", date_to="2025-06-30")
    some = area_table(select_view(incidents, police, session_config), "ward", police, session_config)
    assert everything["count"].sum() == len(incidents[incidents["ward_code"].isin(everything["area_code"])])
    assert 0 < some["count"].sum() < everything["count"].sum()
    assert "police" in police.describe() and "2025-01-01" in police.describe()


def test_small_counts_are_suppressed_only_in_presentation():
    assert shown_count(3, View(presentation=True)) == "<5"
    assert shown_count(3, View()) == "3"
    assert shown_count(0, View(presentation=True)) == "0"
    assert shown_count(12345, View(presentation=True)) == "12,345"


def test_ward_rates_use_registered_population(demo, session_config):
    incidents, _ = demo
    table = area_table(incidents, "ward", View(), session_config)
    assert table["population"].notna().mean() > 0.9
    row = table.dropna(subset=["population"]).iloc[0]
    assert row["rate_per_1k"] == pytest.approx(row["count"] / row["population"] * 1000)


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


def test_map_loads_nothing_from_the_internet(demo, session_config):
    incidents, interventions = demo
    layers = ("areas", "density", "hotspots", "interventions", "points")
    html, _ = drawn(incidents, View(), session_config, layers=layers, interventions=interventions)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/app/static/vendor/") for s in sources)
    assert "Contains OS data" in html  # attribution on every map


def test_unknown_asset_is_refused():
    import folium
    from folium.plugins import Fullscreen

    fmap = folium.Map(tiles=None)
    Fullscreen().add_to(fmap)
    with pytest.raises(MapAssetError, match="not served by the app"):
        serve_assets_locally(fmap)
    assert set(LOCAL_ASSETS) >= {"leaflet", "leaflet_css"}


def test_hostile_text_is_escaped_in_tooltips(demo, session_config):
    incidents, interventions = demo
    hostile = interventions.copy()
    hostile.loc[hostile.index[0], "name"] = '<img src=x onerror="window.__xss=1">'
    html, _ = drawn(incidents, View(), session_config, layers=("interventions",), interventions=hostile)
    assert "<img src=x" not in html
    assert "\\u0026lt;img src=x" in html  # HTML-escaped, then JSON-encoded by folium


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


def test_overview_period_is_three_whole_months_by_default(demo, session_config):
    from svd_geo.views.overview import build_overview

    incidents, _ = demo
    overview = build_overview(incidents, View(), session_config)
    assert overview.periods.start == pd.Timestamp("2026-04-01")
    assert overview.periods.end == pd.Timestamp("2026-06-30")
    assert overview.periods.previous == (pd.Timestamp("2025-12-31"), pd.Timestamp("2026-03-31"))
    totals = overview.by_partner.set_index("partner").loc["all partners"]
    in_period = incidents[(incidents["occurred"] >= "2026-04-01") & (incidents["occurred"] < "2026-07-01")]
    assert totals["this period"] == f"{len(in_period):,}"


def test_district_ward_weekday_and_hour_filters(demo, session_config):
    incidents, _ = demo
    districts = ward_districts(session_config)
    ashfield = select_view(incidents, View(districts=("E07000170",)), session_config)
    mansfield = select_view(incidents, View(districts=("E07000174",)), session_config)
    assert set(ashfield["ward_code"].map(districts)) == {"E07000170"}
    assert len(ashfield) + len(mansfield) == incidents["ward_code"].isin(districts.index).sum()
    weekend = select_view(incidents, View(weekdays=(4, 5)), session_config)
    assert set(weekend["occurred"].dt.day_of_week) == {4, 5}
    assert (weekend["occurred_precision"] != "month").all()
    night = select_view(incidents, View(hours=(20, 4)), session_config)
    assert set(night["occurred"].dt.hour) <= {20, 21, 22, 23, 0, 1, 2, 3} and len(night) > 100
    assert (night["occurred_precision"] == "datetime").all()
    view = View(districts=("E07000170",), weekdays=(4, 5), hours=(20, 4))
    assert "days Fri, Sat" in view.describe() and "20:00 to 04:00 (records with a time)" in view.describe()
    choices = area_choices(session_config)
    assert choices.districts == {"E07000170": "Ashfield", "E07000174": "Mansfield"}
    assert set(choices.ward_district.values()) == set(choices.districts)


def test_density_overlay_sits_where_the_incidents_are(session_config):
    from pyproj import Transformer

    from svd_geo.methods.kde import compute_kde
    from svd_geo.outputs.density_image import density_image

    rng = np.random.default_rng(3)
    x, y = 453_700 + rng.normal(0, 40, 500), 360_900 + rng.normal(0, 40, 500)
    x, y = np.append(x, [446_000, 461_000]), np.append(y, [352_000, 367_000])  # stretch the grid
    uri, bounds, legend = density_image(compute_kde(x, y, bandwidth_m=200.0))
    image = np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))))
    rows, columns = np.nonzero(np.all(image[..., :3] == (189, 0, 38), axis=-1))  # the top class
    (south, west), (north, east) = bounds
    to_mercator = Transformer.from_crs(4326, 3857, always_xy=True)
    (left, right), (bottom, top) = to_mercator.transform([west, east], [south, north])
    mx = left + (columns.mean() + 0.5) / image.shape[1] * (right - left)
    my = top - (rows.mean() + 0.5) / image.shape[0] * (top - bottom)
    lon, lat = Transformer.from_crs(3857, 4326, always_xy=True).transform(mx, my)
    east_m, north_m = Transformer.from_crs(4326, 27700, always_xy=True).transform(lon, lat)
    pixel_m = (461_000 - 446_000 + 400) / image.shape[1]
    assert abs(east_m - 453_700) < 2 * pixel_m and abs(north_m - 360_900) < 2 * pixel_m
    assert [label.startswith("from ") for _, label in legend] == [True] * 5


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


def test_density_legend_breaks_are_round_numbers_that_still_rise():
    from svd_geo.outputs.density_image import readable_breaks

    assert readable_breaks(np.array([3.2, 98.0, 1773.0, 4200.0, 6100.0])).tolist() == [
        2,
        50,
        1000,
        2000,
        5000,
    ]
    # A break that would round onto the one below keeps its value: no class disappears.
    assert readable_breaks(np.array([0.0, 0.5, 0.52, 0.7])).tolist() == [0.0, 0.5, 0.52, 0.7]
