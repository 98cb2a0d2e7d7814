"""The Map page and every map of the dashboard: the layers of a view, legends and the clicked feature."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from svd_geo.base.config import Config
from svd_geo.outputs.maps import folium_group
from svd_geo.select.filters import View, shown_count
from svd_geo.select.points import PointSample, point_sample
from svd_geo.views.classes import class_group
from svd_geo.views.common import area_table

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

    from svd_geo.analyses.params import HotspotParams
    from svd_geo.analyses.rates import RateSurface
    from svd_geo.analyses.run import HotspotRun
    from svd_geo.methods.kde import DensitySurface
    from svd_geo.outputs.density_image import Overlay


POINT_CAP = 5000


LAYERS = ("areas", "density", "rates", "hotspots", "interventions", "labels", "points")


LAYER_LABELS = {
    "areas": "Areas (choropleth)", "density": "Kernel density surface",
    "rates": "Incidents per 1,000 residents surface (dual KDE)",
    "hotspots": "Hotspots (the session's definition)", "interventions": "Intervention places",
    "labels": "Ward and town names", "points": "Incidents as points (analysts)",
}  # fmt: skip


BASEMAPS = {"streets": "Street map", "none": "None (boundaries only)"}
"""The basemap choices: the configured tile server (OpenStreetMap by default), or none."""


HOTSPOT_COLOUR = "#d7191c"


Legend = tuple[str, list[tuple[str, str]], str]
"""A legend: title, (colour, text) rows, and its CSS position on the map."""


CHOROPLETH_LEGEND = "top:10px;right:10px"


DENSITY_LEGEND = "top:10px;left:60px"


CLASS_LEGEND = "bottom:40px;right:10px"


@dataclass
class MapLayers:
    """The view's layers, each a feature group not yet on a map, with legends and notes.

    The Map page streams them onto one base map that never changes, so a new
    view redraws layers instead of reloading the map (streamlit-folium keys its
    frame on the base map's script).
    """

    groups: list[folium.FeatureGroup]
    areas: gpd.GeoDataFrame
    legends: list[Legend] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def base_map(
    config: Config, *, basemap: str = "streets", attribution: str | None = None, large_type: bool = False
) -> folium.Map:
    """Return an empty map of the study area (the same script for every view), attribution included.

    Parameters
    ----------
    config : Config
        Where the boundaries are, and the street basemap's tile server.
    basemap : {"streets", "none"}, default "streets"
        A key of :data:`BASEMAPS`.
    attribution : str, optional
        The data's attribution (the registry's when None).
    large_type : bool, default False
        Tooltips and labels large enough for a projector (presentation mode).

    Returns
    -------
    folium.Map
        The empty map.
    """
    from svd_geo.outputs.basemap import new_map
    from svd_geo.outputs.map_assets import load_plugins_with_the_map, serve_assets_locally
    from svd_geo.sources.areas import study_areas
    from svd_geo.sources.tables import attribution_text

    text = attribution if attribution is not None else attribution_text(config)
    bounds = tuple(study_areas(config, "ward").total_bounds)
    tiles = (config.tiles_url, config.tiles_attribution) if basemap == "streets" else None
    fmap = new_map(bounds, tiles=tiles, attribution=text, large_type=large_type)
    return serve_assets_locally(load_plugins_with_the_map(fmap))


def build_map_layers(
    selected: pd.DataFrame,
    view: View,
    config: Config,
    *,
    level: str = "ward",
    measure: str = "count",
    scheme: str = "quantiles",
    classes: int = 5,
    layers: tuple[str, ...] = ("areas", "hotspots", "interventions"),
    interventions: gpd.GeoDataFrame | None = None,
    hotspots: HotspotRun | None = None,
    density: DensitySurface | None = None,
    rates: RateSurface | None = None,
    points: PointSample | None = None,
) -> MapLayers:
    """Build the layers of the selected incidents, each in its own feature group.

    Parameters
    ----------
    selected : pandas.DataFrame
        The incidents the view selects (EPSG:27700; see :func:`select_view`), so
        that a caller holding the selection does not make it again; or those
        incidents grouped by area (a store that counts in SQL), with ``points``.
    view : View
        Filters and mode; presentation mode drops point layers whatever ``layers``
        asks, and partner names from intervention tooltips.
    level : {"ward", "lsoa"}
        Areas of the choropleth (and of Gi*).
    measure : {"count", "rate"}
        Incidents, or incidents per 1,000 residents.
    scheme, classes
        mapclassify scheme and number of classes of the choropleth.
    layers : tuple of str
        Any of :data:`LAYERS`.
    interventions : geopandas.GeoDataFrame, optional
        Intervention places to outline.
    hotspots : HotspotRun, optional
        The view's hotspots in the session's definition, drawn when ``layers`` has
        ``"hotspots"`` (the same run the coverage tables count).
    density : DensitySurface, optional
        The view's kernel density, drawn when ``layers`` has ``"density"``.
    rates : RateSurface, optional
        The view's incidents per 1,000 residents, drawn when ``layers`` has ``"rates"``.
    points : PointSample, optional
        The incidents to draw when ``layers`` has ``"points"``: by default those of ``selected``.

    Returns
    -------
    MapLayers
        Feature groups, the area table, legends and notes.
    """
    from svd_geo.outputs.basemap import add_area_labels
    from svd_geo.outputs.density_image import density_image, rate_image
    from svd_geo.outputs.map_assets import serve_assets_locally
    from svd_geo.outputs.maps import PLACE_COLOUR, add_choropleth, add_polygons
    from svd_geo.sources.areas import study_areas, study_context

    table = area_table(selected, level, view, config)
    result = MapLayers([], table)
    value, label = (
        ("rate_per_1k", "Incidents per 1,000 residents") if measure == "rate" else ("count", "Incidents")
    )
    if "areas" in layers:
        shown = table.dropna(subset=[value])
        if measure == "rate":
            shown = shown.assign(shown=shown["shown_rate"])
        # In meetings the areas of fewer incidents than the threshold (none included) form one class.
        small = (shown["count"] < view.small_count_threshold).to_numpy() & view.presentation
        group = _group(result, f"{label} by {level}")
        rows = add_choropleth(
            group, shown, value=value, label=label, scheme=scheme, classes=classes, shown="shown",
            small=small, small_label=f"fewer than {view.small_count_threshold} incidents",
        )  # fmt: skip
        result.legends.append((f"{label} ({view.describe()})", rows, CHOROPLETH_LEGEND))
    if "density" in layers and density is not None:
        title = f"Incidents per km² (KDE, {density.kernel}, {density.bandwidth_m:g} m)"
        _add_overlay(_group(result, "Kernel density"), density_image(density), title, result)
    if "rates" in layers and rates is not None:
        surface = rates.incidents
        title = f"Incidents per 1,000 residents (dual KDE, {surface.kernel}, {surface.bandwidth_m:g} m)"
        _add_overlay(_group(result, "Incidents per resident"), rate_image(rates), title, result)
        result.notes.append(rates.describe())
    if "hotspots" in layers and hotspots is not None:
        group, legend = hotspot_group(hotspots, view)
        result.groups.append(group)
        result.legends.append(legend)
    if "interventions" in layers and interventions is not None and not interventions.empty:
        fields = {"name": "Intervention", "type": "Type"}
        if not view.presentation:
            fields["partner"] = "Partner"
        add_polygons(
            _group(result, "Intervention places"), interventions, name="Intervention places",
            colour=PLACE_COLOUR, dashed=True, fields=fields,
        )  # fmt: skip
        result.legends.append(("Intervention places", [(PLACE_COLOUR, "intervention place (dashed)")], ""))
    if "labels" in layers:
        group = _group(result, "Ward and town names")
        wards, _ = study_context(config)  # the config's vintage, read once per config
        districts = study_areas(config, "district")
        add_area_labels(group, wards)
        add_area_labels(group, districts[districts["vintage"] == districts["vintage"].max()], size_px=17)
    if "points" in layers:
        if view.presentation:
            result.notes.append("Presentation mode: incident points are never shown.")
        else:
            _add_point_layer(result, points or point_sample(selected, POINT_CAP))
    for group in result.groups:
        serve_assets_locally(group)
    return result


def _add_point_layer(result: MapLayers, sample: PointSample) -> None:
    """Draw the first incidents of a sample as points, with notes on what is left out."""
    from svd_geo.outputs.maps import add_points

    if sample.withheld:
        result.notes.append("Emergency department and youth-service records are never drawn as points.")
    drawn = add_points(_group(result, "Incidents"), sample.first, name="Incidents", cap=POINT_CAP)
    if drawn < sample.drawable:
        result.notes.append(f"Showing {drawn:,} of {sample.drawable:,} incidents as points (capped).")


def _group(result: MapLayers, name: str) -> folium.FeatureGroup:
    group = folium_group(name)
    result.groups.append(group)
    return group


def _add_overlay(group: folium.FeatureGroup, overlay: Overlay, title: str, result: MapLayers) -> None:
    """Add a surface's image to its group, and its legend."""
    import folium

    uri, bounds, rows = overlay
    folium.raster_layers.ImageOverlay(image=uri, bounds=bounds, interactive=False).add_to(group)
    result.legends.append((title, rows, DENSITY_LEGEND))


