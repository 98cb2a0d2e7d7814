"""What the PostGIS store counts itself: incidents grouped by their columns, and binned on a grid.

The app's pages at county scale ask for these instead of the rows: a map of
five million incidents needs a few thousand area and category counts and one
grid of cell weights, which the server computes next to the data (its
indexes select the rows) and sends in kilobytes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.store.postgis_reads import connect, where_clause
from svd_geo.store.protocol import RowFilter

if TYPE_CHECKING:
    from typing import Protocol

    class Grid(Protocol):
        """A regular grid (:class:`svd_geo.methods.grid.Grid`): its south-west corner, cell size and width."""

        @property
        def x0_m(self) -> float:
            """Return the west edge in metres."""

        @property
        def y0_m(self) -> float:
            """Return the south edge in metres."""

        @property
        def cell_size_m(self) -> float:
            """Return a cell's width in metres."""

        @property
        def nx(self) -> int:
            """Return the number of cells west to east."""


GROUP_KEYS = (
    "ward_code", "lsoa_code", "source", "category", "offence_code", "weight", "place", "occurred_precision",
    "occurred_day",
)  # fmt: skip
"""What a grouped count may be keyed on: incident columns, and ``occurred_day``, the day (as ``occurred``)."""


_KEY_SQL = {"occurred_day": "date_trunc('day', occurred) AS occurred"}
"""The keys that are not a column: what they select."""


def _positions(count: int) -> str:
    """Return ``1, 2, ..., count``: a GROUP BY of the first columns selected."""
    return ", ".join(str(i + 1) for i in range(count))


