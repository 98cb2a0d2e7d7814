"""svd_geo.outputs.map_assets."""

from __future__ import annotations

import re

import pytest

from svd_geo.outputs.map_assets import LOCAL_ASSETS, MapAssetError, serve_assets_locally
from svd_geo.select.filters import View
from tests.support.dashboard import drawn


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
