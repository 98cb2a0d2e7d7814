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
