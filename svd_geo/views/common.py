"""What the dashboard pages show: the filtered view, area tables and the map.

Presentation mode (partnership meetings) is enforced here, not only in page
code: it never draws points of any kind and shows counts below the threshold
as "<5".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from svd_geo.base.config import Config
from svd_geo.select import View, point_incidents, shown_count, ward_districts

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

    from svd_geo.analyses.params import HotspotParams
    from svd_geo.analyses.run import HotspotRun
    from svd_geo.methods.kde import DensitySurface

NEVER_AS_POINTS = frozenset({"ed", "youth"})
"""Sources whose records are never drawn as points (health and young people's data)."""
POINT_CAP = 5000
LAYERS = ("areas", "density", "hotspots", "interventions", "points")
LAYER_LABELS = {
    "areas": "Areas (choropleth)", "density": "Kernel density surface",
    "hotspots": "Hotspots (the session's definition)", "interventions": "Intervention places",
    "points": "Incidents as points (analysts)",
}  # fmt: skip
HOTSPOT_COLOUR = "#d7191c"


@dataclass(frozen=True)
class AreaChoices:
    """Districts and wards the sidebar offers: ``{code: name}`` and the district of each ward."""

    districts: dict[str, str]
    wards: dict[str, str]
    ward_district: dict[str, str]


@lru_cache(maxsize=4)
def area_choices(config: Config) -> AreaChoices:
    """Return the study area's districts and its wards (the configured ward vintage), by name."""
    from svd_geo.sources.areas import study_context
    from svd_geo.sources.boundaries import load_boundaries

    districts = load_boundaries("district", config).sort_values("area_name")
    wards = study_context(config)[0].sort_values("area_name")
    return AreaChoices(
        dict(zip(districts["area_code"], districts["area_name"], strict=True)),
        dict(zip(wards["area_code"], wards["area_name"], strict=True)),
        dict(zip(wards["area_code"], wards["district_code"], strict=True)),
    )


def warm_lookups(config: Config) -> None:
    """Read the boundaries and populations the pages look up, so a first option change is not the one to pay.

    Each lookup is cached per config for the life of the process; the dashboard runs
    this once in a background thread when it starts.
    """
    from svd_geo.sources.areas import study_area_m2, study_context

    for level in ("ward", "lsoa"):
        area_population(level, config)
    area_choices(config)
    ward_districts(config)
    study_area_m2(config)
    study_context(config)


def area_table(incidents: gpd.GeoDataFrame, level: str, view: View, config: Config) -> gpd.GeoDataFrame:
    """Count incidents per ward or LSOA (area-only records included).

    Returns
    -------
    geopandas.GeoDataFrame
        Areas with ``count``, ``rate_per_1k`` (where population is registered;
        NaN elsewhere) and ``shown`` (the count as displayed), largest first.
    """
    from svd_geo.sources.areas import study_context

    wards, lsoas = study_context(config)  # read once per config, as every map asks
    areas = wards if level == "ward" else lsoas
    code_column = "ward_code" if level == "ward" else "lsoa_code"
    counts = incidents[code_column].value_counts()
    table = areas.copy()
    table["count"] = counts.reindex(table["area_code"]).fillna(0).to_numpy(dtype=float)
    population = area_population(level, config)
    table["population"] = population.reindex(table["area_code"]).to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["rate_per_1k"] = table["count"] / table["population"] * 1000
    table["shown"] = [shown_count(c, view) for c in table["count"]]
    return table.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)


@lru_cache(maxsize=4)
def area_population(level: str, config: Config) -> pd.Series:
    """Return resident population per area from the registered population table.

    LSOAs (2011) take the mid-2020 estimate; wards sum the LSOAs whose
    representative point falls in them (the ONS best-fit rule).  Cached: every
    area table (each map and overview) asks for it, and it reads and joins files.
    Treat the result as read-only.
    """
    import geopandas as gpd

    from svd_geo.base.coords import parse_numbers
    from svd_geo.sources.boundaries import load_boundaries, read_table_entry
    from svd_geo.sources.registry import load_registry

    entries = [e for e in load_registry(config).values() if e.topic == "population" and e.value_field]
    entry = max(entries, key=lambda e: e.vintage)
    table = read_table_entry(entry, config)
    population = pd.Series(parse_numbers(table[entry.value_field]).to_numpy(), index=table[entry.code_field])
    if level == "lsoa":
        return population
    lsoas = load_boundaries("lsoa", config, vintage=config.lsoa_vintage)
    wards = load_boundaries("ward", config, vintage=config.ward_vintage)
    anchors = gpd.GeoDataFrame(
        {"lsoa": lsoas["area_code"]}, geometry=lsoas.representative_point(), crs=lsoas.crs
    )
    joined = gpd.sjoin(anchors, wards[["area_code", "geometry"]], predicate="within")
    joined["population"] = population.reindex(joined["lsoa"]).to_numpy()
    by_ward: pd.Series = joined.groupby("area_code")["population"].sum(min_count=1)
    return by_ward


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


