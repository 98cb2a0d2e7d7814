"""Write layers for QGIS and ArcGIS: GeoPackage, GeoJSON, zipped Shapefile, CSV."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from svd_geo._coords import require_analysis_crs
from svd_geo.config import DISPLAY_CRS
from svd_geo.errors import DataValidationError

if TYPE_CHECKING:
    import geopandas as gpd

SHAPEFILE_FIELD_CHARS = 10
EXPORT_FORMATS = {
    ".gpkg": "GeoPackage",
    ".shp.zip": "Shapefile (zip)",
    ".geojson": "GeoJSON",
    ".csv": "CSV",
    ".tif": "GeoTIFF",
}
"""Download formats offered for a hotspot result, with their labels."""
FORMATS = (".gpkg", ".geojson", ".shp.zip", ".csv")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def output_format(path: Path) -> str:
    """Return the format suffix of ``path`` (``.shp.zip`` counts as one)."""
    name = path.name.lower()
    for suffix in FORMATS:
        if name.endswith(suffix):
            return suffix
    msg = f"{path.name}: cannot tell the output format; end the name in {', '.join(FORMATS)}."
    raise DataValidationError(msg)


def defuse_formulas(value: object) -> object:
    """Prefix text a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_layer(frame: gpd.GeoDataFrame, path: Path, *, layer: str) -> Path:
    """Write a layer in the format its file name gives.

    GeoPackage and Shapefile keep EPSG:27700; GeoJSON is RFC 7946 WGS84; CSV
    has WKT geometry in EPSG:27700 and defused formula cells.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        The layer, in EPSG:27700.
    path : Path
        Output file: ``.gpkg``, ``.geojson``, ``.shp.zip`` or ``.csv``.
    layer : str
        Layer name inside a GeoPackage or zip.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    CrsError
        When the frame is not in EPSG:27700.
    """
    import pyogrio

    require_analysis_crs(frame, "layers to export")
    kind = output_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # an export replaces the file, never adds to an old one
    if kind == ".gpkg":
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG")
    elif kind == ".geojson":
        pyogrio.write_dataframe(
            frame.to_crs(DISPLAY_CRS), path, driver="GeoJSON", layer_options={"RFC7946": "YES"}
        )
    elif kind == ".shp.zip":
        _write_zipped_shapefile(frame, path, layer=layer)
    else:
        table = frame.to_wkt()
        text_columns = table.select_dtypes(include=["object", "string"]).columns
        table[text_columns] = table[text_columns].map(defuse_formulas)
        table.to_csv(path, index=False)
    return path


def shapefile_field_names(columns: list[str]) -> dict[str, str]:
    """Map column names to unique dBASE field names of at most 10 characters."""
    short: dict[str, str] = {}
    for column in columns:
        base = column[:SHAPEFILE_FIELD_CHARS]
        name, number = base, 1
        while name in short.values():
            suffix = f"_{number}"
            name = base[: SHAPEFILE_FIELD_CHARS - len(suffix)] + suffix
            number += 1
        short[column] = name
    return short


def _write_zipped_shapefile(frame: gpd.GeoDataFrame, path: Path, *, layer: str) -> None:
    import pandas as pd
    import pyogrio

    columns = [str(c) for c in frame.columns if c != frame.geometry.name]
    names = shapefile_field_names(columns)
    with tempfile.TemporaryDirectory() as folder:
        shp = Path(folder) / f"{layer}.shp"
        pyogrio.write_dataframe(frame.rename(columns=names), shp, driver="ESRI Shapefile", encoding="UTF-8")
        sidecar = pd.DataFrame({"field": list(names.values()), "full_name": list(names)})
        sidecar.to_csv(Path(folder) / f"{layer}_fields.csv", index=False)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in sorted(Path(folder).iterdir()):
                archive.write(part, part.name)
