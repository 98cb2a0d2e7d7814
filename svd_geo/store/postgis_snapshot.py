"""Reading a PostGIS store's incidents as :class:`~svd_geo.store.postgis_columns.IncidentColumns`.

A row a message (a binary COPY) took 40 s for five million incidents in psycopg's
loop; packed by the server into one vector a column a million rows, they come in 15 s.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from svd_geo.store.postgis_aggregates import ANALYTIC_SETTINGS
from svd_geo.store.postgis_columns import MISSING_TIME, PROFILE_KEYS, IncidentColumns
from svd_geo.store.postgis_reads import connect


def load_columns(url: str) -> IncidentColumns:
    """Read every incident of a PostGIS store as :class:`IncidentColumns`, in one consistent snapshot.

    Parameters
    ----------
    url : str
        The store's ``postgresql://`` URL.

    Returns
    -------
    IncidentColumns
        The incidents committed when the read began.
    """
    names = ", ".join(PROFILE_KEYS)
    with connect(url) as connection, connection.transaction():
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        connection.execute(ANALYTIC_SETTINGS)
        # Seven equalities a join make the planner guess one row, and merge-join sorted millions.
        connection.execute("SET LOCAL enable_mergejoin = off; SET LOCAL enable_nestloop = off")
        table = connection.execute(f"SELECT {names}, count(*) FROM incidents GROUP BY {names}").fetchall()  # noqa: S608
        profiles = pd.DataFrame([row[:-1] for row in table], columns=list(PROFILE_KEYS))
        distinct = connection.execute("SELECT DISTINCT place FROM incidents WHERE place IS NOT NULL")
        places = [str(row[0]) for row in distinct]
        ids = connection.execute("SELECT min(id), max(id) FROM incidents").fetchone() or (None, None)
        first, last = (cast("int | None", i) for i in ids)
        total = sum(cast("int", row[-1]) for row in table)
        arrays = {name: np.empty(total, dtype=_KEPT[name]) for name in _SENT}
        sql, params = _chunk_statement(profiles, places)
        filled = 0
        with connection.cursor(binary=True) as cursor:
            for start in range(int(first or 0), int(last or -1) + 1, _CHUNK_IDS):
                cursor.execute(sql, [*params, start, start + _CHUNK_IDS])
                sent = cursor.fetchone() or ()
                chunk = [
                    np.frombuffer(cast("bytes", v or b""), dtype=_SENT[n])
                    for n, v in zip(_SENT, sent, strict=True)
                ]
                for name, values in zip(_SENT, chunk, strict=True):
                    arrays[name][filled : filled + len(values)] = values
                filled += len(chunk[0])
    if filled != total:  # one snapshot: the chunks hold the rows the counts did
        msg = f"read {filled:,} incidents of the store's {total:,}; reload the page to read them again."
        raise RuntimeError(msg)
    return _columns(arrays, profiles, places)


_SENT = {
    "easting_m": ">f8", "northing_m": ">f8", "occurred_us": ">i8", "hour": ">i2", "weekday": ">i2",
    "profile": ">i4", "place": ">i4",
}  # fmt: skip
"""What each chunk sends a row, as the big-endian numbers of PostgreSQL's binary send functions."""
_KEPT = {
    "easting_m": "float64", "northing_m": "float64", "occurred_us": "int64", "hour": "int8",
    "weekday": "int8", "profile": "int32", "place": "int32",
}  # fmt: skip
"""What each is kept as: numpy converts each chunk into these as it copies it in."""
_CHUNK_IDS = 1_000_000
"""Incident ids a query reads: its vectors of 34 MB come in one message (a row a message took 40 s)."""
_EPOCH_2000_US = 946_684_800_000_000
"""A timestamp is sent as microseconds since 2000-01-01."""
_STRIP_M = 200.0
"""How wide the strips are that the rows are kept in (:func:`_spatial_order`)."""


def _chunk_statement(profiles: pd.DataFrame, places: list[str]) -> tuple[str, list[object]]:
    """Return the query of a chunk of incidents' numbers and codes (a packed vector each), and its parameters.

    Each nullable column joins its profile on its value (missing as a default) and on
    whether it is missing: two equalities, which a hash join takes (IS NOT DISTINCT
    FROM would not).
    """
    joins, params = [], []
    for key in PROFILE_KEYS:
        default = "0::float8" if key == "weight" else "''"
        joins.append(f"coalesce(i.{key}, {default}) = p.{key} AND (i.{key} IS NULL) = p.{key}_missing")
        column = profiles[key]
        params.extend([column.fillna(0.0 if key == "weight" else "").tolist(), column.isna().tolist()])
    arrays = ", ".join(f"%s::{'float8' if key == 'weight' else 'text'}[], %s::bool[]" for key in PROFILE_KEYS)
    columns = ", ".join(f"{key}, {key}_missing" for key in PROFILE_KEYS)
    sent = (
        "float8send(coalesce(i.easting_m, 'NaN'))", "float8send(coalesce(i.northing_m, 'NaN'))",
        "timestamp_send(coalesce(i.occurred, '-infinity'))", "int2send(coalesce(i.hour_of_day, -1::int2))",
        "int2send(coalesce(i.weekday, -1::int2))", "int4send((p.profile - 1)::int4)",
        "int4send(coalesce(q.code - 1, -1)::int4)",
    )  # fmt: skip
    sql = (
        f"SELECT {', '.join(f'string_agg({s}, NULL)' for s in sent)} FROM incidents i "  # noqa: S608
        f"JOIN unnest({arrays}) WITH ORDINALITY AS p({columns}, profile) ON {' AND '.join(joins)} "
        "LEFT JOIN unnest(%s::text[]) WITH ORDINALITY AS q(place, code) ON q.place = i.place "
        "WHERE i.id >= %s AND i.id < %s"
    )
    return sql, [*params, places]


def _columns(arrays: dict[str, np.ndarray], profiles: pd.DataFrame, places: list[str]) -> IncidentColumns:
    """Return the read vectors as :class:`IncidentColumns`, times counted from 1970."""
    order = _spatial_order(arrays["easting_m"], arrays["northing_m"])
    for name in list(arrays):  # one at a time: a copy of them all at once would double the peak
        arrays[name] = arrays[name][order]
    occurred = arrays.pop("occurred_us")
    occurred[occurred != MISSING_TIME] += _EPOCH_2000_US  # -infinity is sent as the int64 minimum
    return IncidentColumns(
        easting_m=arrays["easting_m"], northing_m=arrays["northing_m"], occurred_us=occurred,
        hour=arrays["hour"], weekday=arrays["weekday"], profile=arrays["profile"], place=arrays["place"],
        profiles=profiles, places=np.array(places, dtype=object),
    )  # fmt: skip


def _spatial_order(easting_m: np.ndarray, northing_m: np.ndarray) -> np.ndarray:
    """Return the rows in strips :data:`_STRIP_M` wide west to east, south to north in each; unlocated last.

    Binning adds each row into its bin's totals: rows in id order land all over
    memory.  In strips, neighbouring rows share bins (or the next ones) at any cell
    size, and the lattice's bins, numbered column by column, come nearly in order:
    binning 4.5 million rows went from 0.13 s to 0.10 s, and the Map page's filter
    change at five million from 1.2 s to 0.9 s (``bench/bench_scale.py --step map``).
    """
    return np.lexsort((northing_m, np.floor(easting_m / _STRIP_M)))
