"""ui.filters: the app's filters helpers, run with Streamlit's AppTest."""

from __future__ import annotations

import shutil

from streamlit.testing.v1 import AppTest

from tests.support.app import APP, run_app
from ui import state as keys


def test_a_pasted_link_reopens_the_view(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["sources"] = "ambulance"
    at.query_params["date_from"] = "2025-01-01"
    at.query_params["mode"] = "present"
    at.run()
    assert not at.exception
    assert at.multiselect(key=keys.KEY_SOURCES).value == ["ambulance"]
    assert at.toggle(key=keys.KEY_PRESENT).value is True
    captions = "\n".join(c.value for c in at.caption)
    assert "From the date chosen in the sidebar to the end of the last whole month of records." in captions
    assert "sources: ambulance; categories: all; 2025-01-01 to 2026-06-30" in captions


def test_place_and_time_filters_reach_the_view_and_the_link(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["districts"] = "E07000174"
    at.query_params["days"] = ["4", "5"]
    at.query_params["hours"] = "20-24"
    at.run()
    assert not at.exception
    assert at.multiselect(key=keys.KEY_DISTRICTS).value == ["E07000174"]
    assert at.multiselect(key=keys.KEY_WEEKDAYS).value == [4, 5]
    assert at.slider(key=keys.KEY_HOURS).value == (20, 24)
    ward_options = at.multiselect(key=keys.KEY_WARDS).options
    assert (
        "Abbott" in ward_options and "Kirkby Cross & Portland" not in ward_options
    )  # Mansfield's wards only
    caption = "\n".join(c.value for c in at.caption)
    assert "districts E07000174" in caption and "days Fri, Sat" in caption and "20:00 to 24:00" in caption


def test_a_harm_weighting_chosen_in_the_sidebar_ranks_the_areas_and_rides_in_the_link(
    app_env, demo_store_path
):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/overview.py")
    at.selectbox(key=keys.KEY_HARM).set_value("css").run()
    assert not at.exception, [e.value for e in at.exception]
    wards = at.dataframe[1].value
    assert list(wards.columns) == ["Area", "Incidents", "Per 1,000 residents", "Harm"]
    assert wards["Harm"].is_monotonic_decreasing
    assert at.query_params["harm"] == "css"
    assert "weighted by ONS Crime Severity Score" in "\n".join(c.value for c in at.caption)
    linked = AppTest.from_file(APP, default_timeout=120)
    linked.query_params["harm"] = "cchi"
    linked.run()
    assert linked.selectbox(key=keys.KEY_HARM).value == "cchi"
