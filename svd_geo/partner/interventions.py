"""Intervention places: read, validate and shape them for the store.

An intervention is a place with a name, partner, type, start and end dates
and notes.  Files give polygons, lines (buffered by ``width_m``) or points
(buffered by ``radius_m``); a CSV gives latitude/longitude or
easting/northing with ``radius_m``.  Each row is checked as incident rows
are: a row that cannot be used is set aside with its row, column, value and
reason, and the rest are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from svd_geo.base.config import ANALYSIS_CRS
from svd_geo.base.errors import DataValidationError
from svd_geo.partner.columns import INTERVENTION_FIELDS, place_columns

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy.typing as npt

    from svd_geo.partner.readers import RawTable
    from svd_geo.partner.rejections import Rejections

INTERVENTION_TYPES = (
    "patrol",
    "youth diversion",
    "CCTV",
    "licensed premises",
    "street pastors",
    "knife arch",
    "environmental change",
    "other",
)
"""Suggested intervention types; other text is kept as given."""
MAX_RADIUS_M = 5_000.0
"""Largest radius or width accepted: beyond it a place is a district, not an intervention."""
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip", ".shp")


@dataclass
class PreparedInterventions:
    """Intervention places ready for the store and rows set aside.

    Attributes
    ----------
    places : geopandas.GeoDataFrame
        ``INTERVENTION_FIELDS`` plus ``synthetic`` and polygon geometry in EPSG:27700.
    rejected : pandas.DataFrame
        ``file, row, line, column, value, reason`` for rows set aside.
    notes : list of str
        What the import summary should say (places without a start date).
    """

    places: gpd.GeoDataFrame
    rejected: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def _text(frame: pd.DataFrame, columns: dict[str, str], field_name: str) -> pd.Series:
    column = columns.get(field_name.replace("_", ""))
    if column is None:
        return pd.Series("", index=frame.index, dtype="string")
    return frame[column].astype("string").str.strip().fillna("")


def _column_name(columns: dict[str, str], field_name: str) -> str:
    return columns.get(field_name.replace("_", ""), field_name)


def _columns(table: RawTable) -> dict[str, str]:
    """Return the table's detected place columns (with the ``--map`` choices, when given)."""
    if "place columns" not in table.memo:
        table.memo["place columns"] = place_columns([str(c) for c in table.frame.columns])
    columns: dict[str, str] = table.memo["place columns"]
    return columns


def _check_fields(table: RawTable, rejections: Rejections, notes: list[str]) -> dict[str, pd.Series]:
    """Validate name and dates; return the text fields with dates as ISO text."""
    from svd_geo.partner.dates import parse_dates

    frame = table.frame
    columns = _columns(table)
    if "name" not in columns:
        headers = ", ".join(str(c) for c in frame.columns)
        msg = f"{table.name}: no 'name' column (columns: {headers}); add one naming each place."
        raise DataValidationError(msg)
    fields = {name: _text(frame, columns, name) for name in INTERVENTION_FIELDS}
    rejections.flag((fields["name"] == "").to_numpy(), _column_name(columns, "name"), "no name")
    dates = {}
    for name in ("start_date", "end_date"):
        parsed = parse_dates(fields[name])
        column = _column_name(columns, name)
        rejections.flag(parsed.invalid, column, "not a date (expected YYYY-MM-DD)")
        dates[name] = parsed.occurred
        fields[name] = parsed.occurred.dt.strftime("%Y-%m-%d").fillna("").astype("string")
    undated = int(((fields["start_date"] == "").to_numpy() & rejections.ok).sum())
    if undated:
        notes.append(f"{undated} places have no start date: they count for coverage; before/after needs one")
    backwards = (dates["end_date"] < dates["start_date"]).fillna(False).to_numpy(dtype=bool)
    rejections.flag(backwards, _column_name(columns, "end_date"), "ends before it starts")
    fields["type"] = fields["type"].mask(fields["type"] == "", "other")
    return fields


def _marked_synthetic(table: RawTable) -> npt.NDArray[np.bool_]:
    """Rows the file itself marks invented (a ``synthetic`` column of true/yes/1), kept on import."""
    from svd_geo.partner.columns import fold

    column = next((str(c) for c in table.frame.columns if fold(str(c)) == "synthetic"), None)
    if column is None:
        return np.zeros(len(table.frame), dtype=bool)
    texts = table.frame[column].astype("string").str.strip().str.lower()
    return texts.isin(["true", "yes", "1", "y"]).fillna(False).to_numpy(dtype=bool)


