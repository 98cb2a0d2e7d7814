"""ui.upload: the app's upload helpers, run with Streamlit's AppTest."""

from __future__ import annotations

from svd_geo.store.backends import open_store
from tests.support.app import AMBULANCE_CSV, run_app, texts
from ui import state as keys


def test_upload_preview_import_and_remove(app_env):
    at = run_app()
    at.file_uploader(key=keys.KEY_UPLOAD).set_value(("amb.csv", AMBULANCE_CSV, "text/csv"))
    at.selectbox(key=keys.KEY_UPLOAD_SOURCE).set_value("ambulance")
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "Layout: table" in shown and "WGS84 longitude/latitude" in shown
    at.button(key=keys.KEY_IMPORT_BUTTON).click().run()
    assert not at.exception
    assert "Imported amb\\.csv as import 1: 2 rows accepted, 1 set aside." in texts(at)
    store = open_store(app_env.store_path)
    assert store.counts()["incidents"] == 2
    assert store.imports()["source"].tolist() == ["ambulance"]
    assert store.rejected(1)["reason"].str.contains("0,0").all()

    at.checkbox(key=keys.KEY_REMOVE_CONFIRM).check().run()
    at.button(key=keys.KEY_REMOVE_BUTTON).click().run()
    assert not at.exception
    assert "Removed import 1 and its 2 incidents." in texts(at)
    assert store.counts() == {"incidents": 0, "imports": 0, "interventions": 0}


def test_refused_upload_shows_the_error_and_stores_nothing(app_env):
    at = run_app()
    at.file_uploader(key=keys.KEY_UPLOAD).set_value(("notes.csv", b"a,b\n1,2\n", "text/csv")).run()
    at.button(key=keys.KEY_IMPORT_BUTTON).click().run()
    assert not at.exception
    assert any("no location columns found" in e.value for e in at.error)
    assert open_store(app_env.store_path).counts()["imports"] == 0
