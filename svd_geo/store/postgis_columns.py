"""A PostGIS store's incidents as a few compact arrays, counted in the app server's memory.

A filter change on the Map page at county scale asks for the area counts and the
KDE bins of millions of incidents.  PostgreSQL's executor takes about a microsecond
a row to bin them (5.3 s for five million on two cores, EXPLAIN ANALYZE), however
the query is written, while numpy masks and ``bincount`` s the same rows in a tenth
of a second.  So the app reads each store version once as seven numbers a row
(34 bytes: five million incidents in 170 MB, where their rows took gigabytes),
and filters, groups and bins them here.  The text columns come as codes into
small tables: a *profile* (one of the few thousand combinations of source,
category, ward, LSOA, offence, weight and date precision) and a place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from svd_geo.store.column_bins import (
    bin_figures,
    cell_numbers,
    cells_named,
    group_ids,
    in_cells,
    lattice_cells,
)
from svd_geo.store.postgis_aggregates import Nearby, check_keys
from svd_geo.store.protocol import RowFilter

if TYPE_CHECKING:
    from svd_geo.store.postgis import PostGISStore

PROFILE_KEYS = (
    "source",
    "category",
    "ward_code",
    "lsoa_code",
    "offence_code",
    "weight",
    "occurred_precision",
)
"""The columns coded together as one profile code a row."""
BYTES_PER_ROW = 34
"""What one incident takes in memory: three 8-byte numbers, two 1-byte and two 4-byte codes."""

MISSING_TIME = np.iinfo(np.int64).min
"""What ``occurred_us`` holds for an incident of unknown time."""
_DAY_US = 86_400_000_000


class _Lattice(NamedTuple):
    """A whole lattice binned: for which filter and cell size, each kept row's bin, each bin's cell."""

    key: tuple[RowFilter, float]
    group: np.ndarray
    gx: np.ndarray
    gy: np.ndarray


@dataclass(frozen=True)
class IncidentColumns:
    """Every stored incident's filter and grouping columns, one array element a row.

    Only the last bits of summed shares depend on the rows' order, as in SQL:
    :func:`~svd_geo.store.postgis_snapshot.load_columns` keeps them in strips across the
    map, so that binning reads them in step with the bins.

    Attributes
    ----------
    easting_m, northing_m : numpy.ndarray
        The point in EPSG:27700 (NaN without one).
    occurred_us : numpy.ndarray
        When, in microseconds since 1970 (the int64 minimum when unknown).
    hour, weekday : numpy.ndarray
        ``hour_of_day`` and ``weekday`` as stored (-1 when unknown).
    profile : numpy.ndarray
        The row's line in ``profiles``.
    place : numpy.ndarray
        The row's place in ``places`` (-1: none).
    profiles : pandas.DataFrame
        The distinct values of :data:`PROFILE_KEYS` in the store.
    places : numpy.ndarray
        The distinct places.
    """

    easting_m: np.ndarray
    northing_m: np.ndarray
    occurred_us: np.ndarray
    hour: np.ndarray
    weekday: np.ndarray
    profile: np.ndarray
    place: np.ndarray
    profiles: pd.DataFrame
    places: np.ndarray
    _last_bins: dict[str, _Lattice] = field(default_factory=dict, compare=False, repr=False)
    """The last whole lattice binned, its rows' bins and the bins' cells: a KDE's members ask next
    for the bins near its hot cells, and these find the candidate rows without a pass over them all."""

    @property
    def nbytes(self) -> int:
        """Return the memory the per-row arrays take, in bytes."""
        arrays = (
            self.easting_m,
            self.northing_m,
            self.occurred_us,
            self.hour,
            self.weekday,
            self.profile,
            self.place,
        )
        return sum(a.nbytes for a in arrays)

    def kept(self, where: RowFilter) -> np.ndarray:
        """Return the rows a filter keeps, as ``where_clause`` keeps them in SQL.

        Parameters
        ----------
        where : RowFilter
            Which incidents.

        Returns
        -------
        numpy.ndarray
            The kept rows' positions, in order.
        """
        keep = np.ones(len(self.profile), dtype=bool)
        allowed = self._allowed_profiles(where)
        if allowed is not None:
            keep &= allowed[self.profile]
        if where.date_from is not None:
            keep &= self.occurred_us >= _microseconds(where.date_from)
        if where.date_to is not None:
            keep &= (self.occurred_us < _microseconds(where.date_to)) & (self.occurred_us != MISSING_TIME)
        if where.located or where.bounds_m is not None:
            keep &= ~np.isnan(self.easting_m)
        if where.bounds_m is not None:  # geom && envelope: on or inside its edges
            xmin, ymin, xmax, ymax = where.bounds_m
            keep &= (self.easting_m >= xmin) & (self.easting_m <= xmax)
            keep &= (self.northing_m >= ymin) & (self.northing_m <= ymax)
        if where.weekdays:
            keep &= np.isin(self.weekday, np.array(where.weekdays, dtype=self.weekday.dtype))
        if where.hours is not None:
            first, end = where.hours
            later, earlier = self.hour >= first, (self.hour < end) & (self.hour >= 0)
            keep &= (later & earlier) if end > first else (later | earlier)
        return np.flatnonzero(keep)

    def _allowed_profiles(self, where: RowFilter) -> np.ndarray | None:
        """Which profiles the filter's sources, categories and wards keep (None: all)."""
        tests = [("source", where.sources), ("category", where.categories)]
        tests = [(column, values) for column, values in tests if values]
        if where.wards is not None:
            tests.append(("ward_code", where.wards))
        if not tests:
            return None
        allowed = np.ones(len(self.profiles), dtype=bool)
        for column, values in tests:  # a missing value matches no list, as = ANY(...) in SQL
            allowed &= self.profiles[column].isin(list(values)).to_numpy()
        return allowed

    def point_spread(self, where: RowFilter) -> tuple[int, list[tuple[float, float, float]]]:
        """Return the count of kept points and, per axis, their deviation and quartiles: as the store's.

        Parameters
        ----------
        where : RowFilter
            Which incidents.

        Returns
        -------
        tuple
            The count, and ``(std, q25, q75)`` of the eastings and of the northings.
        """
        rows = self.kept(replace(where, located=True))
        if not len(rows):
            return 0, [(0.0, 0.0, 0.0), (0.0, 0.0, 0.0)]
        axes = [axis[rows] for axis in (self.easting_m, self.northing_m)]
        spread = [(float(a.std()), *(float(q) for q in np.quantile(a, [0.25, 0.75]))) for a in axes]
        return len(rows), spread  # type: ignore[return-value]

    def grouped_incidents(self, keys: tuple[str, ...], where: RowFilter) -> pd.DataFrame:
        """Count the kept incidents by some columns: as the PostGIS store's ``grouped_incidents``.

        Parameters
        ----------
        keys : tuple of str
            Columns of :data:`~svd_geo.store.postgis_aggregates.GROUP_KEYS` to group by.
        where : RowFilter
            Which incidents.

        Returns
        -------
        pandas.DataFrame
            ``keys`` (``occurred`` for ``occurred_day``) and ``records``.
        """
        check_keys(keys)
        rows = self.kept(where)
        if set(keys) <= set(PROFILE_KEYS):  # a few thousand profiles: count them, then group the table
            counts = np.bincount(self.profile[rows], minlength=len(self.profiles))
            table = self.profiles.assign(records=counts)[counts > 0]
            if not keys:
                return pd.DataFrame({"records": [int(counts.sum())]})
            grouped = table.groupby(list(keys), dropna=False, sort=False)["records"].sum()
            return grouped.reset_index().astype({"records": "int64"})
        codes, values = zip(*(self._key_codes(key, rows) for key in keys), strict=True)
        group, first = group_ids(list(codes), [len(v) for v in values])
        frame = pd.DataFrame({
            ("occurred" if key == "occurred_day" else key): value[code[first]]
            for key, code, value in zip(keys, codes, values, strict=True)
        })  # fmt: skip
        return frame.assign(records=np.bincount(group, minlength=len(first)).astype("int64"))

    def _key_codes(self, key: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the kept rows' values of a key numbered from 0, and the values the numbers stand for."""
        if key == "place":
            return self.place[rows] + 1, np.array([None, *self.places], dtype=object)
        if key == "occurred_day":
            occurred = self.occurred_us[rows]
            missing = occurred == MISSING_TIME
            days = np.where(missing, 0, occurred // _DAY_US)
            first = int(days[~missing].min()) if (~missing).any() else 0
            span = int(days.max()) - first + 1 if len(days) else 1
            stamps = (np.arange(span) + first).astype("datetime64[D]").astype("datetime64[ms]")
            return np.where(missing, span, days - first), np.append(stamps, np.datetime64("NaT", "ms"))
        codes, uniques = pd.factorize(self.profiles[key], use_na_sentinel=False)
        return codes[self.profile[rows]], np.asarray(uniques, dtype=object)

    def lattice_bins(
        self, where: RowFilter, cell_size_m: float, keys: tuple[str, ...] = (), near: Nearby | None = None
    ) -> pd.DataFrame:
        """Bin the kept incidents on the national grid's lattice: as the PostGIS store's ``lattice_bins``.

        Parameters
        ----------
        where : RowFilter
            Which incidents.
        cell_size_m : float
            The lattice's cell size.
        keys : tuple of str
            Columns of :data:`~svd_geo.store.postgis_aggregates.GROUP_KEYS` to keep apart.
        near : Nearby, optional
            Keep only the points in these cells (or near this area).

        Returns
        -------
        pandas.DataFrame
            The columns the PostGIS store's ``lattice_bins`` returns.
        """
        check_keys(keys)
        rows = self.kept(where)
        if near is not None:
            rows = rows[self._near(rows, near, self._candidates(where, cell_size_m, near, len(rows)))]
        gx, gy = (lattice_cells(axis, rows, cell_size_m) for axis in (self.easting_m, self.northing_m))
        located = ~np.isnan(gx)
        key_codes = [self._key_codes(key, rows) for key in keys]
        cells = [cell_numbers(gx, located), cell_numbers(gy, located)]
        parts = [codes for codes, _ in cells] + [codes for codes, _ in key_codes]
        sizes = [len(values) + 1 for _, values in cells] + [len(values) for _, values in key_codes]
        group, first = group_ids(parts, sizes)
        if near is None and not keys:
            self._last_bins["lattice"] = _Lattice((where, cell_size_m), group, gx[first], gy[first])
        frame = pd.DataFrame({
            "gx": pd.array(np.where(located[first], gx[first], np.nan)).astype("Int64"),
            "gy": pd.array(np.where(located[first], gy[first], np.nan)).astype("Int64"),
        })  # fmt: skip
        for key, (codes, values) in zip(keys, key_codes, strict=True):
            frame[key] = values[codes[first]]
        points = (self.easting_m, self.northing_m)
        return frame.assign(**bin_figures(group, len(first), points, rows, cell_size_m))

    def _candidates(
        self, where: RowFilter, cell_size_m: float, near: Nearby, count: int
    ) -> np.ndarray | None:
        """Return which kept rows lie in a bin touching ``near``'s cells, from the last lattice (or None).

        A point in cell ``floor(x / cell)`` lies in the bin ``floor(x / cell - 0.5)`` or the one
        before, whatever the rounding, so its bin or the next touches the cell.
        """
        last = self._last_bins.get("lattice")
        if last is None or last.key != (where, cell_size_m) or len(last.group) != count:
            return None
        if near.cell_size_m != cell_size_m or near.area_wkb is not None:
            return None
        group, bx, by = last.group, last.gx, last.gy
        located = ~np.isnan(bx)
        ix, iy = np.where(located, bx, 0).astype("int64"), np.where(located, by, 0).astype("int64")
        touching = np.zeros(len(ix), dtype=bool)
        for dx in (0, 1):
            for dy in (0, 1):
                touching |= cells_named(ix + dx, iy + dy, near)
        return np.asarray((touching & located)[group], dtype=bool)

    def _near(self, rows: np.ndarray, near: Nearby, candidates: np.ndarray | None = None) -> np.ndarray:
        """Which of the rows have a point in the cells, or near the area, that ``near`` names."""
        import shapely

        if candidates is not None:  # only the candidates can be in the cells
            inside = np.zeros(len(rows), dtype=bool)
            picked = rows[candidates]
            inside[candidates] = in_cells(self.easting_m[picked], self.northing_m[picked], near)
            return inside
        x, y = self.easting_m[rows], self.northing_m[rows]
        inside = in_cells(x, y, near)
        if near.area_wkb is not None:
            area = shapely.from_wkb(near.area_wkb)
            west, south, east, north = area.bounds
            box = (x >= west - near.reach_m) & (x <= east + near.reach_m)
            box &= (y >= south - near.reach_m) & (y <= north + near.reach_m)
            inside[box] |= shapely.dwithin(area, shapely.points(x[box], y[box]), near.reach_m)
        return np.asarray(inside, dtype=bool)


def _microseconds(stamp: pd.Timestamp) -> int:
    return int(pd.Timestamp(stamp).to_datetime64().astype("datetime64[us]").astype("int64"))


class ColumnCounts:
    """A PostGIS store that counts and bins from its incidents' columns in memory, and reads the rest in SQL.

    Parameters
    ----------
    store : PostGISStore
        The store.
    columns : IncidentColumns
        Its incidents at its current version (:func:`svd_geo.store.postgis_snapshot.load_columns`).
    """

    def __init__(self, store: PostGISStore, columns: IncidentColumns) -> None:
        self.store, self.columns = store, columns
        self.grouped_incidents = columns.grouped_incidents
        self.lattice_bins = columns.lattice_bins
        self.point_spread = columns.point_spread
        # Points one by one, and rows, come from the server: its indexes find a few quickly.
        self.grouped_points = store.grouped_points
        self.selected_incidents = store.selected_incidents
        self.point_count = store.point_count
