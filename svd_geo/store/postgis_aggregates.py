"""What the PostGIS store counts itself: incidents grouped by their columns, and binned on a grid.

The app's pages at county scale ask for these instead of the rows: a map of
five million incidents needs a few thousand area and category counts and one
grid of cell weights, which the server computes next to the data (its
indexes select the rows) and sends in kilobytes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import numpy as np
import pandas as pd

from svd_geo.store.postgis_reads import connect, where_clause
from svd_geo.store.protocol import RowFilter

ANALYTIC_SETTINGS = "SET jit = off; SET enable_indexscan = off; SET work_mem = '64MB'"
"""How the session runs a count over many rows (EXPLAIN ANALYZE on five million incidents).

JIT off: the planner's costs for these queries pass the JIT's thresholds, and compiling
them with LLVM took 5.6 s of a 5.9 s query. Index scans off: a year's rows, imported in
no order of time, lie on every page of that year, and an index scan visits a page for
each row (500,000 page visits, 1.1 s) where a bitmap scan of the same index visits each
page once (12,000, 0.44 s); a few rows cost the bitmap scan no more. 64 MB of work memory
keeps a county's bins from sorting on disk.
"""


class Nearby(NamedTuple):
    """Where the points a count needs lie: some cells of a lattice, and near an area."""

    cell_size_m: float
    gx: list[int]
    """The cells' columns on the lattice (``x`` from ``gx * cell`` to ``(gx + 1) * cell``)."""
    gy: list[int]
    area_wkb: bytes | None
    """An area in EPSG:27700 as WKB (None for none)."""
    reach_m: float
    """How near the area a point may be."""


def _nearby_clause(near: Nearby) -> tuple[str, list[object]]:
    """Return the SQL test of :class:`Nearby` and its parameters."""
    cell = "(floor(easting_m / %s)::bigint, floor(northing_m / %s)::bigint)"
    parts = [f"{cell} IN (SELECT * FROM unnest(%s::bigint[], %s::bigint[]))"]  # noqa: S608
    params: list[object] = [near.cell_size_m, near.cell_size_m, near.gx, near.gy]
    if near.area_wkb is not None:
        parts.append("ST_DWithin(geom, ST_GeomFromWKB(%s, 27700), %s)")
        params.extend([near.area_wkb, near.reach_m])
    return "(" + " OR ".join(parts) + ")", params


def _where_near(where: RowFilter, near: Nearby | None) -> tuple[str, list[object]]:
    """Return the WHERE clause of a filter and, when given, :class:`Nearby`; and their parameters."""
    clause, params = where_clause(where)
    if near is None:
        return clause, params
    test, tested = _nearby_clause(near)
    return f"{clause or ' WHERE TRUE'} AND {test}", [*params, *tested]


GROUP_KEYS = (
    "ward_code", "lsoa_code", "source", "category", "offence_code", "weight", "place", "occurred_precision",
    "occurred_day",
)  # fmt: skip
"""What a grouped count may be keyed on: incident columns, and ``occurred_day``, the day (as ``occurred``)."""


_KEY_SQL = {"occurred_day": "date_trunc('day', occurred) AS occurred"}
"""The keys that are not a column: what they select."""


def check_keys(keys: tuple[str, ...]) -> None:
    """Refuse keys that are not in :data:`GROUP_KEYS`, before any is written into SQL.

    Parameters
    ----------
    keys : tuple of str
        The columns a count is to be grouped by.

    Raises
    ------
    ValueError
        Naming the keys that are not allowed.
    """
    unknown = [key for key in keys if key not in GROUP_KEYS]
    if unknown:
        msg = f"incidents group by {', '.join(GROUP_KEYS)}, not {', '.join(map(repr, unknown))}."
        raise ValueError(msg)


def _positions(count: int) -> str:
    """Return ``1, 2, ..., count``: a GROUP BY of the first columns selected."""
    return ", ".join(str(i + 1) for i in range(count))


