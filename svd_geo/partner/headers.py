"""What a partner's file must be before its cells are read: text, not a web page, one name per column."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from svd_geo.base.errors import DataValidationError

if TYPE_CHECKING:
    import pandas as pd

_NOT_TEXT = {
    b"<!doctype html": "a web page (HTML), not CSV; download the CSV itself rather than the page",
    b"<html": "a web page (HTML), not CSV; download the CSV itself rather than the page",
    b"pk\x03\x04": "a zip or Excel workbook, not CSV; name it .xlsx or .zip, or save it as CSV",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) workbook, not CSV; save it as .xlsx or CSV",
    b"%pdf": "a PDF, not CSV; export the data itself as CSV",
}


def refuse_if_not_text(head: bytes, name: str) -> None:
    """Refuse a "CSV" whose first bytes say it is something else, judged by content, not by name.

    Parameters
    ----------
    head : bytes
        The file's first bytes.
    name : str
        The file's name, for the message.

    Raises
    ------
    DataValidationError
        When the bytes begin like HTML, a zip or workbook, or a PDF.
    """
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:16].lower()
    for magic, what in _NOT_TEXT.items():
        if start.startswith(magic):
            msg = f"{name}: the file is {what}."
            raise DataValidationError(msg)


def column_letter(position: int) -> str:
    """Return a spreadsheet's letter for a column position from 0: A, B, ..., Z, AA.

    Parameters
    ----------
    position : int
        The column's position, from 0.

    Returns
    -------
    str
        Its letters.
    """
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def refuse_duplicate_headers(headers: list[str], name: str) -> None:
    """Refuse a header row that names a column twice (ignoring case and spaces), as unclear to read.

    Parameters
    ----------
    headers : list of str
        The header row's cells.
    name : str
        The file's name, for the message.

    Raises
    ------
    DataValidationError
        Naming both columns, by name and letter.
    """
    seen: dict[str, int] = {}
    for position, header in enumerate(headers):
        key = str(header).strip().casefold()
        if key and key in seen:
            first = seen[key]
            msg = (
                f"{name}: columns {column_letter(first)} ({headers[first]!r}) and {column_letter(position)} "
                f"({header!r}) have the same name, so which to read is unclear; rename or delete one."
            )
            raise DataValidationError(msg)
        seen.setdefault(key, position)


def without_blank_headers(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Drop empty columns that have no header (a trailing comma); refuse one that holds values.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table as read, headers stripped (pandas names a blank one "Unnamed: N").
    name : str
        The file's name, for the message.

    Returns
    -------
    pandas.DataFrame
        The table without its empty, unnamed columns.

    Raises
    ------
    DataValidationError
        When an unnamed column holds values, naming its letter.
    """
    blank = [c for c in frame.columns if c == "" or re.fullmatch(r"Unnamed: \d+", c)]
    for column in blank:
        if (frame[column].astype(str).str.strip() != "").any():
            letter = column_letter(list(frame.columns).index(column))
            msg = f"{name}: column {letter} holds values but has no header; give it a name in the first row."
            raise DataValidationError(msg)
    return frame.drop(columns=blank)