def base_map(config: Config, *, tiles: bool = False, attribution: str | None = None) -> folium.Map:
    """Return an empty map of the study area (the same script for every view), attribution included."""
    from svd_geo.outputs.maps import new_map, serve_assets_locally
    from svd_geo.sources.areas import study_areas
    from svd_geo.sources.boundaries import attribution_text

    text = attribution if attribution is not None else attribution_text(config)
    bounds = tuple(study_areas(config, "ward").total_bounds)
    return serve_assets_locally(new_map(bounds, tiles=tiles, attribution=text))


def build_map_layers(
    selected: gpd.GeoDataFrame,
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
) -> MapLayers:
    """Build the layers of the selected incidents, each in its own feature group.

    Parameters
    ----------
    selected : geopandas.GeoDataFrame
        The incidents the view selects (EPSG:27700; see :func:`select_view`), so
        that a caller holding the selection does not make it again.
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

    Returns
    -------
    MapLayers
        Feature groups, the area table, legends and notes.
    """
    from svd_geo.outputs.maps import add_choropleth, add_points, add_polygons, serve_assets_locally

    table = area_table(selected, level, view, config)
    result = MapLayers([], table)
    value, label = (
        ("rate_per_1k", "Incidents per 1,000 residents") if measure == "rate" else ("count", "Incidents")
    )
    if "areas" in layers:
        shown = table.dropna(subset=[value])
        if measure == "rate":
            shown = shown.assign(shown=[f"{v:,.1f}" for v in shown[value]])
            shown.loc[
                shown["count"].between(1, view.small_count_threshold - 1) & view.presentation, "shown"
            ] = "suppressed"
        group = _group(result, f"{label} by {level}")
        rows = add_choropleth(
            group, shown, value=value, label=label, scheme=scheme, classes=classes, shown="shown"
        )
        result.legends.append((f"{label} ({view.describe()})", rows, CHOROPLETH_LEGEND))
    if "density" in layers and density is not None:
        _add_density(_group(result, "Kernel density"), density, result)
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
            colour="#2b83ba", dashed=True, fields=fields,
        )  # fmt: skip
    if "points" in layers:
        if view.presentation:
            result.notes.append("Presentation mode: incident points are never shown.")
        else:
            points = point_incidents(selected)
            drawable = points[~points["source"].isin(NEVER_AS_POINTS)]
            if len(drawable) < len(points):
                result.notes.append(
                    "Emergency department and youth-service records are never drawn as points."
                )
            drawn = add_points(_group(result, "Incidents"), drawable, name="Incidents", cap=POINT_CAP)
            if drawn < len(drawable):
                result.notes.append(f"Showing {drawn:,} of {len(drawable):,} incidents as points (capped).")
    for group in result.groups:
        serve_assets_locally(group)
    return result


def _group(result: MapLayers, name: str) -> folium.FeatureGroup:
    group = folium_group(name)
    result.groups.append(group)
    return group


def folium_group(name: str) -> folium.FeatureGroup:
    """Return an empty feature group (a switchable layer) named for the layer control."""
    import folium

    return folium.FeatureGroup(name=name)


def _add_density(group: folium.FeatureGroup, surface: DensitySurface, result: MapLayers) -> None:
    """Add the density surface as an image, with its legend."""
    import folium

    from svd_geo.outputs.maps import density_image

    title = f"Incidents per km² (KDE, {surface.kernel}, {surface.bandwidth_m:g} m)"
    uri, bounds, rows = density_image(surface)
    folium.raster_layers.ImageOverlay(image=uri, bounds=bounds, interactive=False).add_to(group)
    result.legends.append((title, rows, DENSITY_LEGEND))


def density_params(definition: HotspotParams) -> HotspotParams:
    """Return the kernel density the map's density layer draws: the definition's own, or the default KDE."""
    from svd_geo.analyses.params import HotspotParams

    return definition if definition.method == "kde" else HotspotParams(method="kde")


