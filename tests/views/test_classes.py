"""svd_geo.views.classes."""

from __future__ import annotations

import folium
import geopandas as gpd
import shapely

from svd_geo.views.classes import CLASS_COLOURS, category_colour, class_group


def test_hot_classes_are_reds_cold_ones_blues_and_emerging_categories_follow():
    assert category_colour("hot 99%") == CLASS_COLOURS["hot 99%"] != category_colour("hot 90%")
    assert category_colour("intensifying hot spot") == "#c51b7d"
    assert category_colour("persistent cold spot") == "#4393c3"
    assert category_colour("no pattern detected") == "#f7f7f7" == category_colour("not significant")


def test_a_class_layer_lists_only_the_classes_present_in_legend_order_and_escapes_names():
    areas = gpd.GeoDataFrame(
        {"area_code": ["E1", "E2", "E3"], "area_name": ["Portland", "<i>Oak</i>", "Carr"],
         "class": ["cold 95%", "hot 99%", "hot 99%"]},
        geometry=[shapely.box(450_000 + 1000 * i, 355_000, 450_900 + 1000 * i, 355_900) for i in range(3)],
        crs=27700,
    )  # fmt: skip
    group, legend = class_group(areas, column="class", title="Gi* on LSOAs")
    assert [name for _, name in legend] == ["hot 99%", "cold 95%"]
    assert dict((name, colour) for colour, name in legend) == {
        "hot 99%": CLASS_COLOURS["hot 99%"], "cold 95%": CLASS_COLOURS["cold 95%"]
    }  # fmt: skip
    fmap = folium.Map()
    group.add_to(fmap)
    html = fmap.get_root().render()
    assert "Portland" in html and "<i>Oak</i>" not in html
