"""The PostGIS store's schema: versioned migrations, applied once each under a lock.

Each migration is a numbered list of SQL statements.  A store records the
numbers it has applied in ``svd_geo_migrations``; opening it applies the missing
ones in order, each in its own transaction, under a transaction-level advisory
lock so that several servers starting at once migrate it once.  A migration
once released is never edited: a change to the schema is a new migration.

The column types follow :mod:`svd_geo.store.protocol`, the same lists the
GeoPackage store is written from, so the two backends cannot drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from svd_geo.store.protocol import IMPORT_TYPES, INCIDENT_TYPES, INTERVENTION_TYPES, REJECTED_TYPES

if TYPE_CHECKING:
    import psycopg

SQL_TYPES = {
    "int64": "bigint",
    "str": "text",
    "datetime64[ms]": "timestamp",
    "bool": "boolean",
    "float64": "double precision",
}
"""The PostgreSQL type of each column type of :mod:`svd_geo.store.protocol`."""

MIGRATION_LOCK = 0x5D6E0
"""The advisory lock key that serialises migrations (any constant the app alone uses)."""


def _columns(types: dict[str, str], *, skip: tuple[str, ...] = ()) -> str:
    return ", ".join(f'"{name}" {SQL_TYPES[dtype]}' for name, dtype in types.items() if name not in skip)


MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: the four tables of the GeoPackage store, the audit log and the change counter.
    (
        "CREATE EXTENSION IF NOT EXISTS postgis",
        f"CREATE TABLE imports (id bigserial PRIMARY KEY, {_columns(IMPORT_TYPES)}, UNIQUE (sha256))",
        "CREATE TABLE incidents (id bigserial PRIMARY KEY, "
        "import_id bigint NOT NULL REFERENCES imports (id) ON DELETE CASCADE, "
        f"{_columns(INCIDENT_TYPES, skip=('import_id',))}, geom geometry(Point, 27700))",
        "CREATE TABLE rejected (id bigserial PRIMARY KEY, "
        "import_id bigint NOT NULL REFERENCES imports (id) ON DELETE CASCADE, "
        f"{_columns(REJECTED_TYPES, skip=('import_id',))})",
        "CREATE TABLE interventions (id bigserial PRIMARY KEY, "
        f"{_columns(INTERVENTION_TYPES)}, geom geometry(MultiPolygon, 27700))",
        "CREATE TABLE audit (id bigserial PRIMARY KEY, at text NOT NULL, who text NOT NULL, "
        "action text NOT NULL, what text NOT NULL, sha256 text NOT NULL DEFAULT '')",
        "CREATE TABLE store_state (one boolean PRIMARY KEY DEFAULT true CHECK (one), "
        "changes bigint NOT NULL)",
        "INSERT INTO store_state (changes) VALUES (0)",
    ),
    # 2: spatial and filter indexes: the map's window, the sidebar's filters, removal by import.
    (
        "CREATE INDEX incidents_geom ON incidents USING gist (geom)",
        "CREATE INDEX incidents_filters ON incidents (source, category, occurred)",
        "CREATE INDEX incidents_occurred ON incidents (occurred)",
        "CREATE INDEX incidents_lsoa ON incidents (lsoa_code)",
        "CREATE INDEX incidents_import ON incidents (import_id)",
        "CREATE INDEX rejected_import ON rejected (import_id)",
        "CREATE INDEX interventions_geom ON interventions USING gist (geom)",
    ),
    # 3: what the counts in SQL read of each row, stored beside it: the point's coordinates
    # (ST_X of a geometry unpacks it, for every row a county's KDE bins), and the hour and
    # weekday the hours and weekday filters test (a record dated to a month has neither, one
    # dated to a day no hour). Statistics on them let the planner size what they keep.
    (
        "ALTER TABLE incidents "
        "ADD COLUMN easting_m double precision GENERATED ALWAYS AS (ST_X(geom)) STORED, "
        "ADD COLUMN northing_m double precision GENERATED ALWAYS AS (ST_Y(geom)) STORED, "
        "ADD COLUMN hour_of_day smallint GENERATED ALWAYS AS "
        "(CASE WHEN occurred_precision = 'datetime' THEN extract(hour FROM occurred)::smallint END) STORED, "
        "ADD COLUMN weekday smallint GENERATED ALWAYS AS "
        "(CASE WHEN occurred_precision IS DISTINCT FROM 'month' "
        "THEN (extract(isodow FROM occurred)::int - 1)::smallint END) STORED",
        "ANALYZE incidents",
    ),
)
"""Migration ``n`` is ``MIGRATIONS[n - 1]``."""


def migrate(connection: psycopg.Connection[tuple[object, ...]]) -> list[int]:
    """Apply the migrations the store has not had, in order; return their numbers.

    Parameters
    ----------
    connection : psycopg.Connection
        An autocommit connection to the database.

    Returns
    -------
    list of int
        The migrations applied now (none when the store is up to date).
    """
    applied_now: list[int] = []
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        connection.execute(
            "CREATE TABLE IF NOT EXISTS svd_geo_migrations (version integer PRIMARY KEY, "
            "applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {int(str(row[0])) for row in connection.execute("SELECT version FROM svd_geo_migrations")}
        for version, statements in enumerate(MIGRATIONS, start=1):
            if version in done:
                continue
            with connection.transaction():
                for statement in statements:
                    connection.execute(statement)
                connection.execute("INSERT INTO svd_geo_migrations (version) VALUES (%s)", (version,))
            applied_now.append(version)
    return applied_now


def schema_version(connection: psycopg.Connection[tuple[object, ...]]) -> int:
    """Return the number of the last migration the store has had (0 for an empty database).

    Parameters
    ----------
    connection : psycopg.Connection
        A connection to the database.

    Returns
    -------
    int
        The schema's version.
    """
    row = connection.execute("SELECT to_regclass('svd_geo_migrations') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return 0
    last = connection.execute("SELECT coalesce(max(version), 0) FROM svd_geo_migrations").fetchone()
    return int(str(last[0])) if last else 0
