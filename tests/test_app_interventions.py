"""The Interventions page through AppTest: coverage shown, import, a drawn place saved, edit, remove."""

from __future__ import annotations

import shutil

from svd_geo.store.geopackage import open_store
from ui import state as keys

from .test_app import run_app, texts

PLACES_CSV = (
    b"name,partner,type,start_date,end_date,latitude,longitude,radius_m\n"
    b"Knife arch at the bus station,Police,knife arch,2024-06-01,,53.1436,-1.1960,150\n"
    b"No radius,Police,patrol,2024-06-01,,53.1436,-1.1960,\n"
)
BIGGER = {
    "type": "Polygon",
    "coordinates": [[[-1.21, 53.13], [-1.18, 53.13], [-1.18, 53.15], [-1.21, 53.13]]],
}
DRAWN = {
    "type": "Polygon",
    "coordinates": [[[-1.20, 53.14], [-1.19, 53.14], [-1.19, 53.145], [-1.20, 53.14]]],
}


def names(store_path) -> list[str]:
    return sorted(open_store(store_path).interventions()["name"])


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
