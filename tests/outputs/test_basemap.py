"""svd_geo.outputs.basemap."""

from __future__ import annotations

import geopandas as gpd
import shapely

from svd_geo.outputs.basemap import LARGE_TYPE_CSS, add_area_labels, new_map

BOUNDS = (445_000.0, 345_000.0, 462_000.0, 368_000.0)


def test_a_map_draws_the_configured_tiles_with_their_attribution_and_folds_the_data_attribution():
    tiles = ("https://tiles.example.gov.uk/{z}/{x}/{y}.png", "Example Council")
    html = new_map(BOUNDS, tiles=tiles, attribution="Contains OS data").get_root().render()
    assert "tiles.example.gov.uk" in html and "Example Council" in html
    # Once, folded under its summary (a <details> element).
    assert html.count("Contains OS data") == 1 and "\\u003cdetails" in html
    assert "tile.openstreetmap.org" not in html


def test_no_basemap_draws_no_tiles_and_meetings_get_large_type():
    html = new_map(BOUNDS, tiles=None, attribution="OGL", large_type=True).get_root().render()
    assert "tileLayer" not in html.replace("L.tileLayer.wms", "")
    assert LARGE_TYPE_CSS in html


def test_area_labels_are_escaped_names_inside_each_area():
    areas = gpd.GeoDataFrame(
        {"area_name": ["Portland", "<b>Carr</b> Bank"]},
        geometry=[
            shapely.box(450_000, 355_000, 451_000, 356_000),
            shapely.box(452_000, 355_000, 453_000, 356_000),
        ],
        crs=27700,
    )
    fmap = new_map(BOUNDS, tiles=None, attribution="OGL")
    assert add_area_labels(fmap, areas, size_px=16) == 2
    html = fmap.get_root().render()
    # Escaped as text, then as JSON inside the map's script.
    assert "Portland" in html and "\\u0026lt;b\\u0026gt;Carr" in html and "<b>Carr" not in html
    assert "svd-label-large" in html
