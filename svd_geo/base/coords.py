"""Coordinate checks for partner files: which CRS, swapped axes, outside Great Britain.

Each check is vectorised over a whole column; ``reason`` arrays hold one text
per row (empty where the row is fine) so the caller can set rows aside.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.base.config import ANALYSIS_CRS

if TYPE_CHECKING:
    import geopandas as gpd
    from geopandas.array import GeometryArray
    from pyproj import Transformer

    from svd_geo.base.texts import DistinctTexts

CoordSystem = Literal["wgs84", "bng"]

# Great Britain with its islands, generously: WGS84 degrees and BNG metres.
GB_LON_DEG = (-8.8, 2.0)
GB_LAT_DEG = (49.8, 61.0)
GB_EASTING_M = (0.0, 700_000.0)
GB_NORTHING_M = (0.0, 1_250_000.0)


def require_analysis_crs(frame: object, what: str) -> None:
    """Raise CrsError unless ``frame`` (a GeoDataFrame or GeoSeries) is in EPSG:27700.

    ``what`` says what needs the metres, e.g. "incidents to join to areas".
    Never reprojects: the caller's data is in the wrong CRS, and that is a bug to see.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame or geopandas.GeoSeries
        The data.
    what : str
        What it is, for the message.

    Raises
    ------
    CrsError
        When it is in another CRS, or none.
    """
    from svd_geo.base.config import ANALYSIS_CRS
    from svd_geo.base.errors import CrsError

    crs = getattr(frame, "crs", None)
    if crs is None or not crs.equals(ANALYSIS_CRS):
        msg = f"{what} must be in {ANALYSIS_CRS}, not {crs}; reproject with .to_crs({ANALYSIS_CRS!r}) first."
        raise CrsError(msg)


@lru_cache(maxsize=2)
def transformer(source: str, target: str) -> Transformer:
    """Return a cached (slow to build) lon/lat-ordered transformer between two CRSs.

    Parameters
    ----------
    source, target : str
        The CRSs, e.g. ``"EPSG:27700"``.

    Returns
    -------
    pyproj.Transformer
        The transformer (not thread-safe: see :func:`svd_geo.base.speed.on_projection_thread`).
    """
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)


def distinct_points(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Give each distinct point a number, in order of first occurrence.

    Parameters
    ----------
    x, y : numpy.ndarray
        Point coordinates.

    Returns
    -------
    tuple of numpy.ndarray
        For each point the number of its distinct point, and the distinct points
        as an (n, 2) array.  Hashing (pandas' factorize on x + iy) is linear;
        ``numpy.unique(axis=0)`` sorts and is many times slower on millions.
    """
    codes, uniques = pd.factorize(np.asarray(x, dtype=np.float64) + 1j * np.asarray(y, dtype=np.float64))
    xy = np.column_stack([np.real(uniques), np.imag(uniques)]).astype(np.float64)
    return np.asarray(codes, dtype=np.int64), xy


def parse_numbers(values: pd.Series) -> pd.Series:
    """Parse numbers as floats, accepting comma thousands separators and padding.

    Blank cells become NaN; cells that are not numbers also become NaN, and
    the caller tells the two apart with the raw text.

    Parameters
    ----------
    values : pandas.Series
        Texts such as ``"1,250"`` or ``" 453700 "`` (padding is stripped).

    Returns
    -------
    pandas.Series
        Floats, NaN where a text is blank or not a number.
    """
    from svd_geo.base.texts import distinct_texts

    # Snapped coordinates and codes repeat: convert each distinct text once.
    distinct = distinct_texts(values)
    return pd.Series(distinct.per_row(distinct_numbers(distinct)), index=values.index, dtype="float64")


def distinct_numbers(texts: DistinctTexts) -> npt.NDArray[np.float64]:
    """Parse each distinct text of a column as a float, as :func:`parse_numbers` does a row.

    Parameters
    ----------
    texts : DistinctTexts
        A column's distinct texts (already stripped).

    Returns
    -------
    numpy.ndarray
        One float per distinct text, NaN where it is blank or not a number.
    """
    cleaned = texts.texts.str.replace(",", "", regex=False).str.strip()
    numbers = _cast_all_to_float(cleaned)
    if numbers is None:  # some text is not a number: pandas tells which, one by one
        numbers = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    return numbers


