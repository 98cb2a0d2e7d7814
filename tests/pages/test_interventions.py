"""The interventions page (pages/interventions.py), run with Streamlit's AppTest."""

from __future__ import annotations

import shutil

from svd_geo.store.backends import open_store
from tests.support.app import run_app, texts
from tests.support.app_interventions import BIGGER, DRAWN, PLACES_CSV, names
from ui import state as keys


def test_coverage_figures_and_tables(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/interventions.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Hotspot area covered"].endswith("%")
    assert int(metrics["Uncovered hotspots"]) >= 1
    assert "intervention places active" in "\n".join(c.value for c in at.caption)
    shown = "\n".join(t.value for t in at.text)
    assert "In the place:" in shown or "Not compared" in shown
    assert len(at.get("download_button")) == 8  # four formats, each with its metadata


def test_import_draw_edit_and_remove(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/interventions.py")
    at.file_uploader(key=keys.KEY_PLACES_UPLOAD).set_value(("places.csv", PLACES_CSV, "text/csv")).run()
    at.button(key=keys.KEY_PLACES_IMPORT).click().run()
    assert not at.exception
    assert "Imported 1 places from places\\.csv; 1 rows set aside." in texts(at)
    assert "Knife arch at the bus station" in names(app_env.store_path)

    at.session_state[keys.KEY_PLACES_DRAWN] = DRAWN  # what st_folium hands back for a drawn polygon
    at.run()
    at.text_input(key="drawn_" + keys.KEY_PLACE_NAME).input("Drawn patrol zone").run()
    at.button(key=keys.KEY_PLACE_SAVE).click().run()
    assert "no partner: say who runs it" in texts(at)  # a drawn place needs its partner
    assert "Drawn patrol zone" not in names(app_env.store_path)
    at.text_input(key="drawn_" + keys.KEY_PLACE_PARTNER).input("Nottinghamshire Police").run()
    at.button(key=keys.KEY_PLACE_SAVE).click().run()
    assert not at.exception and "Saved Drawn patrol zone." in texts(at)
    assert "Drawn patrol zone" in names(app_env.store_path)
    assert at.session_state[keys.KEY_PLACES_DRAWN] is None

    places = open_store(app_env.store_path).interventions()
    drawn_id = int(places.loc[places["name"] == "Drawn patrol zone", "id"].iloc[0])
    at.selectbox(key=keys.KEY_PLACE_PICK).set_value(drawn_id).run()
    at.text_input(key=f"edit{drawn_id}_" + keys.KEY_PLACE_NAME).input("Renamed zone").run()
    at.button(key=keys.KEY_PLACE_EDIT).click().run()
    assert "Renamed zone" in names(app_env.store_path) and "Drawn patrol zone" not in names(
        app_env.store_path
    )

    renamed = open_store(app_env.store_path).interventions()
    renamed_id = int(renamed.loc[renamed["name"] == "Renamed zone", "id"].iloc[0])
    old_area = float(renamed.loc[renamed["id"] == renamed_id].area.iloc[0])
    at.selectbox(key=keys.KEY_PLACE_PICK).set_value(renamed_id).run()
    at.session_state[keys.KEY_PLACES_DRAWN] = BIGGER  # a new outline drawn on the map
    at.run()
    at.button(key=keys.KEY_PLACE_RESHAPE).click().run()
    assert not at.exception and "Gave Renamed zone its new shape." in texts(at)
    reshaped = open_store(app_env.store_path).interventions()
    assert reshaped.loc[reshaped["name"] == "Renamed zone"].area.iloc[0] > 2 * old_area
    renamed_id = int(reshaped.loc[reshaped["name"] == "Renamed zone", "id"].iloc[0])
    at.selectbox(key=keys.KEY_PLACE_PICK).set_value(renamed_id).run()
    at.checkbox(key=keys.KEY_PLACE_REMOVE_CONFIRM).check().run()
    at.button(key=keys.KEY_PLACE_REMOVE).click().run()
    assert not at.exception and "Removed Renamed zone." in texts(at)
    assert "Renamed zone" not in names(app_env.store_path)


def test_before_after_says_its_verdict_first_follows_the_filters_and_names_what_it_counted(
    app_env, demo_store_path
):
    shutil.copy(demo_store_path, app_env.store_path)
    places = open_store(app_env.store_path).interventions()
    patrol = int(places.loc[places["name"].str.contains("patrol zone"), "id"].iloc[0])
    at = run_app("pages/interventions.py")
    at.selectbox(key=keys.KEY_BEFORE_AFTER).set_value(patrol).run()
    verdict = at.info[0].value
    assert verdict.startswith(("Too few incidents to tell", "No clear change", "Incidents in the place"))
    lines = at.text[0].value.splitlines()
    assert lines[0].startswith("Counted: ") and "left out: Police records" in lines[0]
    everything = lines
    at.session_state[keys.KEY_CATEGORIES] = ["Robbery"]
    at.checkbox(key=keys.KEY_BEFORE_AFTER_OWN).check().run()
    lines = at.text[0].value.splitlines()
    assert lines[0] == "Counted: Police records, Robbery, every date."
    assert lines != everything
    terms = "\n".join(c.value for c in at.caption)
    assert (
        "Odds ratio:" in terms and "p: how likely" in terms and "WDQ (weighted displacement quotient" in terms
    )


def test_the_same_places_imported_twice_are_refused_and_the_last_message_cleared(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    before = names(app_env.store_path)
    at = run_app("pages/interventions.py")
    at.file_uploader(key=keys.KEY_PLACES_UPLOAD).set_value(("places.csv", PLACES_CSV, "text/csv")).run()
    at.button(key=keys.KEY_PLACES_IMPORT).click().run()
    assert "Imported 1 places from places\\.csv" in texts(at)
    at.button(key=keys.KEY_PLACES_IMPORT).click().run()
    shown = texts(at)
    assert "1 of 1 places are already stored" in shown and "'Knife arch at the bus station'" in shown
    assert "Imported 1 places" not in shown
    assert names(app_env.store_path) == sorted([*before, "Knife arch at the bus station"])
