"""Areas coloured by class on a map: Gi* classes and emerging-hotspot categories, reds hot and blues cold."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from svd_geo.outputs.maps import folium_group

if TYPE_CHECKING:
    import folium
    import geopandas as gpd


# Hot spots in ColorBrewer PiYG's magentas, not the choropleth's YlOrRd reds (a Gi* layer
# over the choropleth must read as another thing); cold spots in RdBu's blues.
CLASS_COLOURS = {
    "hot 99%": "#8e0152",
    "hot 95%": "#c51b7d",
    "hot 90%": "#f1b6da",
    "not significant": "#f7f7f7",
    "cold 90%": "#d1e5f0",
    "cold 95%": "#67a9cf",
    "cold 99%": "#2166ac",
    "island": "#bdbdbd",
}


def category_colour(category: str) -> str:
    """Colour of an emerging-hotspot category or a Gi* class: reds hot, blues cold.

    Parameters
    ----------
    category : str
        An emerging-hotspot category or Gi* class.

    Returns
    -------
    str
        A hex colour.
    """
    if category in CLASS_COLOURS:
        return CLASS_COLOURS[category]
    if "hot" in category:
        return "#c51b7d"
    if "cold" in category:
        return "#4393c3"
    return "#f7f7f7"


def class_group(
    areas: gpd.GeoDataFrame, *, column: str, title: str
) -> tuple[folium.FeatureGroup, list[tuple[str, str]]]:
    """Return areas coloured by a class column (Gi* classes, emerging-hotspot categories) as a layer.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Areas with the class column, EPSG:27700.
    column : str
        The class column.
    title : str
        The layer's and legend's title.

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
    """Add areas coloured by a class column; return the legend rows of the classes present.

    Parameters
    ----------
    parent : folium.Map or folium.FeatureGroup
        Where to draw.
    areas : geopandas.GeoDataFrame
        Areas with the class column, EPSG:27700.
    column : str
        The class column.
    title : str
        The layer's title.

    Returns
    -------
    list of tuple
        (colour, class) legend rows.
    """
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
    order = list(CLASS_COLOURS)
    return [
        (category_colour(c), c)
        for c in sorted(present, key=lambda c: (order.index(c) if c in order else 99, c))
    ]
