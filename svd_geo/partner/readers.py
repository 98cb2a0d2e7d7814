"""Readers for partner files: every format becomes tables of text.

police.uk street CSVs (one file, or the zip of monthly folders police.uk's
download gives), generic CSV and XLSX, GeoJSON, GeoPackage and zipped
Shapefile.  Nothing is interpreted here; :mod:`svd_geo.partner.ingest` does that.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from svd_geo.base.archives import checked_entries, input_limit_bytes, limit_words, read_entry
from svd_geo.base.errors import DataValidationError
from svd_geo.base.speed import start_ahead, take_ahead
from svd_geo.partner.file_reads import FileVersion, file_version, read_stable_bytes, read_unchanged
from svd_geo.partner.headers import refuse_duplicate_headers, refuse_if_not_text, without_blank_headers

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
    import pyarrow as pa

TABLE_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp")
POLICE_UK_HEADERS = {"Crime ID", "Month", "Longitude", "Latitude", "LSOA code", "Crime type"}
SUPPORTED = "CSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile or a police.uk zip"
_NO_ROWS = "the file has a header but no data rows; export it again with its rows"


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
        Values :mod:`svd_geo.partner.ingest` derives from the cells, kept so that detection
        and validation work each out once.
    notes : tuple of str
        What reading it left out that the import summary should say (other sheets).
    """

    name: str
    frame: pd.DataFrame
    points: gpd.GeoSeries | None = None
    memo: dict[object, Any] = field(default_factory=dict, repr=False, compare=False)
    notes: tuple[str, ...] = ()

    @property
    def is_police_uk(self) -> bool:
        """Whether the table has the police.uk street CSV layout."""
        return set(self.frame.columns) >= POLICE_UK_HEADERS