def _cast_all_to_float(texts: pd.Series) -> npt.NDArray[np.float64] | None:
    """Cast texts that are all numbers (or blank) with pyarrow, or return None when one is not.

    pandas' ``to_numeric`` took 0.46 s over a million distinct coordinate texts, and
    pyarrow's cast 0.013 s; both parse with correct rounding, so the values agree.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = pa.array(texts.fillna(""), type=pa.large_string())
    blanks_as_null = pc.if_else(pc.equal(arrow, ""), pa.scalar(None, pa.large_string()), arrow)
    try:
        floats = pc.cast(blanks_as_null, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    numbers: npt.NDArray[np.float64] = floats.to_numpy(zero_copy_only=False)
    return numbers


@dataclass(frozen=True)
class DistinctPairs:
    """The distinct coordinate pairs of two columns, parsed, and which one each row holds.

    Snapped data (police.uk) repeats a few thousand places across a million rows,
    so every check and transform runs once per distinct pair and is then taken
    back to the rows with ``codes``.  Each column's texts are parsed once, before
    they are paired: distinct points would otherwise be parsed (and copied as
    text) once per pair, the whole file again.

    Attributes
    ----------
    codes : numpy.ndarray
        For each row, the number of its distinct pair.
    first, second : pandas.Series
        The x-like and y-like number of each pair, NaN where blank or not a number.
    first_given, second_given : numpy.ndarray of bool
        Whether each pair's text is not blank.
    counts : numpy.ndarray
        How many rows hold each distinct pair.
    """

    codes: npt.NDArray[np.intp]
    first: pd.Series
    second: pd.Series
    first_given: npt.NDArray[np.bool_]
    second_given: npt.NDArray[np.bool_]
    counts: npt.NDArray[np.int64]


def distinct_pairs(first: DistinctTexts, second: DistinctTexts) -> DistinctPairs:
    """Give each distinct (first, second) text pair of two columns a number, in order of first occurrence.

    Parameters
    ----------
    first, second : DistinctTexts
        The two columns' distinct texts.

    Returns
    -------
    DistinctPairs
        The distinct pairs, parsed, and each row's pair.
    """
    width = max(len(second.texts), 1)
    codes, pair_ids = pd.factorize(first.codes.astype(np.int64) * width + second.codes, sort=False)
    first_ids, second_ids = np.asarray(pair_ids) // width, np.asarray(pair_ids) % width
    return DistinctPairs(
        codes=np.asarray(codes),
        first=pd.Series(distinct_numbers(first)[first_ids]),
        second=pd.Series(distinct_numbers(second)[second_ids]),
        first_given=(first.texts != "").to_numpy()[first_ids],
        second_given=(second.texts != "").to_numpy()[second_ids],
        counts=np.bincount(codes, minlength=len(pair_ids)),
    )


def classify_pair(
    first: pd.Series, second: pd.Series, *, counts: npt.NDArray[np.int64] | None = None
) -> CoordSystem:
    """Decide whether a coordinate pair is WGS84 degrees or BNG metres.

    Parameters
    ----------
    first, second : pandas.Series
        The x-like (longitude/easting) and y-like (latitude/northing) values.
    counts : numpy.ndarray, optional
        Rows each value pair stands for (from :func:`distinct_pairs`); one each when omitted.

    Returns
    -------
    {"wgs84", "bng"}
        WGS84 when most rows are within +-180 degrees on both axes.
    """
    valid = (first.notna() & second.notna() & ~((first == 0) & (second == 0))).to_numpy()
    rows = np.ones(len(first), dtype=np.int64) if counts is None else np.asarray(counts, dtype=np.int64)
    if not (valid & (rows > 0)).any():
        return "wgs84"
    in_degrees = ((first.abs() <= 180) & (second.abs() <= 180)).to_numpy() & valid
    return "wgs84" if rows[in_degrees].sum() >= 0.5 * rows[valid].sum() else "bng"


@dataclass(frozen=True)
class CoordinateCheck:
    """Outcome of checking one coordinate pair, row by row."""

    easting_m: npt.NDArray[np.float64]
    northing_m: npt.NDArray[np.float64]
    reason: npt.NDArray[np.object_]
    swapped: npt.NDArray[np.bool_]


def _transform_distinct(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], to_bng: Transformer
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Transform each distinct point once (snapped data repeats a few thousand points); NaN stays NaN."""
    present = ~np.isnan(x) & ~np.isnan(y)
    inverse, distinct = distinct_points(x[present], y[present])
    east, north = to_bng.transform(distinct[:, 0], distinct[:, 1])
    easting = np.full(len(x), np.nan)
    northing = np.full(len(x), np.nan)
    easting[present] = np.asarray(east, dtype="float64")[inverse]
    northing[present] = np.asarray(north, dtype="float64")[inverse]
    return easting, northing


def _inside(values: npt.NDArray[np.float64], bounds: tuple[float, float]) -> npt.NDArray[np.bool_]:
    return (values >= bounds[0]) & (values <= bounds[1])


