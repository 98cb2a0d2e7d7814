"""Validate partner files into incidents ready for the store.

A file is refused as a whole (:class:`~svd_geo.base.errors.DataValidationError`)
only when it cannot be read or has no usable location or date.  Otherwise bad
rows are set aside with their row number, column, value and reason, and the
good rows are kept.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.base.config import ANALYSIS_CRS, Config
from svd_geo.base.coords import (
    COORDINATE_COLUMNS,
    DistinctPairs,
    check_coordinates,
    classify_pair,
    missing_geometries,
    parse_numbers,
    point_geometries,
)
from svd_geo.base.errors import DataValidationError
from svd_geo.base.schema import (
    INCIDENT_COLUMNS,
    Detection,
    PreparedImport,
)
from svd_geo.base.texts import DistinctTexts
from svd_geo.base.vocabulary import SOURCES
from svd_geo.partner.dates import EXPECTED_DATES, PRECISIONS, table_dates
from svd_geo.partner.detect import coordinate_pair, detect_table, distinct_column, table_pairs
from svd_geo.partner.readers import RawTable, read_partner_file
from svd_geo.partner.rejections import Rejections
from svd_geo.sources.areas import (
    LSOA_PATTERN,
    WARD_PATTERN,
    assign_areas,
    lsoa_codes_of_2011,
    unknown_lsoa_codes,
)
from svd_geo.sources.registry import sha256_of

if TYPE_CHECKING:
    import geopandas as gpd

UNSPECIFIED_CATEGORY = "Unspecified"


@dataclass(frozen=True)
class _AreaCodes:
    """An area code column checked once per distinct code: upper-cased, and whether it fits the pattern."""

    values: DistinctTexts
    cleaned: pd.Series
    fits: npt.NDArray[np.bool_]

    @property
    def blank(self) -> npt.NDArray[np.bool_]:
        """Rows with no code."""
        return self.values.per_row((self.cleaned == "").to_numpy())

    @property
    def ok(self) -> npt.NDArray[np.bool_]:
        """Rows whose code fits the pattern."""
        return self.values.per_row(self.fits)

    def column(self, rows: npt.NDArray[np.bool_]) -> pd.api.extensions.ExtensionArray:
        """Return the chosen rows' codes, "" where a code does not fit."""
        return self.values.text_column(self.cleaned.where(self.fits, ""), rows)


def _area_codes(table: RawTable, mapping: dict[str, str], field_name: str, pattern: str) -> _AreaCodes:
    values = distinct_column(table, mapping.get(field_name))
    cleaned = values.texts.str.upper()
    return _AreaCodes(values, cleaned, cleaned.str.match(pattern).to_numpy(dtype=bool, na_value=False))


def _identifiers(
    table: RawTable, column: str | None, rows: npt.NDArray[np.bool_]
) -> pd.api.extensions.ExtensionArray:
    """Return the chosen rows' identifiers, stripped, NA where blank.

    Row by row with pyarrow rather than per distinct text: identifiers are mostly
    unique, and hashing a million of them takes ten times as long as stripping them.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if column is None:
        return pd.arrays.ArrowStringArray(pa.nulls(int(rows.sum()), pa.large_string()))
    values = pa.array(table.frame[column].array, type=pa.large_string()).filter(pa.array(rows))
    trimmed = pc.utf8_trim_whitespace(values)
    return pd.arrays.ArrowStringArray(
        pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.large_string()), trimmed)
    )


def _optional_texts(table: RawTable, column: str | None) -> tuple[DistinctTexts, pd.Series]:
    """Return a text column's distinct values, and them with NA for blank ones."""
    values = distinct_column(table, column)
    return values, values.texts.mask(values.texts == "")


LSOA_VINTAGE_2011 = 2011
UNKNOWN_LSOA = "no English LSOA has this code, in 2011 or 2021; check it against the partner's system"
NO_PLACE = ("no location", "no location given")  # what police.uk writes for none: stored as ""


def _place_texts(table: RawTable, column: str | None) -> tuple[DistinctTexts, pd.Series]:
    """Return a place column's distinct texts, and them with "" for blank ones and "No Location"."""
    values = distinct_column(table, column)
    return values, values.texts.mask(values.texts.str.lower().isin(NO_PLACE), "")


