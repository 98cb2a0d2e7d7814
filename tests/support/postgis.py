"""Helpers and fixtures for the PostGIS store's tests: a throw-away PostgreSQL cluster per test worker.

The cluster is made with initdb in a temporary folder, listens on a free local
port (and a socket in that folder), trusts local connections, and is stopped
and deleted at the end of the session.  Each test gets a database of its own,
copied from a template that already has PostGIS, so a test never sees another's
rows.  PostgreSQL and PostGIS come from Debian's packages, which ``make test``
installs when missing (``make postgres``); a missing server fails the tests
with the fix, it never skips them.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from svd_geo.base.config import Config
from tests.conftest import SEED

TEMPLATE = "svd_geo_template"


def postgres_bin() -> Path:
    """The newest installed PostgreSQL's programs (initdb, pg_ctl, pg_dump)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        pytest.fail("PostgreSQL is not installed: run `make postgres` (Debian's postgresql and postgis).")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_postgres() -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as the postgres user then."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@dataclass(frozen=True)
class Cluster:
    """A running throw-away cluster: its folder, port and programs."""

    folder: Path
    port: int
    bin: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [*_as_postgres(), str(self.bin / program), *args]
        return subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)

    def new_database(self) -> str:
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE {TEMPLATE}')
        return self.url(name)


@contextlib.contextmanager
def running_cluster() -> Iterator[Cluster]:
    """Start a cluster in a temporary folder and stop and delete it afterwards."""
    import psycopg

    programs = postgres_bin()
    folder = Path(tempfile.mkdtemp(prefix="svd-geo-pg-"))
    os.chmod(folder, 0o777)  # the postgres user writes its socket and log here when we are root
    data = folder / "data"
    cluster = Cluster(folder, _free_port(), programs)
    try:
        cluster.run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        options = f"-p {cluster.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        cluster.run("pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
        with psycopg.connect(cluster.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {TEMPLATE}")
        with psycopg.connect(cluster.url(TEMPLATE), autocommit=True) as connection:
            connection.execute("CREATE EXTENSION postgis")
        yield cluster
    finally:
        if (data / "postmaster.pid").exists():
            cluster.run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """One throw-away cluster for this test worker's session."""
    with running_cluster() as cluster:
        yield cluster


@pytest.fixture
def postgis_url(postgres_cluster: Cluster) -> str:
    """A new, empty database with PostGIS, for one test."""
    return postgres_cluster.new_database()


@pytest.fixture(params=["geopackage", "postgis"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a store goes, once for each backend: a GeoPackage file, then a PostGIS database."""
    if request.param == "geopackage":
        return tmp_path / "store.gpkg"
    return str(request.getfixturevalue("postgis_url"))


@pytest.fixture(scope="session")
def demo_postgis_url(
    postgres_cluster: Cluster, session_config: Config, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The demo store's SYNTHETIC incidents (the same seed) in a PostGIS database, once per worker (read-only)."""
    from svd_geo.store.backends import open_store
    from svd_geo.store.demo import build_demo_store

    url = postgres_cluster.new_database()
    root = tmp_path_factory.mktemp("demo-postgis")
    build_demo_store(open_store(url), session_config, out_dir=root, seed=SEED, incidents=4000)
    return url
