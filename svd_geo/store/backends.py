"""Open the store a location names: a GeoPackage file (the default) or a PostGIS database URL.

``SVD_GEO_STORE`` and ``--store`` take either; everything above this module
works through :class:`~svd_geo.store.protocol.Store` and never asks which.
"""

from __future__ import annotations

from pathlib import Path

from svd_geo.base.config import is_database_url, shown_location
from svd_geo.base.errors import StoreError
from svd_geo.store.geopackage import GeoPackageStore
from svd_geo.store.postgis import PostGISStore

AnyStore = GeoPackageStore | PostGISStore
"""Either backend: what the pages, views and commands hold."""


def open_store(location: Path | str, role: str | None = None, user: str | None = None) -> AnyStore:
    """Open the store at ``location``, creating an empty one (a file, or a database's tables) when missing.

    Parameters
    ----------
    location : Path or str
        A GeoPackage's path, or a ``postgresql://`` URL.
    role : str, optional
        The user's role (``SVD_GEO_ROLE`` by default); only an admin may change the store.
    user : str, optional
        Who the audit log names (the local user by default).

    Returns
    -------
    AnyStore
        The store.
    """
    if is_database_url(location):
        return PostGISStore(str(location), role, user)
    return GeoPackageStore(Path(location), role, user)


def store_exists(location: Path | str) -> bool:
    """Say whether there is a store to read at ``location`` (a database is asked for its tables).

    Parameters
    ----------
    location : Path or str
        A GeoPackage's path, or a ``postgresql://`` URL.

    Returns
    -------
    bool
        True for an existing file, or a database whose schema has been created.
    """
    if not is_database_url(location):
        return Path(location).exists()
    from svd_geo.store.postgis_reads import connect
    from svd_geo.store.postgis_schema import schema_version

    with connect(str(location)) as connection:
        return schema_version(connection) > 0


def open_existing_store(location: Path | str) -> AnyStore:
    """Open the store at ``location`` to read or remove from it, never creating one.

    Parameters
    ----------
    location : Path or str
        A GeoPackage's path, or a ``postgresql://`` URL.

    Returns
    -------
    AnyStore
        The store.

    Raises
    ------
    StoreError
        When there is no store at ``location``, naming the fix.
    """
    if not store_exists(location):
        msg = (
            f"{shown_location(location)}: no store there; run `svd-geo demo` or `svd-geo ingest FILE` first, "
            "or name the store with --store PATH."
        )
        raise StoreError(msg)
    return open_store(location)


def counting_store(store: AnyStore) -> PostGISStore | None:
    """Return the store when it counts, bins and selects incidents itself (in SQL), else None.

    Parameters
    ----------
    store : AnyStore
        An open store.

    Returns
    -------
    PostGISStore or None
        The PostGIS store; None for the GeoPackage, whose incidents are analysed in memory.
    """
    return store if isinstance(store, PostGISStore) else None
