"""Write layers for QGIS and ArcGIS: GeoPackage, GeoJSON, zipped Shapefile, CSV."""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from svd_geo.base.config import DISPLAY_CRS
from svd_geo.base.coords import require_analysis_crs
from svd_geo.base.errors import DataValidationError
from svd_geo.select.filters import rounded_count

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd


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
    """Return the format suffix of ``path`` (``.shp.zip`` counts as one).

    Parameters
    ----------
    path : Path
        An output path.

    Returns
    -------
    str
        ``.gpkg``, ``.geojson``, ``.shp.zip`` or ``.csv``.

    Raises
    ------
    DataValidationError
        For any other suffix.
    """
    name = path.name.lower()
    for suffix in FORMATS:
        if name.endswith(suffix):
            return suffix
    msg = f"{path.name}: cannot tell the output format; end the name in {', '.join(FORMATS)}."
    raise DataValidationError(msg)


def defuse_formulas(value: object) -> object:
    """Prefix text a spreadsheet would run as a formula with an apostrophe.

    Parameters
    ----------
    value : object
        A cell value.

    Returns
    -------
    object
        The value, with ``'`` before text that starts with ``= + - @``, tab or CR.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


@contextmanager
def replaced_atomically(path: Path) -> Iterator[Path]:
    """Yield a new file's path beside ``path``; move it over ``path`` only once it is written.

    A disk that fills, or a process killed, part way through an export leaves the
    old file as it was (``os.replace`` is atomic on one file system) and no
    half-written one.

    Parameters
    ----------
    path : Path
        The file to write.

    Yields
    ------
    Path
        Where to write it (in the same folder, with the same suffix, not yet created).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = ".shp.zip" if path.name.lower().endswith(".shp.zip") else path.suffix
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    temporary.unlink()  # GDAL will not write a GeoPackage into an empty file
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_text_atomically(path: Path, text: str) -> None:
    """Write a UTF-8 text file so that the old one stays whole until the new one is.

    Parameters
    ----------
    path : Path
        The file.
    text : str
        Its new content.
    """
    with replaced_atomically(path) as target:
        target.write_text(text, encoding="utf-8")


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
    with replaced_atomically(path) as target:  # an export replaces the file, never adds to an old one
        if kind == ".gpkg":
            pyogrio.write_dataframe(frame, target, layer=layer, driver="GPKG")
        elif kind == ".geojson":
            pyogrio.write_dataframe(  # named as the file, not as the temporary one written first
                frame.to_crs(DISPLAY_CRS),
                target,
                layer=path.stem,
                driver="GeoJSON",
                layer_options={"RFC7946": "YES"},
            )
        elif kind == ".shp.zip":
            _write_zipped_shapefile(frame, target, layer=layer)
        else:
            write_csv_table(frame.to_wkt(), target)
    return path


def write_csv_table(table: pd.DataFrame, path: Path | str) -> None:
    """Write a table as CSV that spreadsheets open safely.

    Text cells a spreadsheet would run as a formula are defused, and lines end
    in CRLF (RFC 4180) so a carriage return inside a cell is quoted, never a
    row break.

    Parameters
    ----------
    table : pandas.DataFrame
        The table.
    path : Path or str
        Where to write (CRLF line ends, formulas defused).
    """
    with replaced_atomically(Path(path)) as target:
        if all(_plain_column(table[column]) for column in table.columns):
            _write_integer_csv(table, target)
            return
        safe = table.copy()
        text_columns = safe.select_dtypes(include=["object", "string"]).columns
        safe[text_columns] = safe[text_columns].map(defuse_formulas)
        safe.to_csv(target, index=False, lineterminator="\r\n")


def _plain_column(column: pd.Series) -> bool:
    """Whether a column holds integers only, or no value at all: nothing to defuse or quote."""
    import pandas as pd

    return bool(pd.api.types.is_integer_dtype(column.dtype) or column.isna().all())


