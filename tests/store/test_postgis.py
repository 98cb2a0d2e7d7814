"""svd_geo.store.postgis: what the PostGIS store does beyond the promises both stores keep."""

from __future__ import annotations

import pandas as pd
import psycopg
import pytest

from svd_geo.base.errors import StoreError
from svd_geo.store import postgis
from svd_geo.store.backends import open_store, store_exists
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
    with pytest.raises(StoreError) as asked:
        store_exists(url)  # asking whether there is a store says the same
    assert str(asked.value) == message


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


def test_a_pg_dump_backup_restores_into_a_new_database_whole(
    postgres_cluster, postgis_url, prepared_sample, ed_prepared
):
    # The README's backup and restore, as its deployment guide gives them: pg_dump -Fc, then pg_restore.
    store = open_store(postgis_url)
    store.add_import(prepared_sample)
    store.add_import(ed_prepared)
    before = contents(postgis_url)
    dump = postgres_cluster.folder / f"{postgis_url.rsplit('/', 1)[1]}.dump"
    postgres_cluster.run("pg_dump", "--format=custom", f"--file={dump}", f"--dbname={postgis_url}")
    with psycopg.connect(postgres_cluster.url(), autocommit=True) as connection:
        connection.execute("CREATE DATABASE restored TEMPLATE template0")
    restored = postgres_cluster.url("restored")
    postgres_cluster.run("pg_restore", "--no-owner", f"--dbname={restored}", str(dump))
    assert contents(restored) == before
    again = open_store(restored)
    assert again.version() == store.version() and again.add_import(prepared_sample).already_imported
    assert again.incidents().drop(columns="geometry").equals(store.incidents().drop(columns="geometry"))


def test_the_server_selects_and_counts_what_a_filter_keeps_as_the_rows_in_memory_would(
    postgis_url, prepared_sample, ed_prepared
):
    import pandas as pd

    from svd_geo.store.protocol import RowFilter

    store = open_store(postgis_url)
    store.add_import(prepared_sample)
    store.add_import(ed_prepared)
    everything = store.incidents()
    where = RowFilter(
        sources=("police",), categories=("Violence and sexual offences", "Robbery"),
        date_from=pd.Timestamp("2024-02-01"), date_to=pd.Timestamp("2024-11-01"),
        bounds_m=(450_000.0, 350_000.0, 458_000.0, 362_000.0),
    )  # fmt: skip
    x, y = everything["easting_m"], everything["northing_m"]
    kept = everything[
        everything["source"].eq("police") & everything["category"].isin(where.categories)
        & everything["occurred"].ge(where.date_from) & everything["occurred"].lt(where.date_to)
        & x.between(450_000, 458_000) & y.between(350_000, 362_000)
    ]  # fmt: skip
    assert 0 < len(kept) < len(everything)
    selected = store.selected_incidents(where)
    assert selected["source_row"].tolist() == kept["source_row"].tolist()
    by_hand = kept.groupby(["lsoa_code", "source"]).size()
    counted = store.grouped_incidents(("lsoa_code", "source"), where).set_index(["lsoa_code", "source"])
    assert counted["records"].sort_index().to_dict() == by_hand.sort_index().to_dict()
    assert store.grouped_incidents((), RowFilter())["records"].tolist() == [len(everything)]
    with pytest.raises(ValueError, match="not 'source; DROP TABLE incidents'"):
        store.grouped_incidents(("source; DROP TABLE incidents",), where)


def test_set_aside_values_of_any_type_are_stored_as_their_text(postgis_url, ed_prepared):
    from dataclasses import replace

    mixed = ed_prepared.rejected.astype({"value": object})
    mixed = pd.concat([mixed, mixed.assign(value=[17])], ignore_index=True)  # a number beside a text
    store = open_store(postgis_url)
    store.add_import(replace(ed_prepared, rejected=mixed))
    assert store.rejected()["value"].tolist() == ["BAD", "17"]
