"""Files uploaded through the app: preview what would be imported, then import."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from svd_geo.base.archives import safe_file_name
from svd_geo.base.config import Config
from svd_geo.base.errors import DataValidationError
from svd_geo.base.schema import Detection, PreparedImport
from svd_geo.partner.columns import FIELDS, IGNORE
from svd_geo.partner.detect import detect_table
from svd_geo.partner.ingest import prepare_import
from svd_geo.partner.readers import read_partner_file
from svd_geo.store.backends import AnyStore
from svd_geo.store.protocol import ImportResult

PREVIEW_ROWS = 5
FIELD_CHOICES = ("", *FIELDS, IGNORE)
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


@dataclass(frozen=True)
class UploadPreview:
    """What an upload holds, before it is imported.

    Attributes
    ----------
    detection : Detection
        Detected layout, columns and coordinates of the first table.
    tables : int
        Tables in the file (a police.uk zip holds one per month).
    mapping : pandas.DataFrame
        One row per column: ``column``, ``field`` (detected, or "").
    head : pandas.DataFrame
        The first rows, as text.
    """

    detection: Detection
    tables: int
    mapping: pd.DataFrame
    head: pd.DataFrame


def escape_markdown(text: str) -> str:
    """Escape Markdown so partner text shows literally in Streamlit messages.

    Parameters
    ----------
    text : str
        Any text, e.g. a partner's file or column name.

    Returns
    -------
    str
        The text with Markdown and HTML characters escaped.
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


@contextmanager
def uploaded_file(data: bytes, name: str) -> Iterator[Path]:
    """Hold an upload as a file (under a safe name) in a temporary folder while in the block.

    Parameters
    ----------
    data : bytes
        The upload's content.
    name : str
        Its original name (only its safe base name is used).

    Yields
    ------
    Path
        The temporary file, removed after the block.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / safe_file_name(name)
        path.write_bytes(data)
        yield path


def preview_upload(data: bytes, name: str, overrides: dict[str, str] | None = None) -> UploadPreview:
    """Detect the columns of an uploaded file without importing it.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        Its original name (the suffix gives the format).
    overrides : dict of str to str, optional
        ``COLUMN -> FIELD`` choices that replace the detection.

    Returns
    -------
    UploadPreview
        Detection, column mapping and the first rows.

    Raises
    ------
    DataValidationError
        When the file cannot be read.
    """
    with uploaded_file(data, name) as path:
        tables = read_partner_file(path)
        detection = detect_table(tables[0], overrides)
    field_of = {column: field for field, column in detection.mapping.items()}
    columns = [str(c) for c in tables[0].frame.columns]
    mapping = pd.DataFrame({"column": columns, "field": [field_of.get(c, "") for c in columns]})
    return UploadPreview(detection, len(tables), mapping, tables[0].frame.head(PREVIEW_ROWS))


def overrides_from_mapping(mapping: pd.DataFrame) -> dict[str, str]:
    """Turn an edited ``column, field`` table into overrides (blank means ignore).

    Parameters
    ----------
    mapping : pandas.DataFrame
        ``column, field`` rows as the user edited them.

    Returns
    -------
    dict of str to str
        ``COLUMN -> FIELD`` (``ignore`` for a blank field).
    """
    overrides: dict[str, str] = {}
    for column, field in zip(mapping["column"], mapping["field"], strict=True):
        choice = str(field or "").strip() or IGNORE
        if choice not in FIELD_CHOICES:
            msg = f"column {column!r}: unknown field {choice!r}; choose one of {', '.join(FIELDS)}."
            raise DataValidationError(msg)
        overrides[str(column)] = choice
    return overrides


def describe_import(prepared: PreparedImport, result: ImportResult) -> str:
    """Return a one-line, Markdown-safe account of an import for the page.

    Parameters
    ----------
    prepared : PreparedImport
        The validated file.
    result : ImportResult
        What the store did with it.

    Returns
    -------
    str
        E.g. "Imported partner.csv as import 3: 995 rows accepted, 5 set aside."
    """
    name = escape_markdown(prepared.file_name)
    if result.already_imported:
        return f"{name} was already imported as import {result.import_id}; nothing added."
    return (
        f"Imported {name} as import {result.import_id}: {result.accepted:,} rows accepted, "
        f"{result.rejected:,} set aside."
    )


def import_upload(
    data: bytes,
    name: str,
    source: str,
    config: Config,
    store: AnyStore,
    *,
    overrides: dict[str, str] | None = None,
) -> tuple[PreparedImport, ImportResult]:
    """Validate an uploaded file and add it to the store.

    Parameters
    ----------
    data : bytes
        The upload's content.
    name : str
        Its original name.
    source : str
        The partner source.
    config : Config
        Settings for the area join.
    store : AnyStore
        Where to add it.
    overrides : dict of str to str, optional
        ``COLUMN -> FIELD`` choices.

    Returns
    -------
    tuple of (PreparedImport, ImportResult)
        What was validated, and what the store did with it.
    """
    with uploaded_file(data, name) as path:
        prepared = prepare_import(path, source, config, overrides=overrides, display_name=Path(name).name)
    return prepared, store.add_import(prepared)


def preview_places_upload(data: bytes, name: str) -> pd.DataFrame:
    """Say which column of an uploaded file of places each field is read from, before it is imported.

    Parameters
    ----------
    data : bytes
        The uploaded file's bytes.
    name : str
        Its name.

    Returns
    -------
    pandas.DataFrame
        ``field, column`` for each field a places file can give ("" where none is found).

    Raises
    ------
    DataValidationError
        When the file cannot be read.
    """
    from svd_geo.partner.columns import PLACE_FIELDS, place_columns
    from svd_geo.partner.interventions import read_place_tables

    with uploaded_file(data, name) as path:
        table = read_place_tables(path)[0]
    found = place_columns([str(c) for c in table.frame.columns])
    return pd.DataFrame(
        {"field": PLACE_FIELDS, "column": [found.get(f.replace("_", ""), "") for f in PLACE_FIELDS]}
    )
