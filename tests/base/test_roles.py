"""svd_geo.base.roles: each role against the store's writes, the downloads, the command line and the pages."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from svd_geo.base.errors import PermissionDeniedError
from svd_geo.base.roles import ROLES, may, require_role, role_from_environment
from svd_geo.store.backends import open_store
from tests.support.cli import SVD_GEO
from tests.support.store import SAMPLE


def test_each_role_may_what_the_one_before_it_may(monkeypatch):
    assert [may(role, "analyst") for role in ROLES] == [False, True, True]
    with pytest.raises(
        PermissionDeniedError, match=r"your role \(viewer\) may not export files; an analyst can"
    ):
        require_role("viewer", "analyst", "export files")
    monkeypatch.delenv("SVD_GEO_ROLE", raising=False)
    assert role_from_environment() == "admin"  # a local single-user run
    monkeypatch.setenv("SVD_GEO_ROLE", "boss")
    with pytest.raises(ValueError, match="SVD_GEO_ROLE='boss': choose one of viewer, analyst, admin"):
        role_from_environment()


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_only_an_admin_changes_the_store_and_a_refusal_changes_nothing(role, store_location, prepared_sample):
    admin = open_store(store_location, role="admin")
    imported = admin.add_import(prepared_sample)
    store = open_store(store_location, role=role)
    before = store.counts()
    for change in (
        lambda: store.add_import(prepared_sample),
        lambda: store.remove_import(imported.import_id),
        lambda: store.add_interventions(store.interventions()),
        lambda: store.remove_intervention(1),
    ):
        with pytest.raises(PermissionDeniedError, match=f"your role \\({role}\\) may not"):
            change()
    assert store.counts() == before and len(store.audit()) == 1


def test_downloads_need_an_analyst(demo_store_path, session_config):
    from svd_geo.analyses.params import HotspotParams
    from svd_geo.analyses.run import run_hotspots
    from svd_geo.select.filters import View
    from svd_geo.views.hotspots import hotspot_download

    run = run_hotspots(open_store(demo_store_path).incidents(), HotspotParams(), session_config)
    with pytest.raises(PermissionDeniedError, match=r"your role \(viewer\) may not export files"):
        hotspot_download(run, ".csv", View(role="viewer"))
    assert hotspot_download(run, ".csv", View(role="analyst")).startswith(b"hotspot_id,name")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("viewer", {"briefing"}), ("analyst", {"briefing", "hotspots", "audit"}),
     ("admin", {"briefing", "hotspots", "audit", "ingest"})],
)  # fmt: skip
def test_the_command_line_lets_each_role_do_only_its_own(role, allowed, config, demo_store_path, tmp_path):
    store = tmp_path / "store.gpkg"
    shutil.copy(demo_store_path, store)
    env = {**os.environ, "SVD_GEO_ROLE": role, "SVD_GEO_MIRROR": str(config.mirror_dir),
           "SVD_GEO_CACHE": str(config.cache_dir), "SVD_GEO_OFFLINE": "1", "SVD_GEO_STORE": str(store)}  # fmt: skip
    commands = {
        "briefing": ["briefing", "--out", str(tmp_path / "pack.html")],
        "hotspots": ["hotspots", "--method", "kde", "--out", str(tmp_path / "h.gpkg")],
        "audit": ["audit"],
        "ingest": ["ingest", str(SAMPLE), "--source", "police"],
    }
    for name, args in commands.items():
        result = subprocess.run([SVD_GEO, *args], capture_output=True, text=True, env=env, timeout=300)
        assert (result.returncode == 0) == (name in allowed), (name, result.stderr)
        if name not in allowed:
            assert f"your role ({role}) may not" in result.stderr and "Traceback" not in result.stderr


def test_a_viewer_cannot_open_the_data_page_even_by_its_url(app_env, demo_store_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from svd_geo.base.config import PROJECT_ROOT
    from tests.support.app import APP

    shutil.copy(demo_store_path, app_env.store_path)
    monkeypatch.setenv("SVD_GEO_ROLE", "viewer")
    app = AppTest.from_file(APP, default_timeout=120).run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("pages/data.py")  # not in a viewer's page list
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "data.py"), default_timeout=120).run()  # its URL
    assert "Your role (viewer) may not open the Data page; an analyst can." in [e.value for e in at.error]
    assert not at.metric and not at.file_uploader