def refuse_stored_again(places: gpd.GeoDataFrame, stored: gpd.GeoDataFrame, file_name: str) -> None:
    """Refuse a file of places that are already stored, as a second import of an incident file is refused.

    A place is the same when its name, start date and shape (to 1 cm) are.

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        Validated places from the file, EPSG:27700.
    stored : geopandas.GeoDataFrame
        The places in the store.
    file_name : str
        The file, for the message.

    Raises
    ------
    DataValidationError
        Naming the places already stored; nothing is imported.
    """
    import shapely

    if stored.empty:
        return
    again = []
    for name, start, shape in zip(places["name"], places["start_date"], places.geometry, strict=True):
        same = stored[(stored["name"] == name) & (stored["start_date"] == start)]
        # Hausdorff distance: the store holds multipolygons, a file may give polygons.
        if len(same) and (shapely.hausdorff_distance(same.geometry.to_numpy(), shape) < 0.01).any():
            again.append(str(name))
    if again:
        more = f" and {len(again) - 5} more" if len(again) > 5 else ""
        listed = ", ".join(repr(n) for n in again[:5]) + more
        msg = (
            f"{file_name}: {len(again)} of {len(places)} places are already stored (the same name, "
            f"start date and shape): {listed}. Nothing was imported; remove those places first to "
            "import the file again."
        )
        raise DataValidationError(msg)


def _distances(table: RawTable, rejections: Rejections, field_name: str, needed: np.ndarray) -> np.ndarray:
    """Parse ``radius_m`` or ``width_m`` where rows need it; flag missing or out-of-range values."""
    from svd_geo.base.coords import parse_numbers

    columns = _columns(table)
    column = _column_name(columns, field_name)
    if field_name.replace("_", "") not in columns:
        rejections.flag(needed, column, f"no {field_name} column: points need a radius, lines a width")
        return np.full(len(table.frame), np.nan)
    values = parse_numbers(table.frame[column]).to_numpy(dtype=float)
    bad = needed & ~((values > 0) & (values <= MAX_RADIUS_M))
    reason = f"{field_name} must be a number of metres above 0 and at most {MAX_RADIUS_M:g}"
    rejections.flag(bad, column, reason)
    return values


def _vector_geometry(table: RawTable, rejections: Rejections) -> np.ndarray:
    import shapely

    assert table.points is not None
    geoms = table.points.to_numpy()
    kind = shapely.get_type_id(geoms)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    rejections.flag(missing, "geometry", "no geometry")
    points = np.isin(kind, (0, 4))
    lines = np.isin(kind, (1, 2, 5))
    radius = _distances(table, rejections, "radius_m", points & ~missing)
    width = _distances(table, rejections, "width_m", lines & ~missing)
    shapes = np.array(shapely.make_valid(geoms), dtype=object)
    buffered = np.where(points, radius, np.where(lines, width / 2, 0.0))
    grow = (points | lines) & rejections.ok
    shapes[grow] = shapely.buffer(geoms[grow], buffered[grow])
    return shapes


def _table_geometry(table: RawTable, rejections: Rejections) -> np.ndarray:
    import shapely

    from svd_geo.base.coords import check_coordinates, classify_pair, parse_numbers
    from svd_geo.partner.columns import detect_columns
    from svd_geo.partner.detect import coordinate_pair

    pair = coordinate_pair(detect_columns([str(c) for c in table.frame.columns]))
    if pair is None:
        msg = (
            f"{table.name}: no coordinate columns; give latitude/longitude or easting/northing "
            "with radius_m, or a GeoJSON, GeoPackage or zipped Shapefile of the places."
        )
        raise DataValidationError(msg)
    first, second = parse_numbers(table.frame[pair[0]]), parse_numbers(table.frame[pair[1]])
    rejections.flag((first.isna() | second.isna()).to_numpy(), pair[0], "no coordinates")
    check = check_coordinates(first, second, classify_pair(first, second), names=pair)
    rejections.flag(check.reason != "", pair[0], check.reason)
    radius = _distances(table, rejections, "radius_m", np.ones(len(table.frame), dtype=bool))
    usable = rejections.ok
    shapes = np.full(len(table.frame), None, dtype=object)
    centres = shapely.points(check.easting_m[usable], check.northing_m[usable])
    shapes[usable] = shapely.buffer(centres, radius[usable])
    return shapes


def read_place_tables(path: Path) -> list[RawTable]:
    """Read a file of places as tables: a vector layer with its geometry, or a CSV or workbook.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    list of RawTable
        Its tables.
    """
    from svd_geo.partner.readers import RawTable, read_partner_file
    from svd_geo.sources.boundaries import to_analysis_crs
    from svd_geo.sources.vectors import read_vector

    if path.suffix.lower() in VECTOR_SUFFIXES:
        frame = to_analysis_crs(read_vector(path), name=path.name)
        return [RawTable(path.name, pd.DataFrame(frame.drop(columns="geometry")), frame.geometry)]
    return read_partner_file(path)


