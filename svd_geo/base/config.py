"""Settings for svd_geo: one frozen dataclass, built from the environment once.

Environment variables are read here and nowhere else.  Functions take a
:class:`Config` argument instead of reading globals.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from svd_geo.base.accounts import auth_from_environment
from svd_geo.base.roles import role_from_environment

ANALYSIS_CRS = "EPSG:27700"
"""British National Grid: every measurement is made in these metres."""

DISPLAY_CRS = "EPSG:4326"
"""WGS84 longitude/latitude: what maps and RFC 7946 GeoJSON use."""

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The checkout holding ``boundaries/`` and ``data/``."""

DEFAULT_DISTRICTS = ("E07000170", "E07000174")
"""Ashfield and Mansfield, the first partnership using svd-geo."""


DATABASE_SCHEMES = ("postgresql://", "postgres://")
"""How a store location names a PostGIS database instead of a GeoPackage file."""


def is_database_url(location: Path | str) -> bool:
    """Say whether a store location is a PostGIS database URL rather than a file.

    Parameters
    ----------
    location : Path or str
        ``SVD_GEO_STORE`` or ``--store``.

    Returns
    -------
    bool
        True for ``postgresql://...`` (or ``postgres://...``).
    """
    return isinstance(location, str) and location.startswith(DATABASE_SCHEMES)


def store_location(value: str) -> Path | str:
    """Read a store location: a database URL stays text, anything else is a file's path.

    Parameters
    ----------
    value : str
        ``SVD_GEO_STORE`` or ``--store``.

    Returns
    -------
    Path or str
        The GeoPackage's path, or the URL (a Path would fold its ``//``).
    """
    return value if is_database_url(value) else Path(value)


def shown_location(location: Path | str) -> str:
    """Name a store location in a message: a database URL without its password.

    Parameters
    ----------
    location : Path or str
        A GeoPackage's path, or a ``postgresql://`` URL.

    Returns
    -------
    str
        The path, or the URL with ``***`` for its password.
    """
    if not is_database_url(location):
        return str(location)
    parts = urlsplit(str(location))
    if parts.password is None:
        return str(location)
    netloc = f"{parts.username}:***@{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def store_label(location: Path | str) -> str:
    """Name a store location in a few words: a file's name, or the database and its host.

    Parameters
    ----------
    location : Path or str
        A GeoPackage's path, or a ``postgresql://`` URL.

    Returns
    -------
    str
        E.g. ``store.gpkg`` or ``database svd on db.internal``.
    """
    if not is_database_url(location):
        return Path(location).name
    parts = urlsplit(str(location))
    return f"database {parts.path.lstrip('/') or '(default)'} on {parts.hostname or 'this machine'}"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value) if value else default


def _env_store() -> Path | str:
    value = os.environ.get("SVD_GEO_STORE", "").strip()
    return store_location(value) if value else PROJECT_ROOT / "data" / "store.gpkg"


def _env_optional_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value) if value else None


