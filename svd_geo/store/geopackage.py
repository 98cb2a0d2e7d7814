"""The embedded incident store: a GeoPackage behind a small interface.

Layers: ``incidents`` (points in EPSG:27700; area-only records have no
geometry), ``interventions`` (polygons), and the attribute tables ``imports``
(the imports log) and ``rejected`` (rows set aside).  The file opens in QGIS.

Imports are atomic.  GDAL writes each layer in its own transaction, so an
import cannot add incidents, set-aside rows and its log entry together through
it.  Instead the rows are written by pyogrio to a staging GeoPackage, then
copied into the store with ``INSERT ... SELECT`` inside one SQLite transaction
that also writes the log entry: a failure or a kill part-way leaves the store
as it was (SQLite rolls the journal back on the next open).  The store's
layers have no spatial index, whose triggers need GDAL's SQL functions.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from svd_geo.base.accounts import local_user
from svd_geo.base.config import ANALYSIS_CRS
from svd_geo.base.errors import StoreError
from svd_geo.base.roles import require_role, role_from_environment
from svd_geo.base.schema import INCIDENT_COLUMNS, REJECTED_COLUMNS, PreparedImport
from svd_geo.store.audit import ensure_audit_table, now_stamp, record
from svd_geo.store.creation import NO_SPATIAL_INDEX, as_multi, create_store_file, touch_contents
from svd_geo.store.protocol import (
    INTERVENTION_COLUMNS,
    ImportResult,
    unknown_import,
    unknown_place,
)
from svd_geo.store.reading import GeoPackageReads

if TYPE_CHECKING:
    import geopandas as gpd


ADDED_INCIDENT_COLUMNS = ("place", "offence_code")
"""Text columns added to the incidents layer since the first stores were written."""


class GeoPackageStore(GeoPackageReads):
    """A store in one GeoPackage file.

    Parameters
    ----------
    path : Path
        The GeoPackage; created (atomically) when missing.
    role : str, optional
        The user's role (``SVD_GEO_ROLE`` by default): only an admin may change the store.
    user : str, optional
        Who the audit log names (the signed-in account; the local user by default).
    """

    def __init__(self, path: Path, role: str | None = None, user: str | None = None) -> None:
        self.path = path
        self.role = role or role_from_environment()
        self.user = user or local_user()
        if not path.exists():
            create_store_file(path)
        self._recover()

    def _recover(self) -> None:
        # A read-write open rolls back a transaction a killed import left behind.
        with self._connect() as connection:
            try:
                tables = {r[0] for r in connection.execute("SELECT table_name FROM gpkg_contents")}
            except sqlite3.DatabaseError as err:
                msg = (
                    f"{self.path}: not an svd-geo store ({err}). Point --store or "
                    "SVD_GEO_STORE at a store, or at a new file name to create one."
                )
                raise StoreError(msg) from err
        missing = {"incidents", "interventions", "imports", "rejected"} - tables
        if missing:
            msg = (
                f"{self.path}: a GeoPackage but not an svd-geo store (no {', '.join(sorted(missing))}"
                " layers). Point --store at a store, or at a new file name to create one."
            )
            raise StoreError(msg)
        self._migrate()

    def _migrate(self) -> None:
        """Bring a store written by an earlier version up to today's columns, keeping every row.

        Each added column is filled with its empty value, as an import that had no
        such column would fill it.
        """
        with self._connect() as connection:
            # Readers never wait for a writer, nor see half a commit; set once, kept in the file.
            connection.execute("PRAGMA journal_mode=WAL")
            if self._missing_columns(connection) or not self._has_audit(connection):
                # Checked again under the write lock: another process may open it meanwhile.
                connection.execute("BEGIN IMMEDIATE")
                for column in self._missing_columns(connection):
                    connection.execute(
                        f"ALTER TABLE incidents ADD COLUMN \"{column}\" TEXT NOT NULL DEFAULT ''"
                    )
                ensure_audit_table(connection)
                connection.execute("COMMIT")

    @staticmethod
    def _has_audit(connection: sqlite3.Connection) -> bool:
        return connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'audit'").fetchone() is not None

    @staticmethod
    def _missing_columns(connection: sqlite3.Connection) -> list[str]:
        have = {row[1] for row in connection.execute("PRAGMA table_info(incidents)")}
        return [column for column in ADDED_INCIDENT_COLUMNS if column not in have]

    def add_import(self, prepared: PreparedImport, *, synthetic: bool = False) -> ImportResult:
        """Store a prepared import in one transaction.

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
        existing = self.find_import(prepared.sha256)
        if existing is not None:
            return ImportResult(existing, True, 0, 0)
        with tempfile.TemporaryDirectory(dir=self.path.parent) as folder:
            staging = Path(folder) / "staging.gpkg"
            self._write_staging(prepared, staging)
            return self._merge(prepared, staging, synthetic=synthetic)

    @staticmethod
    def _write_staging(prepared: PreparedImport, staging: Path) -> None:
        import pyogrio

        incidents = prepared.incidents[[*INCIDENT_COLUMNS, "geometry"]].copy()
        incidents["occurred"] = incidents["occurred"].astype("datetime64[ms]")
        pyogrio.write_dataframe(
            incidents, staging, layer="incidents", geometry_type="Point", layer_options=NO_SPATIAL_INDEX
        )
        rejected = prepared.rejected.astype({"value": "str", "column": "str", "reason": "str"})
        pyogrio.write_dataframe(rejected, staging, layer="rejected")

    def _merge(self, prepared: PreparedImport, staging: Path, *, synthetic: bool) -> ImportResult:
        incident_columns = ", ".join(f'"{c}"' for c in [*INCIDENT_COLUMNS, "geom"])
        rejected_columns = ", ".join(f'"{c}"' for c in REJECTED_COLUMNS)
        with self._connect() as connection:
            connection.execute("ATTACH DATABASE ? AS staging", (str(staging),))
            connection.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have imported the same file since it was looked for.
                again = connection.execute(
                    "SELECT fid FROM imports WHERE sha256 = ?", (prepared.sha256,)
                ).fetchone()
                if again is not None:  # then nothing is added
                    connection.execute("ROLLBACK")
                    return ImportResult(int(again[0]), True, 0, 0)
                cursor = connection.execute(
                    "INSERT INTO imports (file, sha256, source, accepted, rejected, imported_at,"
                    " synthetic) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        prepared.file_name,
                        prepared.sha256,
                        prepared.source,
                        len(prepared.incidents),
                        len(prepared.rejected),
                        now_stamp(),
                        int(synthetic),
                    ),
                )
                import_id = int(cursor.lastrowid or 0)
                connection.execute(
                    f"INSERT INTO incidents (import_id, {incident_columns}) "  # noqa: S608
                    f"SELECT ?, {incident_columns} FROM staging.incidents",
                    (import_id,),
                )
                _after_incidents(connection)
                connection.execute(
                    f"INSERT INTO rejected (import_id, {rejected_columns}) "  # noqa: S608
                    f"SELECT ?, {rejected_columns} FROM staging.rejected",
                    (import_id,),
                )
                touch_contents(connection, ("incidents", "imports", "rejected"))
                said = f"{prepared.file_name} as import {import_id}: {len(prepared.incidents):,} records"
                record(connection, self.user, "import", said, prepared.sha256)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            finally:
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("DETACH DATABASE staging")
        return ImportResult(import_id, False, len(prepared.incidents), len(prepared.rejected))

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
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                found = connection.execute("DELETE FROM imports WHERE fid = ?", (import_id,)).rowcount
                if not found:
                    known = [str(r[0]) for r in connection.execute("SELECT fid FROM imports")]
                    raise unknown_import(import_id, known)
                removed = connection.execute(
                    "DELETE FROM incidents WHERE import_id = ?", (import_id,)
                ).rowcount
                connection.execute("DELETE FROM rejected WHERE import_id = ?", (import_id,))
                touch_contents(connection, ("incidents", "imports", "rejected"))
                record(connection, self.user, "remove import", f"import {import_id}: {removed:,} records")
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
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
        import geopandas as gpd

        if places.crs is None or not places.crs.equals(ANALYSIS_CRS):
            msg = f"interventions must be in {ANALYSIS_CRS} to store, not {places.crs}."
            raise StoreError(msg)
        frame = places[[*INTERVENTION_COLUMNS, "geometry"]].copy()
        frame["geometry"] = gpd.GeoSeries(frame.geometry, crs=ANALYSIS_CRS).apply(as_multi)
        columns = ", ".join(f'"{c}"' for c in [*INTERVENTION_COLUMNS, "geom"])
        with tempfile.TemporaryDirectory(dir=self.path.parent) as folder:
            import pyogrio

            staging = Path(folder) / "staging.gpkg"
            pyogrio.write_dataframe(
                gpd.GeoDataFrame(frame, crs=ANALYSIS_CRS),
                staging,
                layer="interventions",
                geometry_type="MultiPolygon",
                layer_options=NO_SPATIAL_INDEX,
            )
            with self._connect() as connection:
                connection.execute("ATTACH DATABASE ? AS staging", (str(staging),))
                with connection:
                    connection.execute("BEGIN IMMEDIATE")
                    if replacing is not None:
                        _delete_intervention(connection, replacing)
                    connection.execute(
                        f"INSERT INTO interventions ({columns}) "  # noqa: S608
                        f"SELECT {columns} FROM staging.interventions"
                    )
                    touch_contents(connection, ("interventions",))
                    action = "add places" if replacing is None else "edit place"
                    record(connection, self.user, action, "; ".join(str(name) for name in frame["name"]))
                connection.execute("DETACH DATABASE staging")
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
        with self._connect() as connection, connection:
            connection.execute("BEGIN IMMEDIATE")
            record(connection, self.user, "export", what, sha256)

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
        with self._connect() as connection, connection:
            connection.execute("BEGIN IMMEDIATE")
            _delete_intervention(connection, intervention_id)
            touch_contents(connection, ("interventions",))
            record(connection, self.user, "remove place", f"place {intervention_id}")


def _delete_intervention(connection: sqlite3.Connection, intervention_id: int) -> None:
    found = connection.execute("DELETE FROM interventions WHERE fid = ?", (intervention_id,)).rowcount
    if not found:
        known = [str(r[0]) for r in connection.execute("SELECT fid FROM interventions")]
        raise unknown_place(intervention_id, known)


def _after_incidents(connection: sqlite3.Connection) -> None:
    """Run between copying incidents and the rest of an import (a seam for tests)."""