def prepare_interventions(
    path: Path, *, synthetic: bool = False, overrides: dict[str, str] | None = None
) -> PreparedInterventions:
    """Read and validate intervention places from a file.

    Parameters
    ----------
    path : Path
        GeoJSON, GeoPackage, zipped Shapefile, or CSV/XLSX with coordinates and ``radius_m``.
    synthetic : bool, default False
        Mark every place as invented (demo data).
    overrides : dict of str to str, optional
        ``COLUMN -> FIELD`` choices (:data:`PLACE_FIELDS` or ``ignore``) that replace the detection.

    Returns
    -------
    PreparedInterventions
        Places as polygons in EPSG:27700, and rows set aside with reasons.

    Raises
    ------
    DataValidationError
        When the file has no name or coordinate columns, or no row is usable; the
        message names the file, the column and the fix.
    """
    import geopandas as gpd
    import shapely

    from svd_geo.partner.rejections import Rejections

    places: list[gpd.GeoDataFrame] = []
    rejected: list[pd.DataFrame] = []
    notes: list[str] = []
    for table in read_place_tables(path):
        table.memo["place columns"] = place_columns([str(c) for c in table.frame.columns], overrides)
        rejections = Rejections(table)
        fields = _check_fields(table, rejections, notes)
        if table.points is not None:
            shapes = _vector_geometry(table, rejections)
        else:
            shapes = _table_geometry(table, rejections)
        polygonal = np.isin(shapely.get_type_id(shapes), (3, 6)) & ~shapely.is_empty(shapes)
        rejections.flag(~polygonal, "geometry", "not an area after buffering (check the geometry)")
        keep = rejections.ok
        if not keep.any():
            reasons = rejections.frame()["reason"].value_counts()
            msg = (
                f"{table.name}: no place could be used; most rows were set aside for: "
                f"{reasons.index[0]} ({int(reasons.iloc[0])} of {len(table.frame)} rows)."
            )
            raise DataValidationError(msg)
        frame = pd.DataFrame({name: fields[name][keep].to_numpy() for name in INTERVENTION_FIELDS})
        frame["synthetic"] = synthetic | _marked_synthetic(table)[keep]
        places.append(gpd.GeoDataFrame(frame, geometry=list(shapes[keep]), crs=ANALYSIS_CRS))
        rejected.append(rejections.frame())
    combined = gpd.GeoDataFrame(pd.concat(places, ignore_index=True), crs=ANALYSIS_CRS)
    return PreparedInterventions(combined, pd.concat(rejected, ignore_index=True), notes)


def drawn_place(
    geometry_wgs84: dict[str, object], fields: dict[str, str], *, radius_m: float | None = None
) -> gpd.GeoDataFrame:
    """Turn a shape drawn on the map (GeoJSON geometry, WGS84) into one intervention place.

    Points and lines are buffered by ``radius_m`` (a line's half width).

    Parameters
    ----------
    geometry_wgs84 : dict
        The drawn GeoJSON geometry, EPSG:4326.
    fields : dict of str to str
        ``name``, ``partner``, ``type``, ``start_date``, ``end_date``, ``notes``.
    radius_m : float, optional
        Buffer of a point (or half-width of a line), metres.

    Returns
    -------
    geopandas.GeoDataFrame
        One validated place, EPSG:27700.

    Raises
    ------
    DataValidationError
        For a field or shape that would be set aside in a file (the first reason is given).
    """
    import geopandas as gpd
    import shapely.geometry

    from svd_geo.base.config import DISPLAY_CRS
    from svd_geo.partner.readers import RawTable
    from svd_geo.partner.rejections import Rejections

    shape = gpd.GeoSeries([shapely.geometry.shape(geometry_wgs84)], crs=DISPLAY_CRS).to_crs(ANALYSIS_CRS)
    frame = pd.DataFrame({name: [str(fields.get(name, "")).strip()] for name in INTERVENTION_FIELDS})
    if radius_m is not None:
        frame["radius_m"] = radius_m
        frame["width_m"] = 2 * radius_m
    table = RawTable("drawn place", frame, shape)
    rejections = Rejections(table)
    checked = _check_fields(table, rejections, [])
    # A drawn place is evaluated against its partner (before/after leaves out the partner's own records).
    rejections.flag((checked["partner"] == "").to_numpy(), "partner", "no partner: say who runs it")
    shapes = _vector_geometry(table, rejections)
    if not rejections.ok.all():
        problem = rejections.frame().iloc[0]
        msg = f"{problem['column']}: {problem['reason']}."
        raise DataValidationError(msg)
    place = pd.DataFrame({name: checked[name].to_numpy() for name in INTERVENTION_FIELDS})
    place["synthetic"] = False
    return gpd.GeoDataFrame(place, geometry=list(shapes), crs=ANALYSIS_CRS)


def active_in(places: gpd.GeoDataFrame, start: pd.Timestamp, end: pd.Timestamp) -> gpd.GeoDataFrame:
    """Keep places whose dates overlap ``[start, end)`` (a blank end means still running).

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        Places with ``start_date`` and ``end_date``.
    start, end : pandas.Timestamp
        The period, end excluded.

    Returns
    -------
    geopandas.GeoDataFrame
        The places active in it.
    """
    starts = pd.to_datetime(places["start_date"].replace("", None), errors="coerce")
    ends = pd.to_datetime(places["end_date"].replace("", None), errors="coerce")
    overlaps = (starts.isna() | (starts < end)) & (ends.isna() | (ends >= start))
    return places[overlaps.to_numpy(dtype=bool)]
