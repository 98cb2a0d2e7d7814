"""Folium maps: layers built in EPSG:27700, reprojected to EPSG:4326 as the last step.

Leaflet and its plugins are served by the app itself (static/vendor, fetched from
the npm registry at setup), never from a CDN, so maps draw on a network with no
internet.  Every text shown in a tooltip is HTML-escaped first: Leaflet puts
tooltip text into the page as HTML.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, TypeVar, Union

import numpy as np
import numpy.typing as npt
import shapely

from svd_geo.base.config import ANALYSIS_CRS, DISPLAY_CRS
from svd_geo.base.coords import require_analysis_crs, transformer
from svd_geo.base.speed import on_projection_thread

if TYPE_CHECKING:
    import folium
    import geopandas as gpd


SMALL_COLOUR = "#d9d9d9"
"""Areas whose counts are too small to show, in meetings."""
PLACE_COLOUR = "#1b7837"
"""Intervention places, on every map and page (blue means a covered hotspot)."""

# ColorBrewer YlOrRd: sequential and safe for the common forms of colour blindness.
PALETTE = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")


MapParent = Union["folium.Map", "folium.FeatureGroup"]
MapParentT = TypeVar("MapParentT", "folium.Map", "folium.FeatureGroup")
"""Where a layer goes: straight on a map, or in a feature group."""


def _to_degrees(geometries: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    project = transformer(ANALYSIS_CRS, DISPLAY_CRS)
    moved: npt.NDArray[np.object_] = shapely.transform(
        geometries, lambda xy: np.column_stack(project.transform(xy[:, 0], xy[:, 1]))
    )
    return moved


def to_display(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject a layer from EPSG:27700 to EPSG:4326 (the maps' last step).

    The same transformation as ``frame.to_crs(DISPLAY_CRS)``, through one cached
    transformer on :mod:`svd_geo.base.speed`'s one projection thread (``to_crs`` builds a
    transformer each call, and PROJ is set up again in every new thread).

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        A layer in EPSG:27700.

    Returns
    -------
    geopandas.GeoDataFrame
        The layer in EPSG:4326.

    Raises
    ------
    CrsError
        When the layer is not in EPSG:27700.
    """
    import geopandas as gpd

    require_analysis_crs(frame, "map layers")
    moved = on_projection_thread(_to_degrees, frame.geometry.to_numpy())
    name = frame.geometry.name
    geometry = gpd.GeoSeries(moved, index=frame.index, crs=DISPLAY_CRS, name=name)
    return gpd.GeoDataFrame(frame.drop(columns=name), geometry=geometry)


def escaped(frame: gpd.GeoDataFrame, columns: list[str]) -> gpd.GeoDataFrame:
    """Keep ``columns`` and the geometry, with every text value HTML-escaped.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        A layer.
    columns : list of str
        The columns to keep.

    Returns
    -------
    geopandas.GeoDataFrame
        The columns as escaped text, with the geometry.
    """
    kept = frame[[*columns, "geometry"]].copy()
    for column in columns:
        kept[column] = kept[column].map(lambda v: html.escape(str(v)) if v is not None and v == v else "")
    return kept


def add_to_page(fmap: folium.Map, markup: str) -> None:
    """Add markup to the map's page (beside the map, not on it: legends, notes).

    Parameters
    ----------
    fmap : folium.Map
        The map.
    markup : str
        HTML, escaped by the caller.
    """
    import folium

    root: Any = fmap.get_root()  # a branca Figure, whose html section takes page elements
    root.html.add_child(folium.Element(markup))


def add_choropleth(
    fmap: MapParent,
    areas: gpd.GeoDataFrame,
    *,
    value: str,
    label: str,
    scheme: str,
    classes: int,
    shown: str,
    small: npt.NDArray[np.bool_] | None = None,
    small_label: str = "",
) -> list[tuple[str, str]]:
    """Add areas coloured by ``value`` classes; return the legend (colour, text) rows.

    ``shown`` is the column whose text the tooltip shows for the value (it may
    hold "<5" where small counts are suppressed).  Areas in ``small`` form one
    class of their own, first in the legend, and the other areas are classed
    without them: no break then falls below the small-count threshold, where a
    class of "1 – 1" would tell each area's count.

    Parameters
    ----------
    fmap : folium.Map or folium.FeatureGroup
        Where to draw.
    areas : geopandas.GeoDataFrame
        Areas with ``value`` and ``shown``, EPSG:27700.
    value : str
        The column to class.
    label : str
        What the value is, for the tooltip.
    scheme : str
        A key of :data:`svd_geo.outputs.breaks.SCHEMES`.
    classes : int
        How many classes.
    shown : str
        The column shown in tooltips (counts suppressed in meetings).
    small : numpy.ndarray of bool, optional
        Areas drawn in one class of small counts.
    small_label : str, optional
        That class's legend text, e.g. "fewer than 5 incidents".

    Returns
    -------
    list of tuple
        The legend's (colour, text) rows.
    """
    import folium

    from svd_geo.outputs.breaks import class_labels, classify_values

    small = np.zeros(len(areas), dtype=bool) if small is None else np.asarray(small, dtype=bool)
    values = areas.loc[~small, value]
    classes_of, bounds = classify_values(values, scheme, classes) if len(values) else (np.array([], int), [])
    colours = _palette(len(bounds))
    fills = np.full(len(areas), SMALL_COLOUR, dtype=object)
    fills[~small] = [colours[c] for c in classes_of]
    layer = areas.assign(fill=fills)
    display = to_display(escaped(layer, ["area_code", "area_name", shown, "fill"]))
    folium.GeoJson(
        display.__geo_interface__,
        name=f"{label} by area",
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#555",
            "weight": 0.7,
            "fillOpacity": 0.7,
        },
        highlight_function=lambda f: {"weight": 2.5, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["area_name", "area_code", shown], aliases=["Area", "Code", label], direction="auto"
        ),
    ).add_to(fmap)
    rows = [(SMALL_COLOUR, small_label)] if small.any() else []
    if len(values):
        rows += list(zip(colours, class_labels(values, bounds), strict=True))
    return rows