def density_params(definition: HotspotParams) -> HotspotParams:
    """Return the kernel density the map's density layer draws: the definition's own, or the default KDE.

    Parameters
    ----------
    definition : HotspotParams
        The session's hotspot definition.

    Returns
    -------
    HotspotParams
        KDE parameters.
    """
    from svd_geo.analyses.params import HotspotParams

    return definition if definition.method == "kde" else HotspotParams(method="kde")


def feature_summary(
    properties: dict[str, object] | None, table: pd.DataFrame, view: View
) -> dict[str, str] | None:
    """Summarise the area, hotspot or intervention place a user clicked (None when nothing was).

    The returned texts are plain (shown with ``st.text``/``st.metric``), counts suppressed
    in presentation mode (hotspot counts arrive already as shown).

    Parameters
    ----------
    properties : dict, optional
        The clicked feature's (escaped) properties.
    table : pandas.DataFrame
        The map's area table.
    view : View
        Presentation mode and the small-count threshold.

    Returns
    -------
    dict of str to str or None
        Labels and plain texts to show, or None.
    """
    import html

    if not properties:
        return None
    text = {key: html.unescape(str(value)) for key, value in properties.items()}
    if "hotspot_id" in text or "cluster" in text:
        hotspot = text.get("hotspot_id", text.get("cluster", ""))
        return {"Hotspot": hotspot, "Where": text.get("name", ""), "Incidents": text.get("shown", ""),
                "Wards": text.get("wards", ""), "Counting": view.describe()}  # fmt: skip
    if "area_code" not in text and "name" in text:
        place = {"Intervention": text["name"], "Type": text.get("type", "")}
        if "partner" in text and not view.presentation:
            place["Partner"] = text["partner"]
        return place
    if "area_code" not in text:
        return None
    code = text["area_code"]
    rows = table[table["area_code"] == code]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return {
        "Area": f"{row['area_name']} ({code})",
        "Incidents": shown_count(float(row["count"]), view),
        "Rate per 1,000 residents": str(row["shown_rate"]),
        "Rank": str(row["shown_rank"]),
        "Counting": view.describe(),
    }