def check_coordinates(
    first: pd.Series, second: pd.Series, system: CoordSystem, *, names: tuple[str, str]
) -> CoordinateCheck:
    """Check a coordinate pair and convert it to BNG metres.

    Rows at 0,0, outside Great Britain or with swapped axes get a reason; their
    coordinates are NaN.  Swapped axes are reported, never silently fixed.

    Parameters
    ----------
    first, second : pandas.Series
        Parsed x-like and y-like values (NaN where blank or not a number).
    system : {"wgs84", "bng"}
        What the pair holds.
    names : tuple of str
        The two column names, for reasons.

    Returns
    -------
    CoordinateCheck
        BNG coordinates, a reason per row ("" when fine) and which rows look swapped.
    """
    from svd_geo.base.config import ANALYSIS_CRS, DISPLAY_CRS

    a = first.to_numpy(dtype="float64", na_value=np.nan)
    b = second.to_numpy(dtype="float64", na_value=np.nan)
    reason = np.full(len(a), "", dtype=object)
    present = ~np.isnan(a) & ~np.isnan(b)
    zero = present & (a == 0) & (b == 0)
    reason[zero] = f"{names[0]}/{names[1]} are 0,0: a missing location written as zeros"
    if system == "wgs84":
        fits = _inside(a, GB_LON_DEG) & _inside(b, GB_LAT_DEG)
        swapped = present & ~fits & _inside(b, GB_LON_DEG) & _inside(a, GB_LAT_DEG)
        easting, northing = _transform_distinct(a, b, transformer(DISPLAY_CRS, ANALYSIS_CRS))
    else:
        fits = _inside(a, GB_EASTING_M) & _inside(b, GB_NORTHING_M)
        swapped = present & ~fits & _inside(b, GB_EASTING_M) & _inside(a, GB_NORTHING_M)
        easting, northing = a, b
    easting = np.array(easting, dtype="float64")
    northing = np.array(northing, dtype="float64")
    fits &= _inside(easting, GB_EASTING_M) & _inside(northing, GB_NORTHING_M)
    unit = "longitude/latitude" if system == "wgs84" else "easting/northing"
    reason[swapped & (reason == "")] = (
        f"{names[0]} and {names[1]} appear swapped ({unit}); fix the file or map the "
        "columns the other way round with --map"
    )
    outside = present & ~fits & (reason == "")
    reason[outside] = f"{names[0]}/{names[1]} fall outside Great Britain"
    bad = ~present | (reason != "")
    easting[bad] = np.nan
    northing[bad] = np.nan
    return CoordinateCheck(easting, northing, reason, swapped)


# Point coordinates in EPSG:27700 metres, carried beside the geometry (see with_coordinates).
COORDINATE_COLUMNS = ("easting_m", "northing_m")


def with_coordinates(incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add :data:`COORDINATE_COLUMNS` (NaN where there is no point), read once from the geometry.

    Frames read once and analysed many times (the store's incidents) carry them so
    that :func:`point_xy` needs no GEOS call per point.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        Incidents, EPSG:27700.

    Returns
    -------
    geopandas.GeoDataFrame
        The incidents with ``easting_m`` and ``northing_m``.
    """
    import shapely

    geometry = incidents.geometry.to_numpy()
    return incidents.assign(easting_m=shapely.get_x(geometry), northing_m=shapely.get_y(geometry))


def point_geometries(
    easting_m: npt.NDArray[np.float64], northing_m: npt.NDArray[np.float64]
) -> GeometryArray:
    """Return one point per place (None where a coordinate is NaN) in EPSG:27700; rows at one place share it.

    Checked as geometries once per place: geopandas checks every element of an
    array it is given, 0.1 s at a million rows.

    Parameters
    ----------
    easting_m, northing_m : numpy.ndarray
        One entry per place, metres.

    Returns
    -------
    geopandas.array.GeometryArray
        The points.
    """
    import shapely
    from geopandas.array import from_shapely

    present = ~np.isnan(easting_m) & ~np.isnan(northing_m)
    points = np.full(len(easting_m), None, dtype=object)
    points[present] = shapely.points(easting_m[present], northing_m[present])
    return from_shapely(points, crs=ANALYSIS_CRS)


def missing_geometries(size: int) -> GeometryArray:
    """Return a geometry column of missing values, for analyses that read only the coordinates.

    Building a shapely point per row took 0.7 s at a million distinct points, and
    about 100 MB.

    Parameters
    ----------
    size : int
        How many rows.

    Returns
    -------
    geopandas.array.GeometryArray
        Missing geometries, EPSG:27700.
    """
    from geopandas.array import GeometryArray

    return GeometryArray(np.full(size, None, dtype=object), crs=ANALYSIS_CRS)
