"""The map under every layer: the street basemap (or none), place-name labels and a compact attribution.

Tiles come from the configured tile server (OpenStreetMap by default) and may not
load (no internet); every layer and the labels still draw, since they come from
the boundaries the project already has.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from branca.element import MacroElement
from jinja2 import Template

from svd_geo.base.config import ANALYSIS_CRS, DISPLAY_CRS
from svd_geo.outputs.maps import MapParent, to_display

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

LABEL_STYLE = (
    "color:#222;white-space:nowrap;pointer-events:none;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff"
)
"""Names over any basemap or layer: dark text with a white halo, never catching a click."""


def new_map(
    bounds_bng: tuple[float, float, float, float],
    *,
    tiles: tuple[str, str] | None,
    attribution: str,
    summary: str = "© Crown copyright; OGL v3.0",
    large_type: bool = False,
) -> folium.Map:
    """Return an empty map fitted to bounds in EPSG:27700, with or without a street basemap.

    Parameters
    ----------
    bounds_bng : tuple of float
        West, south, east, north in EPSG:27700 metres.
    tiles : tuple of str or None
        The basemap's tile URL template and its attribution; None draws no basemap.
    attribution : str
        The data's attribution (shown in full when its summary is clicked).
    summary : str, optional
        The short line the attribution folds under.
    large_type : bool, default False
        Tooltips, labels and the attribution in type a projector shows (presentation mode).

    Returns
    -------
    folium.Map
        The empty map.
    """
    import folium
    import geopandas as gpd
    import shapely

    box = gpd.GeoSeries([shapely.box(*bounds_bng)], crs=ANALYSIS_CRS).to_crs(DISPLAY_CRS)
    west, south, east, north = box.total_bounds
    fmap = folium.Map(
        location=[(south + north) / 2, (west + east) / 2], tiles=None, control_scale=True, prefer_canvas=False
    )
    if tiles is not None:
        url, tiles_attribution = tiles
        folium.TileLayer(tiles=url, attr=html.escape(tiles_attribution), name="Street map", control=False,
                         max_zoom=19).add_to(fmap)  # fmt: skip
    fmap.fit_bounds([[south, west], [north, east]])
    Attribution(_folded_attribution(summary, attribution)).add_to(fmap)
    LabelsByZoom().add_to(fmap)
    root: Any = fmap.get_root()  # a branca Figure, whose header takes style sheets
    root.header.add_child(folium.Element(TOOLTIP_CSS))
    if large_type:
        root.header.add_child(folium.Element(LARGE_TYPE_CSS))
    return fmap


def _folded_attribution(summary: str, attribution: str) -> str:
    """Return the attribution as a one-line summary that opens to the full text (both escaped)."""
    return (
        f'<details style="display:inline"><summary style="display:inline;cursor:pointer">'
        f"{html.escape(summary)}</summary>{html.escape(attribution)}</details>"
    )


class Attribution(MacroElement):
    """A line in the map's own attribution control (bottom right, small), in place of Leaflet's prefix.

    Parameters
    ----------
    markup : str
        The line, HTML escaped by the caller.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.attributionControl.setPrefix(false);"
        "{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.markup|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, markup: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Attribution"
        self.markup = markup


TOOLTIP_CSS = "<style>.leaflet-tooltip{white-space:normal;max-width:280px;width:max-content}</style>"
"""Tooltips wrap instead of running past the map's edge (the frame cuts what crosses it)."""

LARGE_TYPE_CSS = (
    "<style>.leaflet-tooltip,.leaflet-popup-content{font-size:20px!important}"
    ".svd-label-small{font-size:18px!important}.svd-label-large{font-size:24px!important}"
    ".leaflet-control-attribution{font-size:14px!important}</style>"
)
"""Presentation mode inside the map's frame, where the page's style sheet does not reach."""

WARD_LABELS_FROM_ZOOM = 13
"""Ward names appear from this zoom (about 2 km across a screen); town names below it."""


class LabelsByZoom(MacroElement):
    """Show ward names close in and town names far out, so that names never pile up."""

    _template = Template(
        "{% macro header(this, kwargs) %}<style>"
        ".svd-far .svd-label-small{display:none}.svd-near .svd-label-large{display:none}"
        "</style>{% endmacro %}"
        "{% macro script(this, kwargs) %}"
        "(function(m){function f(){var near=m.getZoom()>={{ this.zoom }};"
        "m.getContainer().classList.toggle('svd-near',near);m.getContainer().classList.toggle('svd-far',!near);}"
        "m.on('zoomend',f);f();})({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )

    def __init__(self, zoom: int = WARD_LABELS_FROM_ZOOM) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "LabelsByZoom"
        self.zoom = zoom


def add_area_labels(
    fmap: MapParent, areas: gpd.GeoDataFrame, *, name_column: str = "area_name", size_px: int = 12
) -> int:
    """Write each area's name at a point inside it (the labels a basemap would give, offline too).

    Parameters
    ----------
    fmap : folium.Map or folium.FeatureGroup
        Where to draw.
    areas : geopandas.GeoDataFrame
        Areas with ``name_column``, EPSG:27700.
    name_column : str, default "area_name"
        The column holding the names.
    size_px : int, default 12
        The type size: below 15 px the labels show only close in, from 15 px only far out
        (:class:`LabelsByZoom`).

    Returns
    -------
    int
        How many labels were drawn.
    """
    import folium

    size_class = "svd-label-small" if size_px < 15 else "svd-label-large"
    inside = areas[[name_column]].set_geometry(areas.geometry.representative_point(), crs=areas.crs)
    shown = to_display(inside)
    for name, point in zip(shown[name_column], shown.geometry, strict=True):
        icon = folium.DivIcon(
            html=(
                f'<div class="{size_class}" '
                f'style="{LABEL_STYLE};font:600 {size_px}px sans-serif;transform:translate(-50%,-50%)">'
                f"{html.escape(str(name))}</div>"
            ),
            icon_size=(0, 0),
        )
        folium.Marker([point.y, point.x], icon=icon, interactive=False).add_to(fmap)
    return len(shown)
