"""Vector files from users and the registry, opened safely: GDAL sees only files the app wrote.

A file is copied (a zipped Shapefile: its parts unpacked, each checked) into a
folder the app made, under a name the app chose; its first bytes must be those of
the format its name gives (the allow-list of drivers), and only then is it read.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from svd_geo.base.archives import checked_entries, extract_entries
from svd_geo.base.errors import DataValidationError

if TYPE_CHECKING:
    import geopandas as gpd


def read_vector(path: Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a GeoJSON, TopoJSON, GeoPackage or zipped Shapefile.

    Parameters
    ----------
    path : Path
        The file; a ``.zip`` must hold one Shapefile (any folder depth).
    layer : str, optional
        Layer to read from a multi-layer file; the first by default.

    Returns
    -------
    geopandas.GeoDataFrame
        Features in the file's own CRS (None when the format cannot state one).

    Raises
    ------
    DataValidationError
        When the file cannot be read as vector data.
    """
    import pyogrio

    with tempfile.TemporaryDirectory() as folder:
        zipped = path.suffix.lower() == ".zip"
        source = _shapefile_from_zip(path, Path(folder)) if zipped else _private_copy(path, Path(folder))
        _refuse_unlisted_format(path, source)
        try:
            with warnings.catch_warnings():
                # GDAL warns of each unreadable geometry (an empty coordinate list) and reads it
                # as missing, which the caller sets aside or refuses with a reason.
                warnings.simplefilter("ignore", RuntimeWarning)
                return pyogrio.read_dataframe(source, layer=layer)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as err:
            msg = (
                f"{path.name}: cannot read it as GeoJSON, GeoPackage or zipped Shapefile ({err}). "
                "Check the file is complete and in one of those formats."
            )
            raise DataValidationError(msg) from err


_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj")


_OPTIONAL_PARTS = (".cpg",)


# What each format's file begins with: GDAL is given only files that begin like one of these.
_FORMAT_STARTS = {".gpkg": (b"SQLite format 3\x00",), ".shp": (b"\x00\x00\x27\x0a",),
                  ".geojson": (b"{", b"["), ".json": (b"{", b"[")}  # fmt: skip


def _private_copy(path: Path, folder: Path) -> Path:
    """Copy a vector file (a Shapefile with its parts) into the app's own folder under a name it chose.

    GDAL then opens only a path the app wrote: a partner's file name, which may hold
    anything (``/vsicurl/``, ``..``), never reaches it.
    """
    suffix = path.suffix.lower()
    if suffix not in _FORMAT_STARTS:
        msg = (
            f"{path.name}: unsupported vector file type {suffix or '(none)'}; give GeoJSON, "
            "GeoPackage or a zipped Shapefile."
        )
        raise DataValidationError(msg)
    parts = (
        [path.with_suffix(part) for part in (*_SHAPEFILE_PARTS, *_OPTIONAL_PARTS)]
        if suffix == ".shp"
        else [path]
    )
    for part in parts:
        if part.is_file():
            shutil.copyfile(part, folder / f"layer{part.suffix.lower()}")
    return folder / f"layer{suffix}"


def _refuse_unlisted_format(path: Path, source: Path) -> None:
    """Refuse a file whose first bytes are not those of the format its name gives (GDAL would guess)."""
    starts = _FORMAT_STARTS.get(source.suffix.lower())
    with source.open("rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    if starts is None or not head.startswith(starts):
        msg = (
            f"{path.name}: the content is not a {source.suffix or 'known'} file; give GeoJSON, "
            "GeoPackage or a zipped Shapefile (.shp, .shx, .dbf and .prj)."
        )
        raise DataValidationError(msg)


def _shapefile_from_zip(path: Path, folder: Path) -> Path:
    """Copy the zip's one Shapefile (its .shp, .shx, .dbf, .prj and .cpg) into ``folder``; return the .shp."""
    entries = checked_entries(path)
    shapefiles = [info for info in entries if info.filename.lower().endswith(".shp")]
    if len(shapefiles) != 1:
        msg = (
            f"{path.name}: a zipped Shapefile must hold exactly one .shp file, found "
            f"{len(shapefiles)}; zip one layer's .shp, .shx, .dbf and .prj together."
        )
        raise DataValidationError(msg)
    stem = shapefiles[0].filename[:-4]
    parts = {info.filename[len(stem) :].lower(): info for info in entries if info.filename[:-4] == stem}
    missing = [part for part in _SHAPEFILE_PARTS if part not in parts]
    if missing:
        msg = (
            f"{path.name}: the Shapefile {shapefiles[0].filename!r} has no {', '.join(missing)}; a Shapefile "
            "needs its .shp, .shx, .dbf and .prj (the .prj says its coordinate system). Zip them together."
        )
        raise DataValidationError(msg)
    wanted = [parts[part] for part in (*_SHAPEFILE_PARTS, *_OPTIONAL_PARTS) if part in parts]
    return extract_entries(path, wanted, folder)[0]
