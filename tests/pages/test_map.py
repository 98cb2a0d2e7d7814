"""The map page (pages/map.py), run with Streamlit's AppTest."""

from __future__ import annotations

import shutil

from svd_geo.views.map import LAYER_LABELS
from tests.support.app import run_app, texts
from ui import state as keys


def test_map_page_on_empty_store_shows_guidance(app_env):
    at = run_app("pages/map.py")
    assert "The store is empty" in texts(at)


def test_map_page_and_filters(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/map.py")
    assert "Counting sources: all partners" in "\n".join(c.value for c in at.caption)
    # AppTest drops the entry script's sidebar from its tree after a page switch, so the
    # filter is set through session state, which is what the widget writes.
    at.session_state[keys.KEY_SOURCES] = ["police"]
    at.run()
    assert not at.exception
    assert "Counting sources: police" in "\n".join(c.value for c in at.caption)


def test_presentation_mode_hides_points(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/map.py")
    points = LAYER_LABELS["points"]
    assert points in at.multiselect(key=keys.KEY_MAP_LAYERS).options
    at.toggle(key=keys.KEY_PRESENT).set_value(True).run()
    assert not at.exception
    assert points not in at.multiselect(key=keys.KEY_MAP_LAYERS).options


def test_map_page_ranks_the_areas_where_health_records_outnumber_police_ones(
    app_env, demo_store_path, session_config
):
    from svd_geo.analyses.unreported import unreported_violence
    from svd_geo.select.filters import View
    from svd_geo.store.backends import open_store

    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/map.py")
    assert "Violence the police never hear of" in [s.value for s in at.subheader]
    result = unreported_violence(open_store(app_env.store_path).incidents(), session_config, level="ward")
    shown = at.dataframe[-1].value
    assert shown["area"].tolist() == result.shown(View()).head(15)["area"].tolist()
    assert "Health records are never shown as points." in "\n".join(c.value for c in at.caption)