def _prepare_table(
    table: RawTable, detection: Detection, source: str, config: Config, *, for_store: bool, points: bool
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    import geopandas as gpd
    import shapely

    mapping = detection.mapping
    pair = coordinate_pair(mapping)
    has_codes = "lsoa_code" in mapping or "ward_code" in mapping
    if table.points is None and pair is None and not has_codes:
        headers = ", ".join(str(c) for c in table.frame.columns)
        msg = (
            f"{table.name}: no location columns found (columns: {headers}). Give latitude/"
            "longitude, easting/northing or an LSOA or ward code, or name them with "
            "--map COLUMN=latitude (longitude, easting, northing, lsoa_code, ward_code)."
        )
        raise DataValidationError(msg)
    rejections = Rejections(table)
    size = len(table.frame)

    dates, date_column = table_dates(table, mapping, detection.notes)
    rejections.flag(dates.blank, date_column, "no date")
    rejections.flag(dates.invalid, date_column, f"not a date (expected {EXPECTED_DATES})")
    tomorrow = pd.Timestamp.now().normalize() + pd.Timedelta(days=1)
    future = (dates.occurred > tomorrow).to_numpy()
    rejections.flag(future, date_column, "date is in the future")

    lsoa = _area_codes(table, mapping, "lsoa_code", LSOA_PATTERN)
    if config.lsoa_vintage == LSOA_VINTAGE_2011 and "lsoa_code" in mapping:
        of_2011, lookup_notes = lsoa_codes_of_2011(lsoa.cleaned, config)
        lsoa = replace(lsoa, cleaned=of_2011)
        detection.notes.extend(lookup_notes)
    ward = _area_codes(table, mapping, "ward_code", WARD_PATTERN)
    lsoa_ok, ward_ok = lsoa.ok, ward.ok
    # Each row's place is a number into (easting_m, northing_m), NaN where there is none.
    place = np.arange(size)
    easting_m = np.full(size, np.nan)
    northing_m = np.full(size, np.nan)
    coords_blank = np.ones(size, dtype=bool)
    if table.points is not None:
        geoms = table.points.to_numpy()
        is_point = shapely.get_type_id(geoms) == 0
        easting_m[is_point] = shapely.get_x(geoms[is_point])
        northing_m[is_point] = shapely.get_y(geoms[is_point])
        coords_blank = shapely.is_missing(geoms) | shapely.is_empty(geoms)
        rejections.flag(~coords_blank & ~is_point, "geometry", "geometry is not a point")
    elif pair is not None:
        pairs = table_pairs(table, pair)
        coords_blank, (easting_m, northing_m) = _check_pairs(pairs, pair, rejections, detection.notes)
        place = pairs.codes
    has_point = ~np.isnan(easting_m[place]) & ~np.isnan(northing_m[place])
    no_point = coords_blank & rejections.ok
    if "lsoa_code" in mapping:
        bad_lsoa = no_point & ~lsoa.blank & ~lsoa_ok
        rejections.flag(bad_lsoa, mapping["lsoa_code"], "not an LSOA code (expected E01 and six digits)")
        if (no_point & lsoa_ok).any():
            unknown = lsoa.values.per_row(lsoa.fits & unknown_lsoa_codes(lsoa.cleaned, config))
            rejections.flag(no_point & unknown, mapping["lsoa_code"], UNKNOWN_LSOA)
    if "ward_code" in mapping:
        bad_ward = no_point & ~ward.blank & ~ward_ok & ~lsoa_ok
        rejections.flag(bad_ward, mapping["ward_code"], "not a ward code (expected E05 and six digits)")
    area_only = coords_blank & (lsoa_ok | ward_ok)
    location_column = pair[0] if pair else mapping.get("lsoa_code", mapping.get("ward_code", "geometry"))
    rejections.flag(
        coords_blank & ~area_only,
        location_column,
        "no location: coordinates and area codes are blank",
    )

    raw_weight = distinct_column(table, mapping.get("weight"))
    weights = parse_numbers(raw_weight.texts)
    if "weight" in mapping:
        bad_weight = (weights.isna() & (raw_weight.texts != "")) | (weights < 0)
        reason = "weight is not a number of zero or more"
        rejections.flag(raw_weight.per_row(bad_weight), mapping["weight"], reason)

    keep = rejections.ok
    category, category_texts = _optional_texts(table, mapping.get("category"))
    described, place_texts = _place_texts(table, mapping.get("place"))
    offence, offence_texts = _optional_texts(table, mapping.get("offence_code"))
    kept = int(keep.sum())
    kept_places = place[keep]
    located_as = "snapped" if detection.layout == "police.uk" else "exact"
    compact = not for_store  # categoricals: an analysis keeps no text of its own per row
    columns: dict[str, Callable[[], object]] = {
        "source": lambda: _text_column([source], np.zeros(kept, dtype=np.intp), compact),
        "category": lambda: category.text_column(
            category_texts.fillna(UNSPECIFIED_CATEGORY), keep, compact=compact
        ),
        "occurred": lambda: dates.occurred.to_numpy()[keep],
        "occurred_precision": lambda: _text_column(list(PRECISIONS), dates.precision_code[keep], compact),
        "location_precision": lambda: _text_column(
            ["area", located_as], has_point[keep].astype(np.intp), compact
        ),
        "lsoa_code": lambda: lsoa.column(keep),
        "ward_code": lambda: ward.column(keep),
        "in_study_area": lambda: np.zeros(kept, dtype=bool),
        "weight": lambda: raw_weight.per_row(weights.to_numpy())[keep],
        "source_file": lambda: _text_column([table.name], np.zeros(kept, dtype=np.intp), compact),
        "source_row": lambda: np.flatnonzero(keep),
        "place": lambda: described.text_column(place_texts, keep, compact=compact),
        "offence_code": lambda: offence.text_column(offence_texts.fillna(""), keep, compact=compact),
        "easting_m": lambda: easting_m[kept_places],
        "northing_m": lambda: northing_m[kept_places],
    }
    if for_store:
        means, means_texts = _optional_texts(table, mapping.get("means"))
        columns["means"] = lambda: means.text_column(means_texts, keep)
        columns["external_id"] = lambda: _identifiers(table, mapping.get("external_id"), keep)
    geometry = (
        point_geometries(easting_m, northing_m).take(kept_places) if points else missing_geometries(kept)
    )  # fmt: skip
    # copy=False: the columns are new arrays; consolidating them into blocks copied 40 MB at a million rows.
    built = {**_built_on_all_cores(columns), "geometry": geometry}
    incidents = gpd.GeoDataFrame(built, crs=ANALYSIS_CRS, copy=False)
    return incidents, rejections.frame()


def _built_on_all_cores(columns: dict[str, Callable[[], object]]) -> dict[str, object]:
    """Build a frame's columns a thread a core: taking texts and rows lets go of the GIL.

    On two cores the benchmark's million rows took about 0.1 s less than one by one
    (medians of six runs a side).
    """
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        built = {name: pool.submit(build) for name, build in columns.items()}
    return {name: future.result() for name, future in built.items()}


def _text_column(
    labels: list[str], codes: npt.NDArray[np.integer[Any]], compact: bool
) -> pd.api.extensions.ExtensionArray:
    """Return a text column holding ``labels[code]`` in each row, categorical when ``compact``.

    Taken from the few labels: pandas spends about 0.1 s a column at a million rows
    turning Python strings (or one repeated) into its text arrays.
    """
    if compact:
        return pd.Categorical.from_codes(codes, categories=pd.Index(labels))
    return pd.array(labels, dtype="str").take(codes)


def _check_pairs(
    pairs: DistinctPairs, names: tuple[str, str], rejections: Rejections, notes: list[str]
) -> tuple[npt.NDArray[np.bool_], tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]]:
    """Check each distinct coordinate pair once and set aside the rows holding a bad one.

    Returns which rows have both coordinates blank, and the BNG metres of each
    distinct pair (NaN where it is unusable).
    """
    first, second = pairs.first, pairs.second
    given_both = (pairs.first_given, pairs.second_given)
    blank = ~pairs.first_given & ~pairs.second_given
    for column, given, parsed in zip(names, given_both, (first, second), strict=True):
        rejections.flag((parsed.isna().to_numpy() & given)[pairs.codes], column, "not a number")
        rejections.flag((~given & ~blank)[pairs.codes], column, "blank while the other coordinate is given")
    check = check_coordinates(first, second, classify_pair(first, second, counts=pairs.counts), names=names)
    rejections.flag((check.reason != "")[pairs.codes], names[0], check.reason[pairs.codes])
    swapped_rows = int(pairs.counts[check.swapped].sum())
    if swapped_rows:
        notes.append(f"{swapped_rows} rows have {names[0]} and {names[1]} swapped; set aside, not fixed")
    return blank[pairs.codes], (check.easting_m, check.northing_m)


