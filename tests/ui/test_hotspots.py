"""ui.hotspots: the app's hotspots helpers, run with Streamlit's AppTest."""

from __future__ import annotations

import shutil

from streamlit.testing.v1 import AppTest

from svd_geo.analyses.params import HotspotParams, params_from_spec
from tests.support.app import APP, run_app
from ui import state as keys
from ui.hotspots import offered


def test_the_hotspots_pages_choice_is_the_sessions_definition(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/hotspots.py")
    at.radio(key=keys.KEY_HS_METHOD).set_value("dbscan").run()
    at.slider(key=keys.KEY_HS_EPS).set_value(200.0).run()
    assert not at.exception
    assert at.session_state[keys.KEY_HOTSPOT_DEFINITION] == "dbscan;eps_m=200.0;min_samples=20"
    assert at.query_params[keys.KEY_HOTSPOT_DEFINITION] == "dbscan;eps_m=200.0;min_samples=20"
    # The Interventions page counts coverage of that definition, and says so.
    at.switch_page("pages/interventions.py").run()
    assert not at.exception
    assert "DBSCAN: 200 m radius, 20 incidents per core point" in "\n".join(c.value for c in at.caption)


def test_a_link_carries_the_hotspot_definition(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params[keys.KEY_HOTSPOT_DEFINITION] = "kde;kernel=gaussian;bandwidth_m=400;threshold=p95"
    at.run()
    assert not at.exception
    words = "kernel density: gaussian, 400 m bandwidth, hotspots the top 5% of cells"
    assert words in "\n".join(c.value for c in at.caption)
    at.switch_page("pages/hotspots.py").run()
    assert at.slider(key=keys.KEY_HS_BANDWIDTH).value == 400.0
    assert at.selectbox(key=keys.KEY_HS_KERNEL).value == "gaussian"
    # A value no widget offers (or a file path as areas) falls back to the defaults.
    assert (
        HotspotParams.describe(offered(params_from_spec("gistar;areas=/etc/passwd")))
        == HotspotParams(method="gistar").describe()
    )


def test_a_new_hotspot_definition_reuses_the_layers_that_do_not_draw_it(
    app_env, demo_store_path, monkeypatch
):
    import ui.cache as ui_cache

    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/hotspots.py")
    built = []
    build = ui_cache.build_map_layers
    monkeypatch.setattr(
        ui_cache, "build_map_layers", lambda *a, **k: built.append(k["layers"]) or build(*a, **k)
    )
    at.slider(key=keys.KEY_HS_BANDWIDTH).set_value(400.0).run()
    assert not at.exception
    assert "400 m bandwidth" in "\n".join(c.value for c in at.caption)
    assert built == []  # the choropleth under the hotspots came from the cache
