"""svd_geo.store.postgis_schema: versioned migrations, applied once each, in order."""

from __future__ import annotations

import threading

import psycopg

from svd_geo.store.postgis_schema import MIGRATIONS, migrate, schema_version


def test_migrations_apply_in_order_once_each(postgis_url):
    with psycopg.connect(postgis_url, autocommit=True) as connection:
        assert schema_version(connection) == 0
        assert migrate(connection) == list(range(1, len(MIGRATIONS) + 1))
        assert migrate(connection) == []  # up to date: nothing again
        assert schema_version(connection) == len(MIGRATIONS)


def test_a_store_left_at_an_earlier_version_gets_only_the_later_migrations(postgis_url):
    with psycopg.connect(postgis_url, autocommit=True) as connection:
        migrate(connection)
        connection.execute("DROP INDEX incidents_geom")
        connection.execute("DELETE FROM svd_geo_migrations WHERE version > 1")
        drops = [s.split()[2] for s in MIGRATIONS[1] if s.startswith("CREATE INDEX")]
        for index in drops[1:]:
            connection.execute(f"DROP INDEX {index}")
        derived = ("easting_m", "northing_m", "hour_of_day", "weekday")  # migration 3's
        connection.execute("ALTER TABLE incidents " + ", ".join(f"DROP COLUMN {c}" for c in derived))
        assert migrate(connection) == list(range(2, len(MIGRATIONS) + 1))
        names = {row[0] for row in connection.execute("SELECT indexname FROM pg_indexes")}
        assert set(drops) <= names
        columns = connection.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'incidents'"
        ).fetchall()
        assert set(derived) <= {row[0] for row in columns}


def test_servers_starting_at_once_migrate_the_store_once(postgis_url):
    applied: list[list[int]] = []

    def start() -> None:
        with psycopg.connect(postgis_url, autocommit=True) as connection:
            applied.append(migrate(connection))

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(applied, key=len) == [[], [], [], list(range(1, len(MIGRATIONS) + 1))]
