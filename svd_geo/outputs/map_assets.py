"""The map's JavaScript and CSS: served by the app itself (static/vendor), never from a CDN.

Leaflet and its plugins are fetched from the npm registry at setup (static.lock), so
maps draw on a network with no internet.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from svd_geo.base.errors import SvdGeoError

if TYPE_CHECKING:
    import folium

MapParentT = TypeVar("MapParentT", "folium.Map", "folium.FeatureGroup")


STATIC_BASE_URL = "/app/static/vendor"


LOCAL_ASSETS = {
    "leaflet": "leaflet/dist/leaflet.js",
    "leaflet_css": "leaflet/dist/leaflet.css",
    "markerclusterjs": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "markerclustercss": "leaflet.markercluster/dist/MarkerCluster.css",
    "markerclusterdefaultcss": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "leaflet_draw_js": "leaflet-draw/dist/leaflet.draw.js",
    "leaflet_draw_css": "leaflet-draw/dist/leaflet.draw.css",
}


# Folium's defaults that none of svd-geo's layers use; dropped rather than fetched.
UNUSED_ASSETS = {
    "jquery", "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css",
    "awesome_markers_font_css", "awesome_markers_css", "awesome_rotate_css",
}  # fmt: skip


class MapAssetError(SvdGeoError, RuntimeError):
    """A map element wants JavaScript or CSS that the app does not serve itself."""


def _elements(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "_children", {}).values():
        yield from _elements(child)


def serve_assets_locally(fmap: MapParentT, *, base_url: str = STATIC_BASE_URL) -> MapParentT:
    """Point every element's JavaScript and CSS at the app's own copies.

    Parameters
    ----------
    fmap : folium.Map or folium.FeatureGroup
        The map or layer.
    base_url : str
        Where the app serves its vendored assets.

    Returns
    -------
    folium.Map or folium.FeatureGroup
        The same object.

    Raises
    ------
    MapAssetError
        For an asset the app does not serve.
    """
    for element in _elements(fmap):
        for attribute in ("default_js", "default_css"):
            assets = getattr(element, attribute, None)
            if not assets:
                continue
            local = []
            for name, _url in assets:
                if name in UNUSED_ASSETS:
                    continue
                if name not in LOCAL_ASSETS:
                    msg = (
                        f"map asset {name!r} is not served by the app; "
                        "add it to static.lock and LOCAL_ASSETS."
                    )
                    raise MapAssetError(msg)
                local.append((name, f"{base_url}/{LOCAL_ASSETS[name]}"))
            setattr(element, attribute, local)
    return fmap


def load_plugins_with_the_map(fmap: folium.Map) -> folium.Map:
    """Load the marker-cluster plugin in the map's own page, not only with a layer that uses it.

    streamlit-folium adds layers to a map already drawn (``feature_group_to_add``)
    by running their script in the map's frame: a plugin that only such a layer
    declares is never loaded there, and the layer fails with
    "L.markerClusterGroup is not a function".  An empty cluster layer on the base
    map makes folium load the plugin after Leaflet, in order.

    Parameters
    ----------
    fmap : folium.Map
        The base map the pages draw their layers on.

    Returns
    -------
    folium.Map
        The same map; call :func:`serve_assets_locally` after.
    """
    from folium.plugins import MarkerCluster

    MarkerCluster(name="plugin loader", control=False).add_to(fmap)  # type: ignore[no-untyped-call]
    return fmap