def _write_integer_csv(table: pd.DataFrame, path: Path | str) -> None:
    """Write a table of integers and empty columns (a line per incident) with pyarrow's writer.

    The same bytes as pandas' ``to_csv`` (nothing to defuse, nothing to quote),
    about seven times faster at a million rows.
    """
    import pyarrow as pa
    import pyarrow.csv

    options = pyarrow.csv.WriteOptions(eol="\r\n", quoting_header="none")
    pyarrow.csv.write_csv(pa.Table.from_pandas(table, preserve_index=False), str(path), options)


def shapefile_field_names(columns: list[str]) -> dict[str, str]:
    """Map column names to unique dBASE field names of at most 10 characters.

    Parameters
    ----------
    columns : list of str
        Column names.

    Returns
    -------
    dict of str to str
        Each column's field name.
    """
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
                entry = zipfile.ZipInfo(part.name, date_time=ZIP_TIMESTAMP)
                archive.writestr(entry, part.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)


ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
"""Date stamped on every zip entry, so the same export gives the same bytes."""


def write_export(layers: dict[str, gpd.GeoDataFrame], path: Path, *, generated: str | None = None) -> Path:
    """Write layers in the format the file name gives: a GeoPackage holds all, the others the first.

    With ``generated`` (the sidecar's time) a GeoPackage's change stamps are set
    to it, so the same export run again differs only by that time; zip entries
    always carry a fixed date.

    Parameters
    ----------
    layers : dict of str to geopandas.GeoDataFrame
        Layers by name, EPSG:27700.
    path : Path
        ``.gpkg``, ``.geojson``, ``.shp.zip`` or ``.csv``.
    generated : str, optional
        The sidecar's time, set as a GeoPackage's change stamps.

    Returns
    -------
    Path
        The file written.
    """
    names = list(layers)
    if output_format(path) != ".gpkg":
        return write_layer(layers[names[0]], path, layer=names[0])
    with replaced_atomically(path) as target:
        for name in names:
            _write_gpkg_layer(layers[name], target, name)
        if generated is not None:
            _stamp_geopackage(target, generated)
    return path


def _write_gpkg_layer(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    import pyogrio

    require_analysis_crs(frame, "layers to export")
    pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", append=path.exists())


def _stamp_geopackage(path: Path, generated: str) -> None:
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute("UPDATE gpkg_contents SET last_change = ?", (generated,))
        # The header counts write transactions, and GDAL does not always make the same number:
        # a copy made by VACUUM INTO starts its count afresh, so the same layers give the same bytes.
        fresh = path.with_name(path.name + ".vacuumed")
        connection.execute("VACUUM INTO ?", (str(fresh),))
    finally:
        connection.close()
    fresh.replace(path)


COUNT_COLUMNS = ("incidents", "count", "incidents_inside", "incidents_covered", "harm", "harm_inside")
"""Columns holding counts (or harm sums of counts) that shareable exports suppress when small."""


def shareable_layer(frame: gpd.GeoDataFrame, threshold: int = 5, round_to: int = 0) -> gpd.GeoDataFrame:
    """Suppress small counts for a layer shared outside the analysts' team.

    Counts from 1 to ``threshold - 1`` become empty in every count column a
    row has, and ``suppressed`` marks those rows, so a reader never sees how
    few incidents a place had and cannot work it out from the other counts.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        A hotspot or area layer with count columns.
    threshold : int, default 5
        Counts from 1 to this minus one are suppressed.
    round_to : int, default 0
        Round the counts left to a multiple of this (0: not rounded).

    Returns
    -------
    geopandas.GeoDataFrame
        The layer with small counts blanked and rows marked ``suppressed``.
    """
    import numpy as np

    shared = frame.copy()
    present = [c for c in COUNT_COLUMNS if c in shared]
    small = np.zeros(len(shared), dtype=bool)
    for column in present:
        values = shared[column].to_numpy(dtype=float)
        small |= (values > 0) & (values < threshold)
    for column in present:
        values = shared[column].astype(float).where(~small)
        shared[column] = values.map(lambda n: n if np.isnan(n) else rounded_count(n, threshold, round_to))
    shared["suppressed"] = small
    return shared
