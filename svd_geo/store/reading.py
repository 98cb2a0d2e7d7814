"""Reading the GeoPackage store: the imports log, set-aside rows, incidents, places and counts.

The base of :class:`~svd_geo.store.geopackage.GeoPackageStore`, which adds the writes.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from svd_geo.base.errors import StoreError
from svd_geo.base.schema import REJECTED_COLUMNS

if TYPE_CHECKING:
    import geopandas as gpd


class GeoPackageReads:
    """The reads of a store in one GeoPackage file (``path``), each on a connection of its own."""

    path: Path

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as err:
            msg = f"{self.path}: cannot open the store ({err}); check the path and permissions."
            raise StoreError(msg) from err
        try:
            yield connection
        finally:
            connection.close()

    def version(self) -> str:
        """Return a token that changes whenever the store changes.

        Returns
        -------
        str
            The modification time and size of the file and of its write-ahead log
            (where commits wait until SQLite copies them into the file).
        """
        stat = self.path.stat()
        wal = self.path.with_name(self.path.name + "-wal")
        log = wal.stat() if wal.exists() else None
        return (
            f"{stat.st_mtime_ns}-{stat.st_size}-{log.st_mtime_ns if log else 0}-{log.st_size if log else 0}"
        )

    def audit(self) -> pd.DataFrame:
        """Return the audit log, newest first.

        Returns
        -------
        pandas.DataFrame
            ``at, who, action, what, sha256`` for every import, removal, place change and export.
        """
        from svd_geo.store.audit import read_audit

        with self._connect() as connection:
            return read_audit(connection)

    def find_import(self, sha256: str) -> int | None:
        """Return the id of the import of a file with this sha256, if any.

        Parameters
        ----------
        sha256 : str
            A file's checksum.

        Returns
        -------
        int or None
            The import's id.
        """
        with self._connect() as connection:
            row = connection.execute("SELECT fid FROM imports WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else int(row[0])

    def imports(self) -> pd.DataFrame:
        """Return the imports log, oldest first, with :data:`IMPORT_COLUMNS`.

        Returns
        -------
        pandas.DataFrame
            One row per import.
        """
        with self._connect() as connection:
            frame = pd.read_sql_query(
                "SELECT fid AS id, file, sha256, source, accepted, rejected, imported_at, synthetic"
                " FROM imports ORDER BY fid",
                connection,
            )
        frame["synthetic"] = frame["synthetic"].astype(bool)
        return frame

    def rejected(self, import_id: int | None = None) -> pd.DataFrame:
        """Return rows set aside (``import_id`` plus :data:`REJECTED_COLUMNS`).

        Parameters
        ----------
        import_id : int, optional
            One import's rows; all when None.

        Returns
        -------
        pandas.DataFrame
            The rows set aside.
        """
        quoted = ", ".join(f'"{c}"' for c in REJECTED_COLUMNS)
        query = f"SELECT import_id, {quoted} FROM rejected"  # noqa: S608
        params: tuple[int, ...] = ()
        if import_id is not None:
            query += " WHERE import_id = ?"
            params = (import_id,)
        with self._connect() as connection:
            return pd.read_sql_query(query + " ORDER BY fid", connection, params=params)

    def incidents(self) -> gpd.GeoDataFrame:
        """Return every incident in EPSG:27700 (area-only records have no geometry).

        With :data:`~svd_geo.base.coords.COORDINATE_COLUMNS` (NaN for area-only records).

        Returns
        -------
        geopandas.GeoDataFrame
            The incidents with their coordinate columns.
        """
        import pyogrio

        from svd_geo.base.coords import with_coordinates

        frame = pyogrio.read_dataframe(self.path, layer="incidents", use_arrow=True)
        frame["in_study_area"] = frame["in_study_area"].astype(bool)
        return with_coordinates(frame)

    def counts(self) -> dict[str, int]:
        """Return the number of incidents, imports and interventions.

        Returns
        -------
        dict of str to int
            ``incidents``, ``imports`` and ``interventions``.
        """
        with self._connect() as connection, _one_snapshot(connection):
            return {
                table: int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
                for table in ("incidents", "imports", "interventions")
            }

    def incident_tables(self) -> dict[str, pd.DataFrame]:
        """Count incidents by source, by source and category, and by month and source, in SQL.

        Returns
        -------
        dict of str to pandas.DataFrame
            ``by_source`` (``source, incidents, area_only, outside_study_area``),
            ``by_category`` (``source, category, incidents``), ``by_month``
            (``month`` as ``YYYY-MM``, ``source, incidents``) and ``period``
            (``first, last`` as text; one row).  Summing in SQLite reads no
            geometry: a million incidents take seconds, not the ten to read them.
        """
        queries = {
            "by_source": "SELECT source, count(*) AS incidents, sum(geom IS NULL) AS area_only, "
            "sum(NOT in_study_area) AS outside_study_area FROM incidents GROUP BY source ORDER BY source",
            "by_category": "SELECT source, category, count(*) AS incidents FROM incidents "
            "GROUP BY source, category ORDER BY source, category",
            "by_month": "SELECT substr(occurred, 1, 7) AS month, source, count(*) AS incidents "
            "FROM incidents GROUP BY 1, 2 ORDER BY 1, 2",
            "period": "SELECT min(occurred) AS first, max(occurred) AS last FROM incidents",
        }
        with self._connect() as connection, _one_snapshot(connection):
            return {name: pd.read_sql_query(sql, connection) for name, sql in queries.items()}

    def counts_by_source(self) -> dict[str, int]:
        """Return the number of incidents from each partner source.

        Returns
        -------
        dict of str to int
            Incidents by source.
        """
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT source, count(*) FROM incidents GROUP BY source ORDER BY count(*) DESC"
            ).fetchall()
        return {str(source): int(count) for source, count in rows}

    def interventions(self) -> gpd.GeoDataFrame:
        """Return intervention places in EPSG:27700.

        Returns
        -------
        geopandas.GeoDataFrame
            The places with their ``id``.
        """
        import pyogrio

        frame = pyogrio.read_dataframe(self.path, layer="interventions", use_arrow=True, fid_as_index=True)
        frame["synthetic"] = frame["synthetic"].astype(bool)
        frame.insert(0, "id", frame.index.astype("int64"))
        return frame.reset_index(drop=True)


@contextlib.contextmanager
def _one_snapshot(connection: sqlite3.Connection) -> Iterator[None]:
    """Read several tables as of one moment: an import committing meanwhile is seen whole or not at all."""
    connection.execute("BEGIN")
    try:
        yield
    finally:
        connection.execute("COMMIT")
