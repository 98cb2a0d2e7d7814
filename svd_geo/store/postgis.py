"""The shared incident store: PostgreSQL with PostGIS, behind the GeoPackage store's interface.

``SVD_GEO_STORE=postgresql://user:password@host/database`` (or ``--store``)
selects it.  Opening it creates the schema or brings it up to date
(:mod:`svd_geo.store.postgis_schema`).  Tables match the GeoPackage's layers:
``incidents`` (points, EPSG:27700), ``interventions`` (multipolygons), ``imports``,
``rejected`` and ``audit``, with spatial (GiST) and filter indexes.

An import is one transaction: its log entry, its incidents (bulk-loaded with
COPY), its set-aside rows and its audit line commit together or not at all.  A
killed client or a lost connection aborts the transaction on the server, so
the store stays as it was.  The same file imported twice at once adds itself
once: the imports log's ``sha256`` is unique.  Every write increments
``store_state.changes``, the :meth:`version` that the app's caches key on.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from svd_geo.base.accounts import local_user
from svd_geo.base.config import ANALYSIS_CRS
from svd_geo.base.errors import StoreError
from svd_geo.base.roles import require_role, role_from_environment
from svd_geo.base.schema import INCIDENT_COLUMNS, REJECTED_COLUMNS, PreparedImport
from svd_geo.store.audit import now_stamp
from svd_geo.store.creation import as_multi
from svd_geo.store.postgis_aggregates import PostGISAggregates
from svd_geo.store.postgis_reads import NULL, PostGISReads
from svd_geo.store.postgis_schema import migrate
from svd_geo.store.protocol import INTERVENTION_COLUMNS, ImportResult, unknown_import, unknown_place

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd
    import psycopg

COPY_ROWS = 100_000
"""Rows sent to COPY at a time: an import of millions never holds its whole CSV in memory."""


class PostGISStore(PostGISAggregates, PostGISReads):
    """A store in a PostgreSQL database with PostGIS.

    Parameters
    ----------
    url : str
        ``postgresql://user:password@host:port/database`` (libpq's URL form; its
        ``sslmode`` and other parameters pass through).
    role : str, optional
        The user's role (``SVD_GEO_ROLE`` by default): only an admin may change the store.
    user : str, optional
        Who the audit log names (the signed-in account; the local user by default).
    """

    def __init__(self, url: str, role: str | None = None, user: str | None = None) -> None:
        self.url = url
        self.role = role or role_from_environment()
        self.user = user or local_user()
        with self._connect() as connection:
            try:
                migrate(connection)
            except Exception as err:
                msg = (
                    f"{self.shown}: cannot create or update the store's tables ({str(err).strip()}). "
                    "The database needs the PostGIS extension (or a user allowed to create it) and a user "
                    "who may create tables; see the README's deployment guide."
                )
                raise StoreError(msg) from err

    def add_import(self, prepared: PreparedImport, *, synthetic: bool = False) -> ImportResult:
        """Store a prepared import in one transaction, its rows bulk-loaded with COPY.

        Parameters
        ----------
        prepared : PreparedImport
            Validated incidents and rows set aside.
        synthetic : bool
            Marks demo data, which the app labels as synthetic.

        Returns
        -------
        ImportResult
            The import's id; ``already_imported`` when the file was stored before.
        """
        require_role(self.role, "admin", "import files")
        with self._connect() as connection, connection.transaction():
            row = connection.execute(
                "INSERT INTO imports (file, sha256, source, accepted, rejected, imported_at, synthetic) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (sha256) DO NOTHING RETURNING id",
                (
                    prepared.file_name, prepared.sha256, prepared.source, len(prepared.incidents),
                    len(prepared.rejected), now_stamp(), synthetic,
                ),
            ).fetchone()  # fmt: skip
            if row is None:  # imported before, perhaps by another process a moment ago
                existing = self._existing_import(connection, prepared.sha256)
                return ImportResult(existing, True, 0, 0)
            import_id = int(str(row[0]))
            _copy_in(connection, "incidents", _incident_rows(prepared, import_id))
            _after_incidents(connection)
            rejected = prepared.rejected[REJECTED_COLUMNS].astype(
                {"value": "str", "column": "str", "reason": "str"}
            )
            rejected = rejected.assign(import_id=import_id)
            _copy_in(connection, "rejected", rejected[["import_id", *REJECTED_COLUMNS]])
            said = f"{prepared.file_name} as import {import_id}: {len(prepared.incidents):,} records"
            self._changed(connection, "import", said, prepared.sha256)
        return ImportResult(import_id, False, len(prepared.incidents), len(prepared.rejected))

    @staticmethod
    def _existing_import(connection: psycopg.Connection[tuple[object, ...]], sha256: str) -> int:
        found = connection.execute("SELECT id FROM imports WHERE sha256 = %s", (sha256,)).fetchone()
        assert found is not None
        return int(str(found[0]))

    def _changed(
        self, connection: psycopg.Connection[tuple[object, ...]], action: str, what: str, sha256: str = ""
    ) -> None:
        """Write the audit line and count the change, in the caller's transaction."""
        connection.execute(
            "INSERT INTO audit (at, who, action, what, sha256) VALUES (%s, %s, %s, %s, %s)",
            (now_stamp(), self.user, action, what, sha256),
        )
        if action != "export":
            connection.execute("UPDATE store_state SET changes = changes + 1")

    def remove_import(self, import_id: int) -> int:
        """Remove an import, its incidents and its set-aside rows in one transaction.

        Parameters
        ----------
        import_id : int
            The import's id.

        Returns
        -------
        int
            How many incidents were removed.

        Raises
        ------
        EmptySelectionError
            When no import has that id.
        """
        require_role(self.role, "admin", "remove imports")
        with self._connect() as connection, connection.transaction():
            removed = connection.execute("DELETE FROM incidents WHERE import_id = %s", (import_id,)).rowcount
            if not connection.execute("DELETE FROM imports WHERE id = %s", (import_id,)).rowcount:
                known = [str(r[0]) for r in connection.execute("SELECT id FROM imports ORDER BY id")]
                raise unknown_import(import_id, known)
            self._changed(connection, "remove import", f"import {import_id}: {removed:,} records")
        return int(removed)

    def add_interventions(self, places: gpd.GeoDataFrame, *, replacing: int | None = None) -> int:
        """Store intervention places (polygons in EPSG:27700) in one transaction.

        With ``replacing``, the place of that id is removed in the same
        transaction (an edit): either both happen or neither.

        Parameters
        ----------
        places : geopandas.GeoDataFrame
            Validated places, EPSG:27700.
        replacing : int, optional
            The id of a place these replace.

        Returns
        -------
        int
            How many places were stored.
        """
        require_role(self.role, "admin", "change intervention places")
        import shapely

        if places.crs is None or not places.crs.equals(ANALYSIS_CRS):
            msg = f"interventions must be in {ANALYSIS_CRS} to store, not {places.crs}."
            raise StoreError(msg)
        frame = places[INTERVENTION_COLUMNS].copy()
        geometry = shapely.set_srid(places.geometry.apply(as_multi).to_numpy(dtype=object), 27700)
        frame["geom"] = shapely.to_wkb(geometry, hex=True, include_srid=True)
        with self._connect() as connection, connection.transaction():
            if replacing is not None:
                _delete_intervention(connection, replacing)
            _copy_in(connection, "interventions", frame)
            action = "add places" if replacing is None else "edit place"
            self._changed(connection, action, "; ".join(str(name) for name in frame["name"]))
        return len(frame)

    def log_export(self, what: str, sha256: str) -> None:
        """Write an export of the store's data to the audit log, once the file is whole.

        Parameters
        ----------
        what : str
            The file, e.g. its name, or "hotspots-kde.gpkg (dashboard download)".
        sha256 : str
            The checksum of the file as written or downloaded.
        """
        with self._connect() as connection, connection.transaction():
            self._changed(connection, "export", what, sha256)

    def remove_intervention(self, intervention_id: int) -> None:
        """Remove one intervention place.

        Parameters
        ----------
        intervention_id : int
            The place's id.

        Raises
        ------
        StoreError
            When no place has that id (the message lists the ids there are).
        """
        require_role(self.role, "admin", "change intervention places")
        with self._connect() as connection, connection.transaction():
            _delete_intervention(connection, intervention_id)
            self._changed(connection, "remove place", f"place {intervention_id}")