def decode_text(data: bytes) -> str:
    """Decode a text file: UTF-8 (with or without byte-order mark), else Windows-1252.

    Parameters
    ----------
    data : bytes
        The file's bytes.

    Returns
    -------
    str
        The text (undecodable bytes replaced).
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t", "|")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def _text_table(frame: pd.DataFrame, name: str, empty_problem: str) -> RawTable:
    frame.columns = [str(c).strip() for c in frame.columns]
    refuse_duplicate_headers(list(frame.columns), name)
    frame = without_blank_headers(frame, name)
    if frame.empty:
        msg = f"{name}: {empty_problem}."
        raise DataValidationError(msg)
    return RawTable(name, frame)


def _arrow_table(data: bytes | Path, *, threads: bool = True) -> pa.Table | None:
    """Parse clean UTF-8 CSV (bytes, or a file read in blocks) into text columns with pyarrow, or None.

    Anything unusual (another encoding, ragged rows, repeated headers) returns None
    and the C parser, which gives line numbers in its errors, reads the file.  Needs
    pyarrow only, so it can run while pandas loads; ``threads`` False parses on the
    calling thread alone.  A file is read through ``pyarrow.OSFile``, block by
    block and never memory-mapped, so the whole file is never held as bytes beside
    its table (the CSV's size less at the peak).
    """
    import pyarrow as pa
    from pyarrow import csv as arrow_csv

    if isinstance(data, Path):
        with data.open("rb") as handle:
            head = handle.read(65536)
    else:
        head = data[:65536]
    first_line = head.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").rstrip("\r")
    delimiter = _delimiter(first_line)
    headers = next(csv.reader([first_line], delimiter=delimiter), [])
    if not headers or len(set(headers)) != len(headers):
        return None
    options = arrow_csv.ConvertOptions(
        column_types=dict.fromkeys(headers, pa.large_string()),
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    try:
        source = pa.OSFile(str(data)) if isinstance(data, Path) else pa.py_buffer(data)
        table = arrow_csv.read_csv(
            source, read_options=arrow_csv.ReadOptions(use_threads=threads),
            # Partner exports put line breaks in free-text cells; without this a block
            # boundary inside one can split a row.
            parse_options=arrow_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=options,
        )  # fmt: skip
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    if table.column_names != headers or not all(pa.types.is_large_string(t) for t in table.schema.types):
        return None
    return table


def _text_frame(table: pa.Table) -> pd.DataFrame:
    """Return pyarrow text columns as a pandas frame of its ``str`` dtype, without copying.

    Called directly rather than through ``pandas.read_csv(engine="pyarrow")``,
    which infers types and converts back to text (0.15 s more at a million rows).
    The columns are parsed as ``large_string``, pandas' own storage: from ``string``
    it copies every text (0.2 s for the benchmark's file).
    """
    import pandas as pd
    import pyarrow as pa

    text = pd.StringDtype("pyarrow", na_value=float("nan"))
    frame: pd.DataFrame = table.to_pandas(types_mapper={pa.large_string(): text}.get)
    return frame


def _read_csv_slowly(data: bytes, name: str) -> RawTable:
    """Read any CSV with pandas' C parser, whose errors give line numbers."""
    import pandas as pd

    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    refuse_duplicate_headers(
        next(csv.reader([first_line.rstrip("\r")], delimiter=_delimiter(first_line)), []), name
    )
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
    return _text_table(frame, name, _NO_ROWS)


def read_csv_bytes(data: bytes, *, name: str) -> RawTable:
    """Read CSV bytes into a text table.

    Parameters
    ----------
    data : bytes
        The CSV's bytes.
    name : str
        The file's name, for messages.

    Returns
    -------
    RawTable
        Every cell as text.

    Raises
    ------
    DataValidationError
        When the bytes are not a CSV with a header and at least one data row.
    """
    refuse_if_not_text(data[:64], name)
    table = _arrow_table(data)
    return _read_csv_slowly(data, name) if table is None else _text_table(_text_frame(table), name, _NO_ROWS)


def _parse_file(path: Path, threads: bool) -> tuple[FileVersion, pa.Table | None]:
    """Parse a CSV file with pyarrow; return the version it is of, and the table (None to fall back).

    A file whose size or modification time changed while it was parsed (still being
    copied into place) is parsed again, up to three times.
    """
    return read_unchanged(path, lambda file: _arrow_table(file, threads=threads))


def read_ahead(path: Path) -> None:
    """Start parsing and hashing a CSV file on a background thread, for :func:`read_partner_file`.

    The command line calls this as soon as it has read its options: pyarrow parses
    the file (without the GIL) and hashlib checksums it on that thread while
    pandas and the geospatial libraries load on the main one, which takes about as
    long.  Anything but a CSV file is left alone; a file that cannot be read is
    reported when it is read again on the main thread.

    Parameters
    ----------
    path : Path
        The partner file the command will read.
    """
    if path.suffix.lower() not in TABLE_SUFFIXES or not path.is_file():
        return
    # Imported here, before the thread starts, so that no module is imported by two threads at once.
    import pyarrow.csv  # noqa: F401

    from svd_geo.sources.registry import sha256_of

    # One core parses while the other imports: with pyarrow's threads on both, the
    # imports (which need the GIL) took 0.3 s longer on this two-core machine.
    # The checksum follows on the same thread: remembered for the import's record.
    start_ahead(("parsed", file_version(path)), _parse_file, path, False, then=lambda: sha256_of(path))


def _take_read_ahead(path: Path) -> pa.Table | None:
    """Return what :func:`read_ahead` parsed of the file as it is now, or None."""
    parsed = take_ahead(("parsed", file_version(path)))
    if parsed is None:
        return None
    version, table = parsed
    return table if version == file_version(path) else None


def _read_csv_file(path: Path) -> RawTable:
    """Read a CSV file, or take what :func:`read_ahead` parsed of the file as it is now."""
    with path.open("rb") as handle:
        refuse_if_not_text(handle.read(64), path.name)
    table = _take_read_ahead(path)
    if table is None:
        _, table = _parse_file(path, threads=True)
        if table is None:
            return _read_csv_slowly(read_stable_bytes(path)[1], path.name)
    return _text_table(_text_frame(table), path.name, _NO_ROWS)


def _read_excel(path: Path) -> RawTable:
    """Read a workbook's first sheet as text; openpyxl parses its XML through defusedxml."""
    import pandas as pd

    try:
        with pd.ExcelFile(path) as book:
            sheets = book.sheet_names
            sheet = pd.read_excel(book, sheet_name=0, dtype=str, keep_default_na=False, header=None)
    except (ValueError, OSError, zipfile.BadZipFile, KeyError) as err:
        msg = f"{path.name}: cannot read it as an Excel workbook ({err}). Save it as .xlsx or CSV."
        raise DataValidationError(msg) from err
    if sheet.empty:
        msg = f"{path.name}: the first sheet is empty; put the records on the first sheet."
        raise DataValidationError(msg)
    # A merged header cell leaves the cells it spans blank: those columns then need names.
    headers = [str(cell).strip() if pd.notna(cell) else "" for cell in sheet.iloc[0]]
    frame = sheet.iloc[1:].reset_index(drop=True).fillna("")
    frame.columns = [header or f"Unnamed: {position}" for position, header in enumerate(headers)]
    table = _text_table(frame, path.name, "the first sheet has no data rows; put the records on sheet one")
    if len(sheets) == 1:
        return table
    note = f"only the first of its {len(sheets)} sheets was read ({sheets[0]!r}); import the others as files"
    return replace(table, notes=(note,))


def _read_vector_table(path: Path) -> RawTable:
    import pandas as pd

    from svd_geo.sources.boundaries import to_analysis_crs
    from svd_geo.sources.vectors import read_vector

    frame = to_analysis_crs(read_vector(path), name=path.name)
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    text = attributes.astype("string").fillna("")
    if text.empty and frame.empty:
        msg = f"{path.name}: the layer has no features; export the layer with its features."
        raise DataValidationError(msg)
    return RawTable(path.name, text.astype(object), frame.geometry.reset_index(drop=True))


def _read_zip(path: Path) -> list[RawTable]:
    entries = checked_entries(path)
    if any(info.filename.lower().endswith(".shp") for info in entries):
        return [_read_vector_table(path)]
    csvs = sorted(
        (info for info in entries if info.filename.lower().endswith(".csv")), key=lambda i: i.filename
    )
    street = [info for info in csvs if info.filename.lower().endswith("-street.csv")]
    members = street or csvs
    if not members:
        msg = (
            f"{path.name}: the zip holds no CSV files or Shapefile; expected police.uk "
            "monthly folders of *-street.csv files or one zipped Shapefile."
        )
        raise DataValidationError(msg)
    return [read_csv_bytes(read_entry(path, info), name=f"{path.name}!{info.filename}") for info in members]


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
    if path.stat().st_size > input_limit_bytes():
        msg = (
            f"{path.name}: {path.stat().st_size / 2**20:,.0f} MB, more than the limit of {limit_words()}; "
            "split the export by year or district."
        )
        raise DataValidationError(msg)
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return [_read_csv_file(path)]
    if suffix in EXCEL_SUFFIXES:
        return [_read_excel(path)]
    if suffix == ".zip":
        return _read_zip(path)
    if suffix in VECTOR_SUFFIXES:
        return [_read_vector_table(path)]
    msg = f"{path.name}: unsupported file type {suffix or '(none)'}; give {SUPPORTED}."
    raise DataValidationError(msg)
