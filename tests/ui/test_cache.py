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


def test_the_map_of_a_postgis_store_reads_no_incident_rows_and_shows_what_the_geopackage_does(
    app_env, demo_store_path, demo_postgis_url, monkeypatch
):
    from svd_geo.store.postgis_reads import PostGISReads

    shutil.copy(demo_store_path, app_env.store_path)
    in_memory = run_app("pages/map.py")
    read = []
    read_incidents = PostGISReads._read_incidents
    monkeypatch.setattr(
        PostGISReads,
        "_read_incidents",
        lambda self, where, limit=None: read.append(limit) or read_incidents(self, where, limit),
    )
    monkeypatch.setenv("SVD_GEO_STORE", demo_postgis_url)
    at = run_app("pages/map.py")
    assert read == []  # areas, hotspots and the unreported comparison were counted by the server

    def shown_by(app):  # everything the page says, but the store's own name
        return [t.value for t in [*app.markdown, *app.caption] if not t.value.startswith("Store:")]

    shown = shown_by(at)
    assert shown == shown_by(in_memory)
    assert any("hotspots" in m for m in shown)  # the hotspot legend, with its count
    assert [t.value.to_dict() for t in at.dataframe] == [t.value.to_dict() for t in in_memory.dataframe]
    for app in (at, in_memory):
        app.multiselect(key="map_layers").set_value(["areas", "points", "rates"]).run()
        assert not app.exception, [e.value for e in app.exception]
    assert read == [5000]  # the points layer reads only the incidents it draws
    assert shown_by(at) == shown_by(in_memory)
    assert any("residents" in c.value for c in at.caption)  # the rate surface's note, binned by the server
