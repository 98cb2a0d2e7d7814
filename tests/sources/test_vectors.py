"""svd_geo.sources.vectors."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from svd_geo.base.errors import DataValidationError
from svd_geo.sources.vectors import read_vector


def _layer() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"code": ["Z1"]}, geometry=[shapely.box(0, 0, 10, 10)], crs=27700)


def test_gdal_reads_a_copy_under_the_apps_own_name_not_the_users_path(tmp_path, monkeypatch):
    import pyogrio

    odd = tmp_path / "folder with 'quotes'"
    odd.mkdir()
    path = odd / "zones (final).geojson"
    _layer().to_file(path)
    opened = []
    real = pyogrio.read_dataframe
    monkeypatch.setattr(
        pyogrio, "read_dataframe", lambda source, **kw: opened.append(str(source)) or real(source, **kw)
    )
    assert read_vector(path)["code"].tolist() == ["Z1"]
    assert len(opened) == 1 and opened[0].endswith("/layer.geojson") and str(odd) not in opened[0]


def test_a_shapefile_is_read_with_its_parts(tmp_path):
    _layer().to_file(tmp_path / "zones.shp")
    assert read_vector(tmp_path / "zones.shp").crs.to_epsg() == 27700


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("zones.gpkg", b"{}", r"the content is not a \.gpkg file"),
        ("zones.geojson", b"SQLite format 3\x00", r"the content is not a \.geojson file"),
        ("zones.kml", b"<kml/>", r"unsupported vector file type \.kml"),
    ],
)
def test_a_file_is_read_only_when_its_content_is_the_format_its_name_gives(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataValidationError, match=words):
        read_vector(path)
