"""Write hotspot and trend results as files: GeoTIFF surfaces, polygon layers and CSV tables."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from svd_geo.analyses.run import HotspotRun, run_parameters
from svd_geo.analyses.trends import TrendsRun
from svd_geo.base.config import ANALYSIS_CRS
from svd_geo.base.errors import DataValidationError
from svd_geo.outputs.files import replaced_atomically

if TYPE_CHECKING:
    from svd_geo.methods.kde import DensitySurface

RASTER_SUFFIXES = (".tif", ".tiff")


CLUSTER_LABEL_COLUMNS = ("row", "cluster", "id", "easting_m", "northing_m")
"""A clustering's CSV: the input row, its cluster (-1 for noise or no point), the record's id
and its point in British National Grid metres (EPSG:27700, to the metre), blank where none."""


def draws_polygons(path: Path, method: str) -> bool:
    """Whether the output file ``path`` holds hotspot polygons (a GeoTIFF or cluster labels do not).

    Parameters
    ----------
    path : Path
        The output path.
    method : str
        The hotspot method.

    Returns
    -------
    bool
        False for a GeoTIFF, or a CSV of cluster labels.
    """
    name = path.name.lower()
    if name.endswith(RASTER_SUFFIXES):
        return False
    return not (name.endswith(".csv") and method in ("dbscan", "hdbscan"))


def write_raster(surface: DensitySurface, path: Path, *, units: str = "incidents per km2") -> Path:
    """Write a density surface as a float32 GeoTIFF in EPSG:27700 (incidents per km²); NaN is no data.

    Parameters
    ----------
    surface : DensitySurface
        The surface.
    path : Path
        The ``.tif`` to write.
    units : str, default "incidents per km2"
        What a cell's value is, written in the file's tags.

    Returns
    -------
    Path
        The path written.
    """
    import rasterio

    from svd_geo.methods.grid import north_up_transform

    transform = north_up_transform(surface.grid)
    # Tiles compress in parallel, and the floating-point predictor makes a smooth surface
    # smaller (12% on the benchmark's); QGIS and ArcGIS read both.
    profile = {
        "driver": "GTiff", "width": surface.grid.nx, "height": surface.grid.ny, "count": 1,
        "dtype": "float32", "crs": ANALYSIS_CRS, "transform": transform, "compress": "deflate",
        "predictor": 3, "tiled": True, "blockxsize": 256, "blockysize": 256, "num_threads": "ALL_CPUS",
        "nodata": float("nan"),
    }  # fmt: skip
    with replaced_atomically(path) as target, rasterio.open(target, "w", **profile) as raster:
        raster.write(surface.density_km2[::-1].astype(np.float32), 1)
        raster.update_tags(units=units, kernel=surface.kernel, bandwidth_m=str(surface.bandwidth_m))
    return path


GISTAR_CSV_COLUMNS = ["area_code", "count", "z", "p", "p_fdr", "class"]


def write_hotspot_output(run: HotspotRun, path: Path, metadata: dict[str, object] | None = None) -> Path:
    """Write a run's result in the format the file name gives, with its metadata sidecar.

    ``.tif``: the KDE surface; ``.gpkg``, ``.shp.zip``, ``.geojson``: the polygons;
    ``.csv``: ``row, cluster`` per input row (DBSCAN, HDBSCAN), Gi* statistics per
    area, or the KDE hotspots with WKT.  With ``metadata`` (see
    :func:`svd_geo.outputs.files.export_metadata`) a ``FILE.metadata.json`` is written too.

    Parameters
    ----------
    run : HotspotRun
        The result.
    path : Path
        ``.tif``, ``.gpkg``, ``.shp.zip``, ``.geojson`` or ``.csv``.
    metadata : dict, optional
        The sidecar's content (:func:`svd_geo.outputs.files.export_metadata`).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    DataValidationError
        For a GeoTIFF of a method without a surface, or an unknown format.
    """
    generated = None if metadata is None else str(metadata["generated"])
    written = _write_hotspot_file(run, path, generated)
    if metadata is not None:
        from svd_geo.outputs.metadata import write_sidecar

        write_sidecar(written, {**metadata, "parameters": run_parameters(run), "rows": len(run.layer)})
    return written


def _write_hotspot_file(run: HotspotRun, path: Path, generated: str | None) -> Path:
    from svd_geo.outputs.files import write_csv_table, write_export

    name = path.name.lower()
    if name.endswith(RASTER_SUFFIXES):
        if run.surface is None:
            msg = f"{path.name}: a GeoTIFF holds a density surface; use --method kde, or a vector output."
            raise DataValidationError(msg)
        return write_raster(run.surface, path)
    if name.endswith(".csv") and run.labels is not None:
        write_csv_table(run.labels[list(CLUSTER_LABEL_COLUMNS)], path)
        return path
    if name.endswith(".csv") and run.params.method == "gistar":
        write_csv_table(run.layer[GISTAR_CSV_COLUMNS], path)
        return path
    layer_name = {"kde": "kde_hotspots", "dbscan": "dbscan_clusters", "hdbscan": "hdbscan_clusters"}
    layer = layer_name.get(run.params.method, "gistar_areas")
    return write_export({layer: run.layer}, path, generated=generated)


def write_trends_output(run: TrendsRun, path: Path) -> Path:
    """Write the trends in the format the file name gives.

    ``.gpkg`` holds emerging hotspots, monthly counts and the week-hour matrix as
    layers; ``.csv`` the emerging hotspot table; other vector formats the emerging
    hotspot polygons.

    Parameters
    ----------
    run : TrendsRun
        The trends.
    path : Path
        ``.gpkg``, ``.csv``, ``.geojson`` or ``.shp.zip``.

    Returns
    -------
    Path
        The file written.
    """
    import pyogrio

    from svd_geo.outputs.files import write_csv_table, write_layer

    name = path.name.lower()
    table = pd.DataFrame(run.emerging.drop(columns="geometry"))
    if name.endswith(".csv"):
        write_csv_table(table, path)
        return path
    write_layer(run.emerging, path, layer="emerging_hotspots")
    if name.endswith(".gpkg"):
        monthly = run.monthly.assign(month=run.monthly["month"].dt.strftime("%Y-%m"))
        pyogrio.write_dataframe(monthly, path, layer="monthly_counts", append=False)
        week_hour = run.week_hour.rename(columns=lambda hour: f"h{hour:02d}").reset_index()
        pyogrio.write_dataframe(week_hour, path, layer="week_hour")
    return path
