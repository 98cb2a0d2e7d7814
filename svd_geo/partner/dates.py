"""Date and time parsing for partner files, vectorised over a column.

Partners write dates in many ways; each value is tried against UK-first
formats in turn and the first that parses wins, so one file may mix them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.base.errors import DataValidationError
from svd_geo.base.texts import DistinctTexts, distinct_texts
from svd_geo.partner.detect import distinct_column
from svd_geo.partner.readers import RawTable

# (strptime format, precision it gives); day-first before month-first: UK partners.
DATETIME_FORMATS: tuple[tuple[str, str], ...] = (
    ("%Y-%m-%d %H:%M:%S", "datetime"),
    ("%Y-%m-%dT%H:%M:%S", "datetime"),
    ("%Y-%m-%d %H:%M", "datetime"),
    ("%Y-%m-%dT%H:%M", "datetime"),
    ("%d/%m/%Y %H:%M:%S", "datetime"),
    ("%d/%m/%Y %H:%M", "datetime"),
    ("%d/%m/%y %H:%M", "datetime"),
    ("%Y-%m-%d", "date"),
    ("%d/%m/%Y", "date"),
    ("%d-%m-%Y", "date"),
    ("%d.%m.%Y", "date"),
    ("%d/%m/%y", "date"),
    ("%d %b %Y", "date"),
    ("%d %B %Y", "date"),
    ("%Y-%m", "month"),
    ("%Y/%m", "month"),
    ("%m/%Y", "month"),
    ("%b %Y", "month"),
    ("%B %Y", "month"),
)
TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%H%M")
EXPECTED_DATES = "YYYY-MM-DD, DD/MM/YYYY or YYYY-MM, optionally with HH:MM"


PRECISIONS = ("", "datetime", "date", "month")
"""What a parsed value gives, by code ("" where blank or invalid)."""
_DATETIME, _DATE = PRECISIONS.index("datetime"), PRECISIONS.index("date")


@dataclass(frozen=True)
class ParsedDates:
    """Timestamps, their precision and which rows failed.

    ``precision_code`` numbers each row's precision in :data:`PRECISIONS` (small
    integers compare and take at a million rows where texts would not).
    """

    occurred: pd.Series
    precision_code: npt.NDArray[np.int8]
    blank: npt.NDArray[np.bool_]
    invalid: npt.NDArray[np.bool_]


def _strip_fraction(text: pd.Series) -> pd.Series:
    # Excel and databases add ".000" or a trailing "Z"; drop them before matching.
    return text.str.replace(r"(\.\d+)?Z?$", "", regex=True)


def parse_dates(values: pd.Series, *, formats: tuple[tuple[str, str], ...] = DATETIME_FORMATS) -> ParsedDates:
    """Parse a column of dates, date-times or months.

    Parameters
    ----------
    values : pandas.Series
        Text as read from the file.
    formats : tuple of (str, str)
        Formats to try, each with the precision it gives.

    Returns
    -------
    ParsedDates
        A date-time per row (NaT where blank or invalid) and the code of its
        precision in :data:`PRECISIONS`: ``"datetime"``, ``"date"`` or
        ``"month"``.  A column whose times are all midnight is taken as dates
        only (Excel writes dates that way).
    """
    return parse_distinct_dates(distinct_texts(values), formats=formats)


def parse_distinct_dates(
    values: DistinctTexts, *, formats: tuple[tuple[str, str], ...] = DATETIME_FORMATS
) -> ParsedDates:
    """Parse a column of dates given as its distinct texts (see :func:`parse_dates`).

    Dates repeat (police.uk has one a month), so each distinct text is parsed once.

    Parameters
    ----------
    values : DistinctTexts
        The column's distinct texts.
    formats : tuple of (str, str), optional
        (format, precision) pairs tried in order; the UK day-first formats by default.

    Returns
    -------
    ParsedDates
        Each row's date-time, precision, and which rows are blank or invalid.
    """
    parsed = _parse_distinct(values.texts, formats)
    return ParsedDates(
        pd.Series(values.per_row(parsed.occurred.to_numpy())),
        values.per_row(parsed.precision_code),
        values.per_row(parsed.blank),
        values.per_row(parsed.invalid),
    )


def _parse_distinct(values: pd.Series, formats: tuple[tuple[str, str], ...]) -> ParsedDates:
    text = _strip_fraction(values)  # distinct texts come stripped
    occurred = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    precision = np.zeros(len(values), dtype=np.int8)
    blank = (text == "").to_numpy()
    todo = ~blank
    for fmt, level in formats:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        hit = parsed.notna().to_numpy()
        rows = np.flatnonzero(todo)[hit]
        occurred.iloc[rows] = parsed[hit].to_numpy()
        precision[rows] = PRECISIONS.index(level)
        todo[rows] = False
    timed = precision == _DATETIME
    if timed.any() and (occurred[timed].dt.normalize() == occurred[timed]).all():
        precision[timed] = _DATE
    return ParsedDates(occurred, precision, blank, todo)


def add_times(dates: ParsedDates, times: DistinctTexts) -> tuple[ParsedDates, int]:
    """Add a separate time column, given as its distinct texts, to parsed dates.

    Rows with a readable time become ``"datetime"`` precision; rows whose time
    is blank or unreadable keep their date.

    Parameters
    ----------
    dates : ParsedDates
        Dates parsed from the date column.
    times : DistinctTexts
        The time column's distinct texts.

    Returns
    -------
    tuple of (ParsedDates, int)
        The combined dates, and how many non-blank times could not be read.
    """
    text = times.texts
    offset = pd.Series(pd.NaT, index=text.index, dtype="timedelta64[ns]")
    for fmt in TIME_FORMATS:
        missing = offset.isna() & (text != "")
        if not missing.any():
            break
        parsed = pd.to_datetime(text[missing], format=fmt, errors="coerce")
        offset[missing] = parsed - parsed.dt.normalize()
    row_offset = times.per_row(offset.to_numpy())
    readable = ~np.isnat(row_offset)
    usable = readable & (dates.precision_code == _DATE)
    occurred = dates.occurred.to_numpy(copy=True)
    occurred[usable] += row_offset[usable]
    precision = dates.precision_code.copy()
    precision[usable] = _DATETIME
    unreadable = int((times.per_row((text != "").to_numpy()) & ~readable).sum())
    return ParsedDates(pd.Series(occurred), precision, dates.blank, dates.invalid), unreadable


EXCEL_EPOCH = pd.Timestamp("1899-12-30")
"""Day 0 of Excel's 1900 date system (its serial 1 is 1 January 1900, counting a 29 February 1900)."""
EXCEL_SERIALS = (25_569, 73_051)
"""Serials read as dates: 1 January 1970 to 1 January 2100.  Outside, a number is not taken for a date."""


