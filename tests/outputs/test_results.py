"""svd_geo.outputs.results."""

from __future__ import annotations

import zipfile

import pandas as pd
import pyogrio
import pytest
import rasterio

from tests.support.cli import summary_of


def test_cli_kde_geotiff(run, police_sample, tmp_path):
    out = tmp_path / "density.tif"
    summary = summary_of(
        run, "hotspots", str(police_sample), "--method", "kde", "--bandwidth-m", "200", "--out", str(out)
    )
    with rasterio.open(out) as raster:
        assert raster.crs.to_epsg() == 27700
        assert raster.dtypes[0] == "float32"
        density = raster.read(1)
        cell_km2 = abs(raster.transform.a * raster.transform.e) / 1e6
        assert raster.transform.a == summary["cell_size_m"] == 20.0
    assert density.sum() * cell_km2 == pytest.approx(7565, rel=1e-4)


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp.zip", ".csv"])
def test_cli_kde_polygons_in_every_vector_format(run, police_sample, tmp_path, suffix):
    out = tmp_path / f"hotspots{suffix}"
    summary = summary_of(
        run, "hotspots", str(police_sample), "--method", "kde", "--threshold", "p99", "--out", str(out)
    )
    if suffix == ".csv":
        table = pd.read_csv(out)
        assert "geometry" in table and len(table) == summary["hotspots"]
        return
    source = f"/vsizip/{out}" if suffix == ".shp.zip" else out
    layer = pyogrio.read_dataframe(source)
    assert len(layer) == summary["hotspots"] > 0
    assert layer.crs.to_epsg() == (4326 if suffix == ".geojson" else 27700)
    assert layer.geometry.is_valid.all()
    if suffix == ".shp.zip":
        assert {n.rsplit(".", 1)[-1] for n in zipfile.ZipFile(out).namelist()} >= {
            "shp",
            "shx",
            "dbf",
            "prj",
            "cpg",
        }


def test_cli_refuses_a_raster_for_clusters(run, police_sample, tmp_path):
    result = run(
        "hotspots", str(police_sample), "--method", "dbscan", "--out", str(tmp_path / "x.tif"), expect=2
    )
    assert "GeoTIFF holds a density surface" in result.stderr
