"""svd_geo.outputs.metadata."""

from __future__ import annotations

import json

import rasterio

from tests.support.exports import _coverage, _without_stamps


def test_same_export_twice_differs_only_by_generation_time(run, demo_store_path, tmp_path):
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        for suffix in (".gpkg", ".shp.zip", ".geojson", ".csv"):
            _coverage(run, demo_store_path, tmp_path / name / f"coverage{suffix}")
        run("hotspots", "--store", str(demo_store_path), "--method", "kde", "--out",
            str(tmp_path / name / "density.tif"))  # fmt: skip
    for path in sorted((tmp_path / "first").iterdir()):
        twin = tmp_path / "second" / path.name
        if path.name.endswith(".metadata.json"):
            first, second = json.loads(path.read_text()), json.loads(twin.read_text())
            first.pop("generated"), second.pop("generated")
            assert first == second, path.name
        elif path.suffix == ".gpkg":
            assert _without_stamps(path) == _without_stamps(twin)
        else:
            assert path.read_bytes() == twin.read_bytes(), path.name


def test_geotiff_has_its_sidecar(run, demo_store_path, tmp_path):
    out = tmp_path / "density.tif"
    run("hotspots", "--store", str(demo_store_path), "--method", "kde", "--out", str(out))
    with rasterio.open(out) as raster:
        assert raster.crs.to_epsg() == 27700 and raster.dtypes[0] == "float32"
    metadata = json.loads((tmp_path / "density.tif.metadata.json").read_text())
    assert metadata["parameters"]["kernel"] == "quartic" and "eps_m" not in metadata["parameters"]