def feature_summary(
    properties: dict[str, object] | None, table: pd.DataFrame, view: View
) -> dict[str, str] | None:
    """Summarise the area, hotspot or intervention place a user clicked (None when nothing was).

    The returned texts are plain (shown with ``st.text``/``st.metric``), counts suppressed
    in presentation mode (hotspot counts arrive already as shown).
    """
    import html

    if not properties:
        return None
    text = {key: html.unescape(str(value)) for key, value in properties.items()}
    if "hotspot_id" in text or "cluster" in text:
        hotspot = text.get("hotspot_id", text.get("cluster", ""))
        return {"Hotspot": hotspot, "Incidents": text.get("shown", ""),
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
    rank = int(rows.index[0]) + 1
    rate = row["rate_per_1k"]
    return {
        "Area": f"{row['area_name']} ({code})",
        "Incidents": shown_count(float(row["count"]), view),
        "Rate per 1,000 residents": "not registered" if rate != rate else f"{rate:,.1f}",
        "Rank": f"{rank} of {len(table)}",
        "Counting": view.describe(),
    }


CLASS_COLOURS = {
    "hot 99%": "#b2182b",
    "hot 95%": "#ef8a62",
    "hot 90%": "#fddbc7",
    "not significant": "#f7f7f7",
    "cold 90%": "#d1e5f0",
    "cold 95%": "#67a9cf",
    "cold 99%": "#2166ac",
    "island": "#bdbdbd",
}


def category_colour(category: str) -> str:
    """Colour of an emerging-hotspot category or a Gi* class: reds hot, blues cold."""
    if category in CLASS_COLOURS:
        return CLASS_COLOURS[category]
    if "hot" in category:
        return "#d6604d"
    if "cold" in category:
        return "#4393c3"
    return "#f7f7f7"


def class_group(
    areas: gpd.GeoDataFrame, *, column: str, title: str
) -> tuple[folium.FeatureGroup, list[tuple[str, str]]]:
    """Return areas coloured by a class column (Gi* classes, emerging-hotspot categories) as a layer.

    Returns
    -------
    tuple
        The feature group for the streamed map, and its legend rows.
    """
    group = folium_group(title)
    return group, add_class_layer(group, areas, column=column, title=title)


def add_class_layer(
    parent: folium.Map | folium.FeatureGroup, areas: gpd.GeoDataFrame, *, column: str, title: str
) -> list[tuple[str, str]]:
    """Add areas coloured by a class column; return the legend rows of the classes present."""
    import folium

    from svd_geo.outputs.maps import escaped, to_display

    layer = areas.assign(fill=[category_colour(str(c)) for c in areas[column]])
    display = to_display(escaped(layer, ["area_code", "area_name", column, "fill"]))
    folium.GeoJson(
        display.__geo_interface__,
        name=title,
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#777",
            "weight": 0.4,
            "fillOpacity": 0.75,
        },
        tooltip=folium.GeoJsonTooltip(fields=["area_name", column], aliases=["Area", title]),
    ).add_to(parent)
    present = [str(c) for c in pd.unique(areas[column])]
    return [(category_colour(c), c) for c in sorted(present)]


def hotspot_group(run: HotspotRun, view: View) -> tuple[folium.FeatureGroup, Legend]:
    """Return a hotspot run as a feature group for the streamed map, with its legend.

    The legend's title names the definition that produced the hotspots; KDE
    hotspots and clusters are outlined in one colour, Gi* areas coloured by class.
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
        fields={label: "Hotspot", "shown": "Incidents", "wards": "Wards"},
    )  # fmt: skip
    return group, (title, [(HOTSPOT_COLOUR, f"{len(layer):,} hotspots ({view.describe()})")], CLASS_LEGEND)


def refuse_export_in_meetings(view: View) -> None:
    """Raise PermissionError in presentation mode, which cannot export."""
    if view.presentation:
        msg = "presentation mode cannot export; switch it off to download."
        raise PermissionError(msg)


def hotspot_sidecar(run: HotspotRun, view: View, metadata: dict[str, object]) -> bytes:
    """Return the metadata sidecar of a hotspot download as JSON bytes.

    Raises
    ------
    PermissionError
        In presentation mode, which cannot export.
    """
    from svd_geo.analyses.run import run_parameters
    from svd_geo.outputs.files import sidecar_json

    refuse_export_in_meetings(view)
    return sidecar_json({**metadata, "parameters": run_parameters(run), "rows": len(run.layer)}).encode()


def hotspot_download(run: HotspotRun, suffix: str, view: View) -> bytes:
    """Return a hotspot result as the bytes of a file of the given format.

    Raises
    ------
    PermissionError
        In presentation mode, which cannot export.
    """
    import tempfile
    from pathlib import Path

    from svd_geo.outputs.results import write_hotspot_output

    refuse_export_in_meetings(view)
    with tempfile.TemporaryDirectory() as folder:
        path = write_hotspot_output(run, Path(folder) / f"hotspots{suffix}")
        return path.read_bytes()
