"""svd_geo.sources.boundaries."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import pytest

from svd_geo.base.errors import CrsError, DataValidationError, EmptySelectionError
from svd_geo.sources.boundaries import BOUNDARY_COLUMNS, load_boundaries, read_boundary_file
from tests.support.boundaries import LATTICE


@pytest.mark.parametrize(
    ("level", "vintage", "areas", "per_district"),
    [
        ("ward", 2013, 51, {"E07000170": 15, "E07000174": 36}),
        ("ward", None, 59, {"E07000170": 23, "E07000174": 36}),
        ("lsoa", 2011, 141, {"E07000170": 74, "E07000174": 67}),
        ("lsoa", None, 145, {"E07000170": 77, "E07000174": 68}),
        ("msoa", None, 29, {"E07000170": 16, "E07000174": 13}),
        ("oa", None, 733, {"E07000170": 385, "E07000174": 348}),
        ("district", 2013, 2, {"E07000170": 1, "E07000174": 1}),
    ],
    ids=[
        "wards2013",
        "wards-newest",
        "lsoa2011",
        "lsoa-newest",
        "msoa",
        "oa",
        "districts-topojson",
    ],
)
def test_registered_boundaries_load_normalised(config, level, vintage, areas, per_district):
    frame = load_boundaries(level, config, vintage=vintage)
    assert list(frame.columns) == BOUNDARY_COLUMNS
    assert frame.crs.to_epsg() == 27700
    assert len(frame) == areas == frame["area_code"].nunique()
    assert frame["district_code"].value_counts().to_dict() == per_district
    assert frame.geometry.is_valid.all()
    assert (frame["level"] == level).all()
    minx, miny, maxx, maxy = frame.total_bounds
    assert 440_000 < minx < maxx < 470_000 and 340_000 < miny < maxy < 375_000


def test_district_filter(config):
    frame = load_boundaries("lsoa", config, districts=("E07000174",), vintage=2011)
    assert set(frame["district_code"]) == {"E07000174"}
    assert frame["area_code"].str.startswith("E01").all()


def test_uncovered_district_says_how_to_add_it(config):
    with pytest.raises(EmptySelectionError, match=r"cover E08000035.*registry\.toml"):
        load_boundaries("ward", config, districts=("E08000035",))


def test_user_geojson(config):
    frame = read_boundary_file(LATTICE, code_field="cell_id", name_field="cell_name")
    assert list(frame.columns) == BOUNDARY_COLUMNS
    assert len(frame) == 9 and frame.crs.to_epsg() == 27700
    assert frame.geometry.area.sum() == pytest.approx(90_000)


def test_user_geopackage_in_wgs84_is_reprojected(tmp_path):
    lattice = gpd.read_file(LATTICE)
    path = tmp_path / "cells.gpkg"
    lattice.to_crs(4326).to_file(path, layer="cells")
    frame = read_boundary_file(path, code_field="cell_id", name_field="cell_name", layer="cells")
    assert frame.geometry.area.sum() == pytest.approx(90_000, rel=1e-6)


def test_user_zipped_shapefile(tmp_path):
    folder = tmp_path / "shp"
    folder.mkdir()
    gpd.read_file(LATTICE).to_file(folder / "cells.shp")
    archive = tmp_path / "cells.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, f"inner/{part.name}")
    frame = read_boundary_file(archive, code_field="cell_id", name_field="cell_name")
    assert sorted(frame["area_code"]) == sorted(gpd.read_file(LATTICE)["cell_id"])


def test_user_file_with_wrong_field_lists_the_fields():
    with pytest.raises(DataValidationError, match=r"no field 'WD22CD'; the file has cell_id, cell_name"):
        read_boundary_file(LATTICE, code_field="WD22CD", name_field="cell_name")


def test_user_file_without_crs_is_refused(tmp_path):
    folder = tmp_path / "shp"
    folder.mkdir()
    gpd.read_file(LATTICE).to_file(folder / "cells.shp")
    (folder / "cells.prj").unlink()
    with pytest.raises(CrsError, match="does not state its coordinate reference system"):
        read_boundary_file(folder / "cells.shp", code_field="cell_id", name_field="cell_name")


def test_invalid_geometry_is_made_valid(tmp_path):
    bowtie = gpd.GeoDataFrame(
        {"code": ["B1"], "name": ["Bow tie"]},
        geometry=gpd.GeoSeries.from_wkt(["POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))"]),
        crs=27700,
    )
    path = tmp_path / "bowtie.geojson"
    bowtie.to_file(path)
    frame = read_boundary_file(path, code_field="code", name_field="name")
    assert frame.geometry.is_valid.all()
    assert frame.geometry.area.iloc[0] == pytest.approx(50)