class PostGISAggregates:
    """Grouped counts, point counts and lattice bins of the incidents a filter keeps."""

    url: str

    def _frame(self, sql: str, params: list[object]) -> pd.DataFrame:
        with connect(self.url) as connection:
            connection.execute(ANALYTIC_SETTINGS)
            # In binary, a county's 57,000 bins come 0.25 s sooner: no number is written as text.
            with connection.cursor(binary=True) as cursor:
                cursor.execute(sql, params)
                names = [d.name for d in cursor.description or ()]
                rows = cursor.fetchall()
        # Column by column: pandas takes 0.35 s to sort 57,000 rows of tuples into columns, numpy 0.05 s.
        columns = zip(*rows, strict=True) if rows else ([] for _ in names)
        frame = pd.DataFrame(
            dict(enumerate(np.array(column) for column in columns)), columns=range(len(names))
        )
        frame.columns = pd.Index(names)  # by position: two aggregates may have one name
        return frame

    def grouped_incidents(self, keys: tuple[str, ...], where: RowFilter) -> pd.DataFrame:
        """Count the incidents a filter keeps by the values of some of their columns, in SQL.

        Parameters
        ----------
        keys : tuple of str
            Columns of :data:`GROUP_KEYS` to group by.
        where : RowFilter
            Which incidents.

        Returns
        -------
        pandas.DataFrame
            ``keys`` (``occurred`` for ``occurred_day``; a missing value is its own group,
            as None) and ``records``, the incidents holding those values.

        Raises
        ------
        ValueError
            For a key that is not in :data:`GROUP_KEYS` (the names are written into the SQL).
        """
        check_keys(keys)
        clause, params = where_clause(where)
        names = ", ".join(_KEY_SQL.get(key, f'"{key}"') for key in keys)
        grouped = f" GROUP BY {_positions(len(keys))}" if keys else ""
        sql = f"SELECT {names + ', ' if keys else ''}count(*) AS records FROM incidents{clause}{grouped}"  # noqa: S608
        frame = self._frame(sql, params)
        typed = {"records": "int64", "weight": "float64", "occurred": "datetime64[ms]"}
        return frame.astype({c: t for c, t in typed.items() if c in frame})

    def grouped_points(
        self, where: RowFilter, keys: tuple[str, ...] = (), near: Nearby | None = None
    ) -> pd.DataFrame:
        """Count the kept incidents standing on each distinct point (and values of some columns), in SQL.

        Snap points (police.uk's) hold thousands of incidents each, so a view's points
        come in far fewer rows than its incidents; distinct points do not, and ``near``
        keeps only those a coverage count can need.

        Parameters
        ----------
        where : RowFilter
            Which incidents (those without a point are left out).
        keys : tuple of str
            Columns of :data:`GROUP_KEYS` to keep apart.
        near : Nearby, optional
            Only the points in these lattice cells or near this area.

        Returns
        -------
        pandas.DataFrame
            ``easting_m, northing_m``, the ``keys`` and ``records``.
        """
        check_keys(keys)
        clause, params = _where_near(replace(where, located=True), near)
        names = "".join(", " + _KEY_SQL.get(key, f'"{key}"') for key in keys)
        sql = (
            f"SELECT easting_m, northing_m{names}, count(*) AS records "  # noqa: S608
            f"FROM incidents{clause} GROUP BY {_positions(len(keys) + 2)} ORDER BY 1, 2"
        )
        frame = self._frame(sql, params)
        typed = {"easting_m": "float64", "northing_m": "float64", "records": "int64", "weight": "float64"}
        return frame.astype({c: t for c, t in typed.items() if c in frame})

    def point_count(self, where: RowFilter) -> int:
        """Return how many of the incidents a filter keeps have a point.

        Parameters
        ----------
        where : RowFilter
            Which incidents.

        Returns
        -------
        int
            The count.
        """
        clause, params = where_clause(where)
        counted = self._frame(f"SELECT count(geom) AS located FROM incidents{clause}", params)  # noqa: S608
        return int(counted["located"].sum())

    def point_spread(self, where: RowFilter) -> tuple[int, list[tuple[float, float, float]]]:
        """Return the count of kept points and, per axis, their standard deviation and quartiles.

        Parameters
        ----------
        where : RowFilter
            Which incidents.

        Returns
        -------
        tuple
            The count, and ``(std, q25, q75)`` of the eastings and of the northings
            (population deviation; quartiles interpolated as numpy's default).
        """
        clause, params = where_clause(replace(where, located=True))
        axes = ("easting_m", "northing_m")
        figures = ", ".join(
            f"stddev_pop({a}), percentile_cont(0.25) WITHIN GROUP (ORDER BY {a}), "
            f"percentile_cont(0.75) WITHIN GROUP (ORDER BY {a})"
            for a in axes
        )
        row = self._frame(f"SELECT count(*), {figures} FROM incidents{clause}", params).iloc[0]  # noqa: S608
        values = [0.0 if v is None else float(v) for v in row.to_numpy()[1:]]
        return int(row.iloc[0]), [(values[0], values[1], values[2]), (values[3], values[4], values[5])]

    def lattice_bins(
        self, where: RowFilter, cell_size_m: float, keys: tuple[str, ...] = (), near: Nearby | None = None
    ) -> pd.DataFrame:
        """Bin the kept incidents on the national grid's lattice of square cells, in one pass, in SQL.

        A KDE's grid (:func:`svd_geo.methods.grid.grid_around`) has its edges on
        multiples of its cell size, so a point's bilinear shares and nearest cell on it
        follow from the point and the cell size alone: the server bins every kept row
        before the extent is known, and the bounds of each bin's points give the extent.
        With ``fx = x / cell - 0.5``, a point gives ``(1 - wx)(1 - wy)`` to the cell centre
        ``(gx, gy) = (floor(fx), floor(fy))``, ``wx (1 - wy)`` to ``(gx + 1, gy)`` and so on
        (``wx = fx - gx``), as :func:`svd_geo.methods.grid.linear_bin` does; it lies in the
        cell ``(gx + (wx >= 0.5), gy + (wy >= 0.5))``, as :func:`svd_geo.methods.grid.cell_index`
        says: ``n00`` counts the points in ``(gx, gy)``, ``n10`` those in ``(gx + 1, gy)`` and so on.

        Parameters
        ----------
        where : RowFilter
            Which incidents.
        cell_size_m : float
            The lattice's cell size.
        keys : tuple of str
            Columns of :data:`GROUP_KEYS` to keep apart.
        near : Nearby, optional
            Keep only the points in these cells (or near this area).

        Returns
        -------
        pandas.DataFrame
            ``gx, gy`` (lattice cells, ``x = (gx + 0.5) * cell``; missing for the kept
            incidents without a point, one row per ``keys``), the ``keys``, the summed
            shares ``w00, w10, w01, w11``, the counts ``n00, n10, n01, n11`` of the
            points in each of the four cells, ``records`` and the bin's point bounds
            ``xmin_m, ymin_m, xmax_m, ymax_m``.
        """
        check_keys(keys)
        clause, params = _where_near(where, near)
        names = "".join(f', "{key}"' for key in keys)
        # Sums of wx, wy and wx * wy (and counts of wx >= 0.5, ...) give the four shares
        # (and quadrant counts) exactly: three sums a row where four took 1.6 times as long.
        sql = (
            "WITH c AS (SELECT easting_m, northing_m, floor(easting_m / %s - 0.5) AS gx, "  # noqa: S608
            f"floor(northing_m / %s - 0.5) AS gy{names} FROM incidents{clause}), "
            f"d AS (SELECT *, easting_m / %s - 0.5 - gx AS wx, northing_m / %s - 0.5 - gy AS wy FROM c), "
            f"b AS (SELECT gx::bigint AS gx, gy::bigint AS gy{names}, count(*) AS records, sum(wx) AS sx, "
            "sum(wy) AS sy, sum(wx * wy) AS sxy, count(*) FILTER (WHERE wx >= 0.5) AS nx, "
            "count(*) FILTER (WHERE wy >= 0.5) AS ny, "
            "count(*) FILTER (WHERE wx >= 0.5 AND wy >= 0.5) AS nxy, "
            "min(easting_m) AS xmin_m, min(northing_m) AS ymin_m, max(easting_m) AS xmax_m, "
            f"max(northing_m) AS ymax_m FROM d GROUP BY {_positions(len(keys) + 2)}) "
            f"SELECT gx, gy{names}, records - sx - sy + sxy AS w00, sx - sxy AS w10, sy - sxy AS w01, "
            "sxy AS w11, records - nx - ny + nxy AS n00, nx - nxy AS n10, ny - nxy AS n01, nxy AS n11, "
            "records, xmin_m, ymin_m, xmax_m, ymax_m FROM b"
        )
        frame = self._frame(sql, [cell_size_m, cell_size_m, *params, cell_size_m, cell_size_m])
        floats = ("w00", "w10", "w01", "w11", "xmin_m", "ymin_m", "xmax_m", "ymax_m", "weight")
        counts = ("n00", "n10", "n01", "n11", "records")
        typed = {
            "gx": "Int64",
            "gy": "Int64",
            **dict.fromkeys(counts, "int64"),
            **dict.fromkeys(floats, "float64"),
        }
        return frame.astype({c: t for c, t in typed.items() if c in frame})