def _env_tuple(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _env_count(name: str, default: int, *, lowest: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < lowest:
        msg = f"{name}={value!r}: give a whole number of at least {lowest}."
        raise ValueError(msg)
    return int(value)


OSM_TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"


@dataclass(frozen=True)
class Config:
    """Where svd_geo finds its data and how it joins incidents to areas.

    Attributes
    ----------
    store_path : Path or str
        GeoPackage holding incidents, interventions and the imports log, or
        the ``postgresql://`` URL of a PostGIS database holding them.
        ``SVD_GEO_STORE``; default ``data/store.gpkg`` in the checkout.
    registry_path : Path
        TOML registry of boundary layers and area statistics.
        ``SVD_GEO_REGISTRY``; default ``boundaries/registry.toml``.
    cache_dir : Path
        Where downloaded registry files are kept (git-ignored).
        ``SVD_GEO_CACHE``; default ``boundaries/cache``.
    mirror_dir : Path or None
        Offline mirror of the registry's URLs (``<host>/<path>`` drops the host).
        ``SVD_GEO_MIRROR``; default none.
    allow_download : bool
        Whether a file found in neither cache nor mirror may be downloaded.
        ``SVD_GEO_OFFLINE=1`` turns it off; default on.
    download_timeout_s : float
        Seconds to wait for a download before giving up; default 30.
    districts : tuple of str
        ONS codes of the study area's districts.
        ``SVD_GEO_DISTRICTS`` (comma-separated); default Ashfield and Mansfield.
    ward_vintage : int
        Vintage of the ward layer incidents are joined to; default 2022.
    lsoa_vintage : int
        Vintage of the LSOA layer incidents are joined to; default 2011, the
        geography of police.uk files and of the IoD2019 statistics.
    join_tolerance_m : float
        A point in a gap between generalised polygons takes the nearest area
        within this distance, in metres; default 50.
    tiles_url : str
        The street basemap's tile URL template (``{z}/{x}/{y}``), e.g. a council's
        tile server or the OS Maps API with its key.  ``SVD_GEO_TILES_URL``;
        default OpenStreetMap's.
    tiles_attribution : str
        What the tiles' licence asks to be shown.  ``SVD_GEO_TILES_ATTRIBUTION``;
        default OpenStreetMap's.
    small_count_threshold : int
        Meetings and shared files show counts from 1 to this less one as "<N".
        ``SVD_GEO_SMALL_COUNT``; default 5 (8 follows NHS rules for A&E data).
    round_counts_to : int
        Meetings and shared files round the counts they show to a multiple of
        this (0: not rounded).  ``SVD_GEO_ROUND_COUNTS_TO``; default 0.
    role : str
        The user's role: viewer, analyst or admin (:mod:`svd_geo.base.roles`).
        ``SVD_GEO_ROLE``; default admin, as a local single-user run is.  With
        sign-in on, each session's role is its account's instead.
    auth : str
        How the dashboard signs people in: none, password or oidc
        (:mod:`svd_geo.base.accounts`).  ``SVD_GEO_AUTH``; default none.
    users_path : Path
        The users file: accounts, roles and password hashes.  ``SVD_GEO_USERS``;
        default ``data/users.csv``.
    columns_mb : int
        How much of the app server's memory a PostGIS store's incidents may take as
        columns (34 bytes each), filtered and counted there; a store with more is
        counted in SQL, more slowly (0: always in SQL).  ``SVD_GEO_COLUMNS_MB``;
        default 1024, about 30 million incidents.
    """

    store_path: Path | str = field(default_factory=_env_store)
    registry_path: Path = field(
        default_factory=lambda: _env_path("SVD_GEO_REGISTRY", PROJECT_ROOT / "boundaries" / "registry.toml")
    )
    cache_dir: Path = field(
        default_factory=lambda: _env_path("SVD_GEO_CACHE", PROJECT_ROOT / "boundaries" / "cache")
    )
    mirror_dir: Path | None = field(default_factory=lambda: _env_optional_path("SVD_GEO_MIRROR"))
    allow_download: bool = field(
        default_factory=lambda: os.environ.get("SVD_GEO_OFFLINE", "").strip() not in {"1", "true"}
    )
    download_timeout_s: float = 30.0
    districts: tuple[str, ...] = field(
        default_factory=lambda: _env_tuple("SVD_GEO_DISTRICTS", DEFAULT_DISTRICTS)
    )
    ward_vintage: int = 2022
    lsoa_vintage: int = 2011
    join_tolerance_m: float = 50.0
    tiles_url: str = field(
        default_factory=lambda: os.environ.get("SVD_GEO_TILES_URL", "").strip() or OSM_TILES_URL
    )
    tiles_attribution: str = field(
        default_factory=lambda: os.environ.get("SVD_GEO_TILES_ATTRIBUTION", "").strip() or OSM_ATTRIBUTION
    )
    small_count_threshold: int = field(default_factory=lambda: _env_count("SVD_GEO_SMALL_COUNT", 5, lowest=2))
    round_counts_to: int = field(default_factory=lambda: _env_count("SVD_GEO_ROUND_COUNTS_TO", 0, lowest=0))
    role: str = field(default_factory=role_from_environment)
    auth: str = field(default_factory=auth_from_environment)
    users_path: Path = field(
        default_factory=lambda: _env_path("SVD_GEO_USERS", PROJECT_ROOT / "data" / "users.csv")
    )
    columns_mb: int = field(default_factory=lambda: _env_count("SVD_GEO_COLUMNS_MB", 1024, lowest=0))
