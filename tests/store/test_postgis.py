"""svd_geo.store.postgis: what the PostGIS store does beyond the promises both stores keep."""

from __future__ import annotations

import psycopg
import pytest

from svd_geo.base.errors import StoreError
from svd_geo.store import postgis
from svd_geo.store.backends import open_store
from tests.store.test_backends import contents


def test_a_connection_lost_mid_import_leaves_the_store_as_it_was(
    postgis_url, prepared_sample, ed_prepared, monkeypatch
):
    store = open_store(postgis_url)
    store.add_import(prepared_sample)
    before = contents(postgis_url)

    def lose_connection(connection):  # the server ends this session, as a network cut or a restart would
        connection.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    monkeypatch.setattr(postgis, "_after_incidents", lose_connection)
    with pytest.raises(psycopg.OperationalError):
        store.add_import(ed_prepared)
    monkeypatch.undo()
    assert contents(postgis_url) == before
    assert store.add_import(ed_prepared).accepted == 1  # and the file can be imported again


def test_the_server_unreachable_is_a_clear_error_that_never_shows_the_password(postgres_cluster):
    url = f"postgresql://svd:s3cret@127.0.0.1:{postgres_cluster.port + 1}/nowhere"
    with pytest.raises(StoreError) as raised:
        open_store(url)
    message = str(raised.value)
    assert "s3cret" not in message and "svd:***@127.0.0.1" in message
    assert "cannot connect to the store" in message and "server is running" in message


def test_a_database_without_postgis_nor_the_right_to_create_it_is_refused_with_the_fix(postgres_cluster):
    with psycopg.connect(postgres_cluster.url(), autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS plain")
        connection.execute("CREATE DATABASE plain TEMPLATE template0")
        connection.execute("DROP ROLE IF EXISTS clerk")
        connection.execute("CREATE ROLE clerk LOGIN")
    with pytest.raises(StoreError, match="needs the PostGIS extension"):
        open_store(postgres_cluster.url("plain").replace("postgres@", "clerk@"))


def test_incidents_are_indexed_for_the_map_and_the_filters(postgis_url):
    open_store(postgis_url)
    with psycopg.connect(postgis_url) as connection:
        indexes = dict(connection.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'incidents'"
        ).fetchall())  # fmt: skip
    assert "USING gist (geom)" in indexes["incidents_geom"]
    assert "(source, category, occurred)" in indexes["incidents_filters"]
    assert "(import_id)" in indexes["incidents_import"]