def _palette(count: int) -> list[str]:
    picks = np.linspace(0, len(PALETTE) - 1, count).round().astype(int) if count > 1 else [len(PALETTE) - 1]
    return [PALETTE[i] for i in picks]


def add_polygons(
    fmap: MapParent,
    layer: gpd.GeoDataFrame,
    *,
    name: str,
    colour: str,
    fields: dict[str, str],
    dashed: bool = False,
) -> None:
    """Add outlined polygons (hotspots, interventions) with an escaped tooltip.

    Parameters
    ----------
    fmap : folium.Map or folium.FeatureGroup
        Where to draw.
    layer : geopandas.GeoDataFrame
        The polygons, EPSG:27700.
    name : str
        The layer's name.
    colour : str
        Outline colour.
    fields : dict of str to str
        Tooltip fields and their labels.
    dashed : bool, default False
        Dashed outlines.
    """
    import folium

    if layer.empty:
        return
    display = to_display(escaped(layer, list(fields)))
    folium.GeoJson(
        display.__geo_interface__,
        name=name,
        style_function=lambda f: {
            "color": colour,
            "weight": 2.5,
            "fillColor": colour,
            "fillOpacity": 0.15,
            "dashArray": "6 4" if dashed else None,
        },
        tooltip=folium.GeoJsonTooltip(fields=list(fields), aliases=list(fields.values()), direction="auto"),
    ).add_to(fmap)


def add_points(fmap: MapParent, points: gpd.GeoDataFrame, *, name: str, cap: int) -> int:
    """Add up to ``cap`` incidents as clustered circle markers; return how many were drawn.

    Parameters
    ----------
    fmap : folium.Map or folium.FeatureGroup
        Where to draw.
    points : geopandas.GeoDataFrame
        Incidents with a point, EPSG:27700.
    name : str
        The layer's name.
    cap : int
        The most markers drawn.

    Returns
    -------
    int
        How many were drawn.
    """
    import folium
    from folium.plugins import MarkerCluster

    shown = points.head(cap)
    display = to_display(shown[["geometry"]])
    cluster = MarkerCluster(name=name, disableClusteringAtZoom=17).add_to(fmap)  # type: ignore[no-untyped-call]
    for lat, lon in zip(display.geometry.y, display.geometry.x, strict=True):
        folium.CircleMarker([lat, lon], radius=3, color="#3b0f70", fill=True, weight=1).add_to(cluster)
    return len(shown)


def legend_html(title: str, rows: list[tuple[str, str]], *, style: str = "") -> str:
    """Return a legend box as HTML: title, and a colour swatch per row; every text escaped.

    Parameters
    ----------
    title : str
        The legend's title.
    rows : list of tuple
        (colour, text) rows.
    style : str, optional
        Extra CSS for the box.

    Returns
    -------
    str
        The HTML, every text escaped.
    """
    items = "".join(
        f'<div><span style="display:inline-block;width:14px;height:14px;background:{html.escape(colour)};'
        f'border:1px solid #555;margin-right:6px"></span>{html.escape(text)}</div>'
        for colour, text in rows
    )
    return (
        f'<div class="svd-legend" style="{style}background:white;padding:6px 10px;font:13px sans-serif;'
        'border:1px solid #999">'
        f"<b>{html.escape(title)}</b>{items}</div>"
    )


def add_legend(
    fmap: folium.Map, title: str, rows: list[tuple[str, str]], *, position: str = "top:10px;right:10px"
) -> None:
    """Add a fixed legend box to the map at a CSS position.

    Parameters
    ----------
    fmap : folium.Map
        The map.
    title : str
        The legend's title.
    rows : list of tuple
        (colour, text) rows.
    position : str
        CSS position, e.g. ``"top:10px;right:10px"``.
    """
    add_to_page(fmap, legend_html(title, rows, style=f"position:fixed;{position};z-index:1000;"))


def folium_group(name: str) -> folium.FeatureGroup:
    """Return an empty feature group (a switchable layer) named for the layer control.

    Parameters
    ----------
    name : str
        The layer's name.

    Returns
    -------
    folium.FeatureGroup
        The empty group.
    """
    import folium

    return folium.FeatureGroup(name=name)
