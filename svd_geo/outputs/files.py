"""Write layers for QGIS and ArcGIS: GeoPackage, GeoJSON, zipped Shapefile, CSV."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from svd_geo.base.config import DISPLAY_CRS
from svd_geo.base.coords import require_analysis_crs
from svd_geo.base.errors import DataValidationError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from svd_geo.base.config import Config

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
        write_csv_table(frame.to_wkt(), path)
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
    import pandas as pd

    if all(pd.api.types.is_integer_dtype(dtype) for dtype in table.dtypes):
        _write_integer_csv(table, path)
        return
    safe = table.copy()
    text_columns = safe.select_dtypes(include=["object", "string"]).columns
    safe[text_columns] = safe[text_columns].map(defuse_formulas)
    safe.to_csv(path, index=False, lineterminator="\r\n")


def _write_integer_csv(table: pd.DataFrame, path: Path | str) -> None:
    """Write a table of integers only (a line per incident) with pyarrow's writer.

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


def data_sources(config: Config, inputs: list[dict[str, object]]) -> dict[str, Any]:
    """Describe the data behind an export: partner files and the boundaries used.

    Parameters
    ----------
    config : Config
        Names the study area's districts and boundary vintages.
    inputs : list of dict
        Partner files: ``file``, ``sha256``, ``source`` and ``synthetic``.

    Returns
    -------
    dict
        ``inputs``, ``boundaries`` (id, level, vintage, url, sha256, licence) and ``attribution``.
    """
    from svd_geo.sources.boundaries import attribution_text
    from svd_geo.sources.registry import load_registry

    wanted = {("ward", config.ward_vintage), ("lsoa", config.lsoa_vintage)}
    boundaries = [
        {"id": e.id, "level": e.level, "vintage": e.vintage, "url": e.url or e.mirror_path,
         "sha256": e.sha256, "licence": e.licence}
        for e in load_registry(config).values()
        if e.kind == "boundary" and (e.level, e.vintage) in wanted
        and ("*" in e.districts or set(e.districts) & set(config.districts))
    ]  # fmt: skip
    return {"inputs": inputs, "boundaries": boundaries, "attribution": attribution_text(config)}


def generated_now() -> str:
    """Return the time stamped on exports: UTC, to the second, ISO 8601.

    Returns
    -------
    str
        E.g. ``2026-12-01T22:37:46Z``.
    """
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def store_inputs(store_path: Path) -> list[dict[str, object]]:
    """Describe the partner files in a store (file, sha256, source, synthetic) for metadata.

    Parameters
    ----------
    store_path : Path
        The store.

    Returns
    -------
    list of dict
        One per import: ``file``, ``sha256``, ``source``, ``synthetic``.
    """
    from svd_geo.store.geopackage import open_store

    records = (
        open_store(store_path).imports()[["file", "sha256", "source", "synthetic"]].to_dict(orient="records")
    )
    return [{str(key): value for key, value in record.items()} for record in records]


def export_metadata(
    *, what: str, parameters: dict[str, object], filters: str, sources: dict[str, Any], generated: str
) -> dict[str, object]:
    """Build the metadata sidecar of an export.

    ``generated`` is the only field that changes when the same export is run again.

    Parameters
    ----------
    what : str
        What the export holds, in words (with the hotspot definition).
    parameters : dict
        The method's parameters.
    filters : str
        The selection in words.
    sources : dict
        Partner files and boundary sources (:func:`data_sources`).
    generated : str
        The time stamp (:func:`generated_now`).

    Returns
    -------
    dict
        The sidecar's content.
    """
    from svd_geo import __version__

    return {
        "what": what,
        "parameters": parameters,
        "filters": filters,
        "crs": "EPSG:27700 (GeoJSON: EPSG:4326, RFC 7946)",
        **sources,
        "generated": generated,
        "software": f"svd-geo {__version__}",
    }


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
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    for name in names:
        _write_gpkg_layer(layers[name], path, name)
    if generated is not None:
        _stamp_geopackage(path, generated)
    return path


def write_sidecar(path: Path, metadata: dict[str, object]) -> Path:
    """Write ``FILE.metadata.json`` beside an export (sorted keys, so runs compare line by line).

    Parameters
    ----------
    path : Path
        The export.
    metadata : dict
        Its metadata.

    Returns
    -------
    Path
        The sidecar's path.
    """
    sidecar = path.with_name(path.name + ".metadata.json")
    sidecar.write_text(sidecar_json(metadata), encoding="utf-8")
    return sidecar


def sidecar_json(metadata: dict[str, object]) -> str:
    """Return metadata as the sidecar's JSON text (sorted keys, so runs compare line by line).

    Parameters
    ----------
    metadata : dict
        The metadata.

    Returns
    -------
    str
        Indented JSON with sorted keys.
    """
    import json

    return json.dumps(metadata, indent=2, sort_keys=True, default=str) + "\n"


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
    finally:
        connection.close()


COUNT_COLUMNS = ("incidents", "count", "incidents_inside", "incidents_covered", "harm", "harm_inside")
"""Columns holding counts (or harm sums of counts) that shareable exports suppress when small."""


def shareable_layer(frame: gpd.GeoDataFrame, threshold: int = 5) -> gpd.GeoDataFrame:
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
        shared[column] = shared[column].astype(float).where(~small)
    shared["suppressed"] = small
    return shared
