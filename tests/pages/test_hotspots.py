"""The hotspots page (pages/hotspots.py), run with Streamlit's AppTest."""

from __future__ import annotations

import shutil

import pytest

from svd_geo.store.backends import open_store
from tests.support.app import run_app
from ui import state as keys


@pytest.mark.parametrize(
    ("method", "words"),
    [("kde", "Kernel density: quartic, 250 m"), ("dbscan", "DBSCAN: 150 m"), ("gistar", "Gi*: lsoa")],
)
def test_hotspots_page_methods(app_env, demo_store_path, method, words):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/hotspots.py")
    at.radio(key=keys.KEY_HS_METHOD).set_value(method).run()
    assert not at.exception, [e.value for e in at.exception]
    assert words.lower() in "\n".join(c.value for c in at.caption).lower()
    assert len(at.get("download_button")) >= 4
    at.toggle(key=keys.KEY_PRESENT).set_value(True).run()
    assert not at.get("download_button")


@pytest.mark.parametrize("method", ["kde", "dbscan"])
def test_hotspots_page_says_how_many_incidents_were_used_and_why_not_the_rest(
    app_env, demo_store_path, method
):
    shutil.copy(demo_store_path, app_env.store_path)
    incidents = open_store(app_env.store_path).incidents()
    located = int(incidents["easting_m"].notna().sum())
    assert 0 < located < len(incidents)  # the demo has area-only records (health and youth)
    at = run_app("pages/hotspots.py")
    at.radio(key=keys.KEY_HS_METHOD).set_value(method).run()
    captions = "\n".join(c.value for c in at.caption)
    assert f"{located:,} of {len(incidents):,} incidents have a point and were used" in captions
    assert f"the other {len(incidents) - located:,} are recorded only to an area" in captions
    assert "results from" not in captions


def test_hotspots_page_lists_the_repeat_locations_of_the_view(app_env, demo_store_path, session_config):
    from svd_geo.analyses.repeats import repeat_locations
    from svd_geo.store.backends import open_store
    from svd_geo.views.hotspots import REPEAT_MIN_INCIDENTS

    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/hotspots.py")
    assert "Repeat locations" in [s.value for s in at.subheader]
    expected = repeat_locations(open_store(app_env.store_path).incidents(), session_config,
                                min_incidents=REPEAT_MIN_INCIDENTS)  # fmt: skip
    shown = next(d.value for d in at.dataframe if "trend" in d.value.columns)
    assert shown["incidents"].tolist() == expected["incidents"].tolist() and len(shown) > 0
