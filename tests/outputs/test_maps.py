"""svd_geo.outputs.maps."""

from __future__ import annotations

from svd_geo.select.filters import View
from svd_geo.sources.boundaries import load_boundaries
from tests.support.dashboard import drawn


def test_display_reprojection_equals_geopandas_to_crs(config):
    from svd_geo.outputs.maps import to_display

    wards = load_boundaries("ward", config)
    shown = to_display(wards)
    expected = wards.to_crs(4326)
    assert shown.crs.to_epsg() == 4326 and list(shown.columns) == list(expected.columns)
    assert shown.geometry.geom_equals_exact(expected.geometry, tolerance=1e-12).all()
    assert shown.drop(columns="geometry").equals(expected.drop(columns="geometry"))


def test_hostile_text_is_escaped_in_tooltips(demo, session_config):
    incidents, interventions = demo
    hostile = interventions.copy()
    hostile.loc[hostile.index[0], "name"] = '<img src=x onerror="window.__xss=1">'
    html, _ = drawn(incidents, View(), session_config, layers=("interventions",), interventions=hostile)
    assert "<img src=x" not in html
    assert "\\u0026lt;img src=x" in html  # HTML-escaped, then JSON-encoded by folium


def test_a_legend_shown_as_html_escapes_its_title_and_rows():
    from svd_geo.outputs.maps import legend_html

    payload = '<img src=x onerror="window.__xss=1">'
    html = legend_html(
        f"Incidents ({payload})", [('#fff" onmouseover="x', payload), ("#c51b7d", "=HYPERLINK(1)")]
    )
    assert "<img" not in html and '" onmouseover' not in html and "&lt;img src=x" in html
    assert html.count("&lt;img") == 2 and "=HYPERLINK(1)" in html  # text on a page, not a formula