def _incident_rows(prepared: PreparedImport, import_id: int) -> pd.DataFrame:
    """Return the import's incidents as COPY takes them: the store's columns, the point as hex EWKB."""
    import shapely

    frame: pd.DataFrame = prepared.incidents[INCIDENT_COLUMNS].copy()
    frame.insert(0, "import_id", import_id)
    frame["occurred"] = frame["occurred"].astype("datetime64[ms]")
    points = shapely.set_srid(prepared.incidents.geometry.to_numpy(dtype=object), 27700)
    frame["geom"] = shapely.to_wkb(points, hex=True, include_srid=True)
    return frame


def _copy_in(connection: psycopg.Connection[tuple[object, ...]], table: str, frame: pd.DataFrame) -> None:
    """Bulk-load a frame's rows into a table with COPY, as CSV, a chunk at a time.

    pyarrow writes the CSV (several times faster than pandas' writer); a missing value is
    COPY's NULL, an empty text stays an empty text.
    """
    import pyarrow as pa
    from pyarrow import csv

    columns = ", ".join(f'"{c}"' for c in frame.columns)
    statement = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')"
    options = csv.WriteOptions(include_header=False, null_string=NULL)
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for start in range(0, len(frame), COPY_ROWS):
            buffer = io.BytesIO()
            chunk = pa.Table.from_pandas(frame.iloc[start : start + COPY_ROWS], preserve_index=False)
            csv.write_csv(chunk, buffer, write_options=options)
            copy.write(buffer.getvalue())


def _delete_intervention(connection: psycopg.Connection[tuple[object, ...]], intervention_id: int) -> None:
    if not connection.execute("DELETE FROM interventions WHERE id = %s", (intervention_id,)).rowcount:
        known = [str(r[0]) for r in connection.execute("SELECT id FROM interventions ORDER BY id")]
        raise unknown_place(intervention_id, known)


def _after_incidents(connection: psycopg.Connection[tuple[object, ...]]) -> None:
    """Run between copying incidents and the rest of an import (a seam for tests)."""
