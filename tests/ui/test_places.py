"""ui.places: the app's places helpers, run with Streamlit's AppTest."""

from __future__ import annotations

import shutil

from svd_geo.store.backends import open_store
from tests.support.app import run_app, texts
from tests.support.app_interventions import DRAWN, names
from ui import state as keys


def test_a_drawn_place_without_a_name_is_refused_and_nothing_stored(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    before = names(app_env.store_path)
    at = run_app("pages/interventions.py")
    at.session_state[keys.KEY_PLACES_DRAWN] = DRAWN
    at.run()
    at.button(key=keys.KEY_PLACE_SAVE).click().run()
    assert "no name" in "\n".join(e.value for e in at.error)
    assert names(app_env.store_path) == before


def test_presentation_mode_is_read_only(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/interventions.py")
    at.toggle(key=keys.KEY_PRESENT).set_value(True).run()
    assert not at.exception
    assert not at.get("download_button") and not at.get("file_uploader")
    assert not at.dataframe  # large-type tables in meetings
    assert "partner" not in at.table[1].value.columns


def test_the_drawing_form_asks_for_start_first_and_starts_on_the_last_day_of_the_records(
    app_env, demo_store_path
):
    shutil.copy(demo_store_path, app_env.store_path)
    last = open_store(app_env.store_path).incidents()["occurred"].max().date()
    at = run_app("pages/interventions.py")
    at.session_state[keys.KEY_PLACES_DRAWN] = DRAWN
    at.run()
    labels = [d.label for d in at.date_input]
    assert labels.index("Start") < labels.index("End (blank: running)")
    assert at.date_input(key="drawn_" + keys.KEY_PLACE_START).value == last


def test_an_uploaded_file_of_places_shows_its_columns_then_says_what_needs_a_start(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/interventions.py")
    places = b"Scheme,Lead,Begins,latitude,longitude,Buffer\nArch,Police,,53.1436,-1.1960,100\n"
    at.file_uploader(key=keys.KEY_PLACES_UPLOAD).set_value(("arch.csv", places, "text/csv")).run()
    preview = next(frame.value for frame in at.dataframe if list(frame.value.columns) == ["field", "column"])
    assert dict(preview.itertuples(index=False))["radius_m"] == "Buffer"
    at.button(key=keys.KEY_PLACES_IMPORT).click().run()
    assert not at.exception
    assert "1 places have no start date: they count for coverage; before/after needs one" in texts(at)


def test_an_analyst_sees_coverage_but_no_way_to_change_places(app_env, demo_store_path, monkeypatch):
    shutil.copy(demo_store_path, app_env.store_path)
    monkeypatch.setenv("SVD_GEO_ROLE", "analyst")
    at = run_app("pages/interventions.py")
    assert not at.exception
    assert "Adding and changing places needs an admin." in [c.value for c in at.caption]
    assert not at.file_uploader and keys.KEY_PLACE_SAVE not in [b.key for b in at.button]
