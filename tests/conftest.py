"""Shared fixtures: the open-data mirror, an offline config, stores and sample files."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import settings

from svd_geo.base.config import PROJECT_ROOT, Config
from svd_geo.base.speed import import_without_numba

# Test modules import esda and mapclassify themselves: load them the way svd_geo does.
import_without_numba()

# Two busy xdist workers make single examples slow now and then: no per-example deadline.
settings.register_profile("svd", deadline=None, print_blob=True)
settings.load_profile("svd")

# Fixtures that tests of several modules share live with their helpers in tests/support.
pytest_plugins = [
    "tests.support.cli",
    "tests.support.coverage",
    "tests.support.dashboard",
    "tests.support.demo",
    "tests.support.evaluation",
    "tests.support.hotspots",
    "tests.support.impact",
    "tests.support.postgis",
    "tests.support.presentation",
    "tests.support.store",
]

SEED = 20240101
DATA = Path(__file__).parent / "data"
POLICE_SAMPLE = "policeuk/mansfield-town-centre_2017-10_2019-09_street.csv"


@pytest.fixture(scope="session")
def mirror_dir() -> Path:
    """The open-data mirror; CI always has it, so its absence is a failure, not a skip."""
    candidate = Path(os.environ.get("SVD_GEO_MIRROR") or PROJECT_ROOT.parent / "shared" / "mirror")
    if not (candidate / "SHA256SUMS").is_file():
        pytest.fail(
            f"open-data mirror not found at {candidate}: set SVD_GEO_MIRROR to the folder "
            "holding ../shared/mirror (make test does this)."
        )
    return candidate


@pytest.fixture(scope="session")
def police_sample(mirror_dir: Path) -> Path:
    """The real police.uk sample of 7,565 Mansfield crimes (read from the mirror)."""
    return mirror_dir / POLICE_SAMPLE


@pytest.fixture(scope="session")
def session_config(mirror_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Config:
    """Offline settings reading the mirror, with a private cache and store."""
    root = tmp_path_factory.mktemp("svd")
    return Config(
        store_path=root / "store.gpkg",
        cache_dir=root / "cache",
        mirror_dir=mirror_dir,
        allow_download=False,
    )


@pytest.fixture
def config(session_config: Config, tmp_path: Path) -> Config:
    """Offline settings with a store of the test's own."""
    return replace(session_config, store_path=tmp_path / "store.gpkg")


@pytest.fixture(scope="session")
def demo_store_path(session_config: Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small SYNTHETIC demo store, built once per session (treat as read-only)."""
    from svd_geo.store.backends import open_store
    from svd_geo.store.demo import build_demo_store

    root = tmp_path_factory.mktemp("demo")
    store = open_store(root / "demo.gpkg")
    build_demo_store(store, session_config, out_dir=root / "files", seed=SEED, incidents=4000)
    return store.path


@pytest.fixture
def write_csv(tmp_path: Path):
    """Write text as a CSV file in the test's folder and return its path."""

    def write(text: str, name: str = "partner.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def app_env(config: Config, monkeypatch: pytest.MonkeyPatch) -> Config:
    """Point the app (run through AppTest) at the test's store, the mirror and no network."""
    monkeypatch.setenv("SVD_GEO_STORE", str(config.store_path))
    monkeypatch.setenv("SVD_GEO_MIRROR", str(config.mirror_dir))
    monkeypatch.setenv("SVD_GEO_CACHE", str(config.cache_dir))
    monkeypatch.setenv("SVD_GEO_OFFLINE", "1")
    return config