def excel_serial_dates(values: DistinctTexts) -> ParsedDates | None:
    """Read a column whose every value is an Excel serial day number (45356 is 5 March 2024), or None.

    A workbook cell formatted as a number, or a CSV saved from one, gives the serial
    rather than the date.  Only a column of nothing but serials in
    :data:`EXCEL_SERIALS` is read so (a fraction is the time of day); any other
    text leaves the whole column to the date formats.

    Parameters
    ----------
    values : DistinctTexts
        The column's distinct texts.

    Returns
    -------
    ParsedDates or None
        The dates, or None when the column is not all serials.
    """
    texts = values.texts
    given = (texts != "").to_numpy()
    numbers = pd.to_numeric(texts.where(given, "0"), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    low, high = EXCEL_SERIALS
    if not given.any() or not ((numbers[given] >= low) & (numbers[given] <= high)).all():
        return None
    occurred = pd.Series(EXCEL_EPOCH + pd.to_timedelta(np.where(given, numbers, np.nan), unit="D")).dt.round(
        "s"
    )
    timed = given & (numbers % 1 != 0)
    precision = np.where(timed, _DATETIME, np.where(given, _DATE, 0)).astype(np.int8)
    return ParsedDates(
        pd.Series(values.per_row(occurred.to_numpy())),
        values.per_row(precision),
        values.per_row(~given),
        values.per_row(np.zeros(len(texts), dtype=bool)),
    )


def table_dates(table: RawTable, mapping: dict[str, str], notes: list[str]) -> tuple[ParsedDates, str]:
    """Parse a table's dates from its datetime, date (and time) or month column, saying what was read.

    Parameters
    ----------
    table : RawTable
        The partner's table.
    mapping : dict of str to str
        Field to column, as detected.
    notes : list of str
        Where to say what the import summary should tell (Excel serials, unreadable times).

    Returns
    -------
    tuple of (ParsedDates, str)
        The dates, and the column they came from.

    Raises
    ------
    DataValidationError
        When the table has no date column, naming its columns and the fix.
    """
    for field_name in ("datetime", "date", "month"):
        column = mapping.get(field_name)
        if column is None:
            continue
        texts = distinct_column(table, column)
        serials = excel_serial_dates(texts) if field_name != "month" else None
        if serials is not None:
            example = str(texts.texts[texts.texts != ""].iloc[0])
            day = EXCEL_EPOCH + pd.Timedelta(days=float(example))
            notes.append(
                f"column {column!r} holds Excel serial day numbers ({example} is {day:%d %B %Y}); "
                "read as dates"
            )
            dates = serials
        else:
            dates = parse_distinct_dates(texts)
        if field_name == "date" and "time" in mapping:
            dates, unreadable = add_times(dates, distinct_column(table, mapping["time"]))
            if unreadable:
                notes.append(
                    f"{unreadable} rows have a time in {mapping['time']!r} that is not HH:MM; "
                    "kept with their date only"
                )
        return dates, column
    headers = ", ".join(str(c) for c in table.frame.columns)
    msg = (
        f"{table.name}: no date column found (columns: {headers}). Add a date column "
        f"({EXPECTED_DATES}) or name one with --map COLUMN=date (or =datetime, =month)."
    )
    raise DataValidationError(msg)