class PostGISAggregates:
    """Grouped counts, point extents and gridded weights of the incidents a filter keeps."""

    url: str

    def _frame(self, sql: str, params: list[object]) -> pd.DataFrame:
        with connect(self.url) as connection:
            cursor = connection.execute(sql, params)
            names = [d.name for d in cursor.description or ()]
            return pd.DataFrame(cursor.fetchall(), columns=names)

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
        self._check_keys(keys)
        clause, params = where_clause(where)
        names = ", ".join(_KEY_SQL.get(key, f'"{key}"') for key in keys)
        grouped = f" GROUP BY {_positions(len(keys))}" if keys else ""
        sql = f"SELECT {names + ', ' if keys else ''}count(*) AS records FROM incidents{clause}{grouped}"  # noqa: S608
        frame = self._frame(sql, params)
        typed = {"records": "int64", "weight": "float64", "occurred": "datetime64[ms]"}
        return frame.astype({c: t for c, t in typed.items() if c in frame})

    def grouped_points(self, where: RowFilter, keys: tuple[str, ...] = ()) -> pd.DataFrame:
        """Count the kept incidents standing on each distinct point (and values of some columns), in SQL.

        Snap points (police.uk's) hold thousands of incidents each, so a view's points
        come in far fewer rows than its incidents.

        Parameters
        ----------
        where : RowFilter
            Which incidents (those without a point are left out).
        keys : tuple of str
            Columns of :data:`GROUP_KEYS` to keep apart.

        Returns
        -------
        pandas.DataFrame
            ``easting_m, northing_m``, the ``keys`` and ``records``.
        """
        self._check_keys(keys)
        clause, params = where_clause(replace(where, located=True))
        names = "".join(", " + _KEY_SQL.get(key, f'"{key}"') for key in keys)
        sql = (
            f"SELECT ST_X(geom) AS easting_m, ST_Y(geom) AS northing_m{names}, count(*) AS records "  # noqa: S608
            f"FROM incidents{clause} GROUP BY {_positions(len(keys) + 2)} ORDER BY 1, 2"
        )
        frame = self._frame(sql, params)
        typed = {"easting_m": "float64", "northing_m": "float64", "records": "int64", "weight": "float64"}
        return frame.astype({c: t for c, t in typed.items() if c in frame})

    def point_extent(self, where: RowFilter) -> tuple[int, tuple[float, float, float, float]]:
        """Return how many kept incidents have a point, and the bounds of those points.

        Parameters
        ----------
        where : RowFilter
            Which incidents.

        Returns
        -------
        tuple
            The count, and ``(xmin, ymin, xmax, ymax)`` in metres (NaN when there is none).
        """
        clause, params = where_clause(where)
        sql = (
            "SELECT count(geom), min(ST_X(geom)), min(ST_Y(geom)), max(ST_X(geom)), max(ST_Y(geom)) "  # noqa: S608
            f"FROM incidents{clause}"
        )
        row = self._frame(sql, params).iloc[0].to_numpy()
        bounds = tuple(float("nan") if v is None else float(v) for v in row[1:])
        return int(row[0]), (bounds[0], bounds[1], bounds[2], bounds[3])

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
        axes = ("ST_X(geom)", "ST_Y(geom)")
        figures = ", ".join(
            f"stddev_pop({a}), percentile_cont(0.25) WITHIN GROUP (ORDER BY {a}), "
            f"percentile_cont(0.75) WITHIN GROUP (ORDER BY {a})"
            for a in axes
        )
        row = self._frame(f"SELECT count(*), {figures} FROM incidents{clause}", params).iloc[0]  # noqa: S608
        values = [0.0 if v is None else float(v) for v in row.to_numpy()[1:]]
        return int(row.iloc[0]), [(values[0], values[1], values[2]), (values[3], values[4], values[5])]

    def binned_points(self, where: RowFilter, grid: Grid, keys: tuple[str, ...] = ()) -> pd.DataFrame:
        """Spread the kept points over the grid's cell centres bilinearly, summed per cell, in SQL.

        The same shares as :func:`svd_geo.methods.grid.linear_bin`, computed where the
        points are: each point gives ``(1 - fx)(1 - fy)`` to the cell ``(ix, iy)`` below and
        left of it, ``fx (1 - fy)`` to ``(ix + 1, iy)`` and so on.

        Parameters
        ----------
        where : RowFilter
            Which incidents (those without a point are left out).
        grid : Grid
            The grid.
        keys : tuple of str
            Columns of :data:`GROUP_KEYS` to keep apart (e.g. ``category`` for harm weights).

        Returns
        -------
        pandas.DataFrame
            ``ix, iy``, the ``keys``, the four summed shares ``w00, w10, w01, w11`` and
            ``records``.
        """
        self._check_keys(keys)
        clause, params = where_clause(replace(where, located=True))
        names = "".join(f', "{key}"' for key in keys)
        sql = (
            "WITH f AS (SELECT (ST_X(geom) - %s) / %s - 0.5 AS fx, "  # noqa: S608
            f"(ST_Y(geom) - %s) / %s - 0.5 AS fy{names} FROM incidents{clause}), "
            "c AS (SELECT floor(fx)::int AS ix, floor(fy)::int AS iy, fx - floor(fx) AS wx, "
            f"fy - floor(fy) AS wy{names} FROM f) "
            f"SELECT ix, iy{names}, sum((1 - wx) * (1 - wy)) AS w00, sum(wx * (1 - wy)) AS w10, "
            f"sum((1 - wx) * wy) AS w01, sum(wx * wy) AS w11, count(*) AS records FROM c "
            f"GROUP BY {_positions(len(keys) + 2)}"
        )
        origin = [grid.x0_m, grid.cell_size_m, grid.y0_m, grid.cell_size_m]
        frame = self._frame(sql, [*origin, *params])
        shares = dict.fromkeys(("w00", "w10", "w01", "w11"), "float64")
        return frame.astype({"ix": "int64", "iy": "int64", "records": "int64", **shares})

    def cell_records(
        self, where: RowFilter, grid: Grid, cells: npt.NDArray[np.int64], keys: tuple[str, ...]
    ) -> pd.DataFrame:
        """Count the kept points in some grid cells, by some of their columns, in SQL.

        Parameters
        ----------
        where : RowFilter
            Which incidents.
        grid : Grid
            The grid whose cells (nearest-cell, as :func:`svd_geo.methods.grid.cell_index`) count.
        cells : numpy.ndarray of int64
            The cells, as ``iy * nx + ix``.
        keys : tuple of str
            Columns of :data:`GROUP_KEYS` to keep apart.

        Returns
        -------
        pandas.DataFrame
            ``ix, iy``, the ``keys`` and ``records``.
        """
        self._check_keys(keys)
        if len(cells) == 0:
            return pd.DataFrame({"ix": [], "iy": [], **{k: [] for k in keys}, "records": []}).astype(
                {"ix": "int64", "iy": "int64", "records": "int64"}
            )
        ix, iy = cells % grid.nx, cells // grid.nx
        size = grid.cell_size_m
        window = (grid.x0_m + ix.min() * size, grid.y0_m + iy.min() * size,
                  grid.x0_m + (ix.max() + 1) * size, grid.y0_m + (iy.max() + 1) * size)  # fmt: skip
        clause, params = where_clause(replace(where, bounds_m=tuple(map(float, window))))  # type: ignore[arg-type]
        names = "".join(f', "{key}"' for key in keys)
        sql = (
            "WITH p AS (SELECT floor((ST_X(geom) - %s) / %s)::bigint AS ix, "  # noqa: S608
            f"floor((ST_Y(geom) - %s) / %s)::bigint AS iy{names} FROM incidents{clause}) "
            f"SELECT ix, iy{names}, count(*) AS records FROM p JOIN unnest(%s::bigint[]) AS h(cell) "
            f"ON h.cell = p.iy * %s + p.ix GROUP BY {_positions(len(keys) + 2)}"
        )
        origin = [grid.x0_m, size, grid.y0_m, size]
        frame = self._frame(sql, [*origin, *params, cells.tolist(), grid.nx])
        return frame.astype({"ix": "int64", "iy": "int64", "records": "int64"})

    @staticmethod
    def _check_keys(keys: tuple[str, ...]) -> None:
        unknown = [key for key in keys if key not in GROUP_KEYS]
        if unknown:
            msg = f"incidents group by {', '.join(GROUP_KEYS)}, not {', '.join(map(repr, unknown))}."
            raise ValueError(msg)
