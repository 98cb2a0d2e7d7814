"""Detect what a partner table holds: which column is which field, and how locations are given."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from svd_geo.base.coords import CoordSystem, DistinctPairs, classify_pair, distinct_pairs
from svd_geo.base.errors import DataValidationError
from svd_geo.base.schema import Detection
from svd_geo.base.texts import DistinctTexts, distinct_texts
from svd_geo.partner.columns import apply_overrides, detect_columns
from svd_geo.partner.readers import RawTable, read_partner_file
from svd_geo.sources.areas import LSOA_PATTERN, WARD_PATTERN

_POLICE_UK_MAPPING = {
    "month": "Month",
    "longitude": "Longitude",
    "latitude": "Latitude",
    "lsoa_code": "LSOA code",
    "category": "Crime type",
    "external_id": "Crime ID",
    "place": "Location",
}


_PAIRS = (("longitude", "latitude"), ("easting", "northing"), ("x", "y"))


_CODE_SHARE_REQUIRED = 0.5


def detect_table(table: RawTable, overrides: dict[str, str] | None = None) -> Detection:
    """Detect which columns hold which fields, and how locations are given.

    Parameters
    ----------
    table : RawTable
        A table read from a partner file.
    overrides : dict of str to str, optional
        ``COLUMN -> FIELD`` choices that replace the detection.

    Returns
    -------
    Detection
        The mapping and notes for this table.
    """
    headers = [str(c) for c in table.frame.columns]
    layout = "police.uk" if table.is_police_uk else "vector" if table.points is not None else "table"
    police_uk = {field: column for field, column in _POLICE_UK_MAPPING.items() if column in headers}
    detected = police_uk if table.is_police_uk else detect_columns(headers)
    mapping = apply_overrides(detected, overrides or {}, headers, file_name=table.name)
    _work_out_distinct(table, [c for f, c in mapping.items() if f != "external_id"])
    notes: list[str] = list(table.notes)
    for code_field, pattern, example in (
        ("lsoa_code", LSOA_PATTERN, "E01028268"),
        ("ward_code", WARD_PATTERN, "E05010678"),
    ):
        column = mapping.get(code_field)
        if column is None:
            continue
        codes = distinct_column(table, column)
        filled = codes.counts * (codes.texts != "").to_numpy()
        matching = codes.texts.str.match(pattern).to_numpy(dtype=bool, na_value=False)
        share = filled[matching].sum() / filled.sum() if filled.sum() else 1.0
        if share < _CODE_SHARE_REQUIRED and (overrides or {}).get(column) != code_field:
            del mapping[code_field]
            notes.append(f"column {column!r} does not hold ONS codes like {example}; not used")
    coordinates = _describe_coordinates(table, mapping)
    return Detection(table.name, layout, mapping, coordinates, len(table.frame), notes)


def coordinate_pair(mapping: dict[str, str]) -> tuple[str, str] | None:
    """Return the detected (x-like, y-like) coordinate columns, or None.

    Parameters
    ----------
    mapping : dict of str to str
        Field to column.

    Returns
    -------
    tuple of str or None
        The two columns, first the x-like one.
    """
    for first, second in _PAIRS:
        if first in mapping and second in mapping:
            return mapping[first], mapping[second]
    return None


def distinct_column(table: RawTable, column: str | None) -> DistinctTexts:
    """Return a column's distinct texts (all blank when ``column`` is None), worked out once per table.

    Parameters
    ----------
    table : RawTable
        The table.
    column : str, optional
        The column.

    Returns
    -------
    DistinctTexts
        The stripped distinct texts and each row's code.
    """
    if column is None:
        return DistinctTexts(np.zeros(len(table.frame), dtype=np.intp), pd.Series([""], dtype="string"))
    key = ("distinct texts", column)
    if key not in table.memo:
        table.memo[key] = distinct_texts(table.frame[column])
    texts: DistinctTexts = table.memo[key]
    return texts


def _work_out_distinct(table: RawTable, columns: list[str]) -> None:
    """Work out the distinct texts of several columns at once, a thread a core.

    pyarrow's hashing lets go of the GIL: on two cores the benchmark's five columns
    of a million rows took 0.17 s instead of 0.22-0.34 s.
    """
    todo = [c for c in dict.fromkeys(columns) if ("distinct texts", c) not in table.memo]

    def column_texts(column: str) -> DistinctTexts:
        return distinct_texts(table.frame[column])

    with ThreadPoolExecutor(max_workers=min(len(todo), os.cpu_count() or 1) or 1) as pool:
        for column, texts in zip(todo, pool.map(column_texts, todo), strict=True):
            table.memo[("distinct texts", column)] = texts


def table_pairs(table: RawTable, pair: tuple[str, str]) -> DistinctPairs:
    """Return the distinct coordinate pairs of a table, worked out once for detection and validation.

    Parameters
    ----------
    table : RawTable
        The table.
    pair : tuple of str
        The two coordinate columns.

    Returns
    -------
    DistinctPairs
        The distinct (first, second) texts and each row's pair.
    """
    key = ("distinct pairs", pair)
    if key not in table.memo:
        table.memo[key] = distinct_pairs(distinct_column(table, pair[0]), distinct_column(table, pair[1]))
        # Only the pairs are read from here on: distinct points would keep the file's
        # coordinate texts twice over (44 MB at a million rows).
        for column in pair:
            table.memo.pop(("distinct texts", column), None)
    pairs: DistinctPairs = table.memo[key]
    return pairs


def _pair_system(table: RawTable, pair: tuple[str, str]) -> CoordSystem:
    pairs = table_pairs(table, pair)
    return classify_pair(pairs.first, pairs.second, counts=pairs.counts)


def _describe_coordinates(table: RawTable, mapping: dict[str, str]) -> str:
    pair = coordinate_pair(mapping)
    codes = [mapping[f] for f in ("lsoa_code", "ward_code") if f in mapping]
    if table.points is not None:
        return "point geometry of the layer"
    if pair is None:
        return f"area codes only ({', '.join(codes)})" if codes else "none found"
    system = _pair_system(table, pair)
    label = "WGS84 longitude/latitude" if system == "wgs84" else "British National Grid easting/northing"
    return f"{label} in {pair[0]}/{pair[1]} (judged from the values)"


def parse_overrides(pairs: list[str]) -> dict[str, str]:
    """Turn ``["COLUMN=FIELD", ...]`` into a dict, checking the form.

    Parameters
    ----------
    pairs : list of str
        ``COLUMN=FIELD`` texts.

    Returns
    -------
    dict of str to str
        ``COLUMN -> FIELD``.

    Raises
    ------
    DataValidationError
        For a text not of that form.
    """
    overrides: dict[str, str] = {}
    for pair in pairs:
        column, sep, field_name = pair.partition("=")
        if not sep or not column.strip() or not field_name.strip():
            msg = f"--map {pair!r}: write COLUMN=FIELD, e.g. --map 'Incident Lat=latitude'."
            raise DataValidationError(msg)
        overrides[column.strip()] = field_name.strip()
    return overrides


def detect_file(path: Path, overrides: dict[str, str] | None = None) -> list[Detection]:
    """Read a file and report what would be imported, without importing it.

    Parameters
    ----------
    path : Path
        A partner file.
    overrides : dict of str to str, optional
        ``COLUMN -> FIELD`` choices.

    Returns
    -------
    list of Detection
        One per table in the file.
    """
    return [detect_table(table, overrides) for table in read_partner_file(path)]
