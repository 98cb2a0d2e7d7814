"""ui.cache: the app's cache helpers, run with Streamlit's AppTest."""

from __future__ import annotations

import shutil

from tests.support.app import run_app


def test_first_views_built_at_start_are_what_the_first_visit_shows(app_env, demo_store_path, monkeypatch):
    from svd_geo.store.geopackage import GeoPackageStore
    from ui import cache as ui_cache

    shutil.copy(demo_store_path, app_env.store_path)
    ui_cache.warm_first_views()
    built, read = [], []
    build = ui_cache.build_map_layers
    monkeypatch.setattr(ui_cache, "build_map_layers", lambda *a, **k: built.append(a[1]) or build(*a, **k))
    read_incidents = GeoPackageStore.incidents
    monkeypatch.setattr(GeoPackageStore, "incidents", lambda self: read.append(self) or read_incidents(self))
    run_app("pages/overview.py")
    at = run_app("pages/map.py")
    assert "Counting sources: all partners" in "\n".join(c.value for c in at.caption)
    assert built == []  # both pages' layers came from the warm-up
    assert read == []  # and so did the incidents