def _refuse_if_unusable(table: RawTable, accepted: int, rejected: pd.DataFrame) -> None:
    if accepted or rejected.empty:
        return
    top = rejected["reason"].value_counts()
    reason = str(top.index[0])
    column = rejected.loc[rejected["reason"] == reason, "column"].iloc[0]
    msg = (
        f"{table.name}: no row has a usable location and date; every row was set aside, most "
        f"for: column {column!r}: {reason} ({int(top.iloc[0])} of {len(rejected)} rows). "
        "Fix that column, or map the right columns with --map COLUMN=FIELD."
    )
    raise DataValidationError(msg)


def _source_of(source: str | None, detection: Detection) -> str:
    """Return the source given, else police for a police.uk street CSV and other partner for anything else."""
    return source or ("police" if detection.layout == "police.uk" else "other")


def prepare_import(
    path: Path,
    source: str | None,
    config: Config,
    *,
    overrides: dict[str, str] | None = None,
    display_name: str | None = None,
    join_areas: bool = True,
    for_store: bool = True,
    points: bool = True,
) -> PreparedImport:
    """Read and validate a partner file into incidents ready for the store.

    Parameters
    ----------
    path : Path
        The partner file (any format :func:`svd_geo.partner.readers.read_partner_file` takes).
    source : str or None
        Partner source, one of :data:`~svd_geo.base.vocabulary.SOURCES`; None takes
        police for a police.uk street CSV and other partner for anything else.
    config : Config
        Settings for the area join.
    overrides : dict of str to str, optional
        ``COLUMN -> FIELD`` choices that replace the column detection.
    display_name : str, optional
        Name to record for the file (an upload's original name).
    join_areas : bool, default True
        Fill blank LSOA and ward codes by spatial join and flag the study area.
        Analyses on points alone (density, clustering) pass False and skip it.
    for_store : bool, default True
        False leaves out :data:`STORED_ONLY_COLUMNS` (a file analysed without
        being stored needs neither; the identifiers take 0.4 s at a million rows).
    points : bool, default True
        False builds no point geometries: the geometry column is missing throughout
        and the points are only in :data:`~svd_geo.base.coords.COORDINATE_COLUMNS`,
        for analyses that read nothing else (density and clustering of a file
        analysed without being stored).  Needs ``join_areas`` False.

    Returns
    -------
    PreparedImport
        Accepted incidents in EPSG:27700 with LSOA and ward codes, and rows set aside.

    Raises
    ------
    DataValidationError
        When the file cannot be read, has no location or date columns, or no
        row has a usable location and date; the message names the file, the
        column and the fix.
    ValueError
        When ``points`` is False while ``join_areas`` is True (joining places points).
    """
    import geopandas as gpd

    if join_areas and not points:
        msg = "prepare_import: joining areas needs the point geometries (points=True)."
        raise ValueError(msg)
    if source is not None and source not in SOURCES:
        msg = f"unknown source {source!r}; choose one of {', '.join(SOURCES)}."
        raise DataValidationError(msg)
    frames: list[gpd.GeoDataFrame] = []
    rejected: list[pd.DataFrame] = []
    detections: list[Detection] = []
    with ThreadPoolExecutor(max_workers=1) as background:
        # hashlib lets go of the GIL: the file is hashed while its rows are checked.
        checksum = background.submit(sha256_of, path)
        for table in read_partner_file(path):
            if display_name and table.name.startswith(path.name):
                table = replace(table, name=display_name + table.name[len(path.name) :])
            detection = detect_table(table, overrides)
            incidents, set_aside = _prepare_table(
                table, detection, _source_of(source, detection), config, for_store=for_store, points=points
            )
            _refuse_if_unusable(table, len(incidents), set_aside)
            frames.append(incidents)
            rejected.append(set_aside)
            detections.append(detection)
    combined = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=ANALYSIS_CRS)
    located = assign_areas(combined, config) if join_areas else combined
    return PreparedImport(
        file_name=display_name or path.name,
        sha256=checksum.result(),
        source=_source_of(source, detections[0]),
        incidents=located[[*(c for c in INCIDENT_COLUMNS if c in located), *COORDINATE_COLUMNS, "geometry"]],
        rejected=pd.concat(rejected, ignore_index=True),
        detections=detections,
    )
