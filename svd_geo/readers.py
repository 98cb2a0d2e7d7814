"""Readers for partner files: every format becomes tables of text.

police.uk street CSVs (one file, or the zip of monthly folders police.uk's
download gives), generic CSV and XLSX, GeoJSON, GeoPackage and zipped
Shapefile.  Nothing is interpreted here; :mod:`svd_geo.ingest` does that.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from svd_geo.errors import DataValidationError

if TYPE_CHECKING:
    import geopandas as gpd

TABLE_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp")
POLICE_UK_HEADERS = {"Crime ID", "Month", "Longitude", "Latitude", "LSOA code", "Crime type"}
SUPPORTED = "CSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile or a police.uk zip"


@dataclass(frozen=True)
class RawTable:
    """One table read from a partner file, every cell as text.

    Attributes
    ----------
    name : str
        File name, or ``archive.zip!member`` for a member of a zip.
    frame : pandas.DataFrame
        The cells as text; blank cells are empty strings.
    points : geopandas.GeoSeries or None
        For vector files, each row's geometry in EPSG:27700.
    memo : dict
        Values :mod:`svd_geo.ingest` derives from the cells, kept so that detection
        and validation work each out once.
    """

    name: str
    frame: pd.DataFrame
    points: gpd.GeoSeries | None = None
    memo: dict[object, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_police_uk(self) -> bool:
        """Whether the table has the police.uk street CSV layout."""
        return set(self.frame.columns) >= POLICE_UK_HEADERS


def decode_text(data: bytes) -> str:
    """Decode a text file: UTF-8 (with or without byte-order mark), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t", "|")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def _text_table(frame: pd.DataFrame, name: str, empty_problem: str) -> RawTable:
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        msg = f"{name}: {empty_problem}."
        raise DataValidationError(msg)
    return RawTable(name, frame)


def _read_csv_fast(data: bytes) -> pd.DataFrame | None:
    """Read clean UTF-8 CSV with pyarrow (about three times faster), or None to fall back.

    Anything unusual (another encoding, ragged rows, padded cells) returns None
    and the C parser, which gives line numbers in its errors, reads the file.
    """
    import pyarrow

    first_line = data[:4096].split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
    try:
        frame = pd.read_csv(
            io.BytesIO(data), sep=_delimiter(first_line), dtype=str, keep_default_na=False,
            na_values=[], engine="pyarrow", encoding="utf-8-sig",
        )  # fmt: skip
    except (pyarrow.ArrowInvalid, UnicodeDecodeError, ValueError, pd.errors.ParserError):
        return None
    return frame


def read_csv_bytes(data: bytes, *, name: str) -> RawTable:
    """Read CSV bytes into a text table.

    Raises
    ------
    DataValidationError
        When the bytes are not a CSV with a header and at least one data row.
    """
    fast = _read_csv_fast(data)
    if fast is not None:
        return _text_table(
            fast, name, "the file has a header but no data rows; export it again with its rows"
        )
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=_delimiter(first_line),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as err:
        msg = f"{name}: cannot read it as CSV ({err}). Save it as CSV with one header row."
        raise DataValidationError(msg) from err
    return _text_table(frame, name, "the file has a header but no data rows; export it again with its rows")


def _read_excel(path: Path) -> RawTable:
    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=str, keep_default_na=False)
    except (ValueError, OSError, zipfile.BadZipFile, KeyError) as err:
        msg = f"{path.name}: cannot read it as an Excel workbook ({err}). Save it as .xlsx or CSV."
        raise DataValidationError(msg) from err
    return _text_table(
        frame.fillna(""), path.name, "the first sheet has no data rows; put the records on the first sheet"
    )


def _read_vector_table(path: Path) -> RawTable:
    from svd_geo.boundaries import read_vector, to_analysis_crs

    frame = to_analysis_crs(read_vector(path), name=path.name)
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    text = attributes.astype("string").fillna("")
    if text.empty and frame.empty:
        msg = f"{path.name}: the layer has no features; export the layer with its features."
        raise DataValidationError(msg)
    return RawTable(path.name, text.astype(object), frame.geometry.reset_index(drop=True))


def _read_zip(path: Path) -> list[RawTable]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            if any(n.lower().endswith(".shp") for n in names):
                return [_read_vector_table(path)]
            csvs = sorted(n for n in names if n.lower().endswith(".csv"))
            street = [n for n in csvs if n.lower().endswith("-street.csv")]
            members = street or csvs
            if not members:
                msg = (
                    f"{path.name}: the zip holds no CSV files or Shapefile; expected police.uk "
                    "monthly folders of *-street.csv files or one zipped Shapefile."
                )
                raise DataValidationError(msg)
            return [read_csv_bytes(archive.read(n), name=f"{path.name}!{n}") for n in members]
    except zipfile.BadZipFile as err:
        msg = f"{path.name}: not a readable zip file ({err}); download or zip it again."
        raise DataValidationError(msg) from err


def read_partner_file(path: Path) -> list[RawTable]:
    """Read a partner file into one or more text tables.

    Parameters
    ----------
    path : Path
        A CSV, XLSX, GeoJSON, GeoPackage, Shapefile, zipped Shapefile, or a zip
        of police.uk monthly folders (only ``*-street.csv`` members are read
        when there are any).

    Returns
    -------
    list of RawTable
        One table per file (per CSV member of a zip).

    Raises
    ------
    DataValidationError
        When the file is missing, empty or in no supported format.
    """
    if not path.is_file():
        msg = f"{path}: no such file; check the path."
        raise DataValidationError(msg)
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return [read_csv_bytes(path.read_bytes(), name=path.name)]
    if suffix in EXCEL_SUFFIXES:
        return [_read_excel(path)]
    if suffix == ".zip":
        return _read_zip(path)
    if suffix in VECTOR_SUFFIXES:
        return [_read_vector_table(path)]
    msg = f"{path.name}: unsupported file type {suffix or '(none)'}; give {SUPPORTED}."
    raise DataValidationError(msg)