def hotspot_group(run: HotspotRun, view: View) -> tuple[folium.FeatureGroup, Legend]:
    """Return a hotspot run as a feature group for the streamed map, with its legend.

    The legend's title names the definition that produced the hotspots; KDE
    hotspots and clusters are outlined in one colour, Gi* areas coloured by class.

    Parameters
    ----------
    run : HotspotRun
        The hotspots of the session's definition.
    view : View
        Presentation mode and the small-count threshold.

    Returns
    -------
    tuple
        The feature group, and its legend (title, rows, position).
    """
    from svd_geo.outputs.maps import add_polygons

    title = f"Hotspots: {run.params.describe()}"
    if run.params.method == "gistar":
        significant = run.layer[run.layer["class"] != "not significant"]
        group, rows = class_group(significant, column="class", title="Gi* class")
        return group, (title, rows, CLASS_LEGEND)
    group = folium_group("Hotspots")
    layer = run.layer.assign(shown=[shown_count(c, view) for c in run.layer["incidents"]])
    label = "hotspot_id" if "hotspot_id" in layer else "cluster"
    add_polygons(
        group, layer, name="Hotspots", colour=HOTSPOT_COLOUR,
        fields={label: "Hotspot", "name": "Where", "shown": "Incidents", "wards": "Wards"},
    )  # fmt: skip
    return group, (title, [(HOTSPOT_COLOUR, f"{len(layer):,} hotspots ({view.describe()})")], CLASS_LEGEND)
