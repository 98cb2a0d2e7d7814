"""The trends page (pages/trends.py), run with Streamlit's AppTest."""

from __future__ import annotations

import datetime as dt
import shutil

from svd_geo.store.geopackage import open_store
from tests.support.app import run_app, texts
from ui import state as keys


def test_trends_page(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/trends.py")
    assert at.metric[0].value == "increasing"
    assert "has records only to" not in "\n".join(c.value for c in at.caption)
    # Cut the view on the 10th of the last month: that short month is said, and left out of the test.
    last = open_store(app_env.store_path).incidents()["occurred"].max()
    at.session_state[keys.KEY_DATE_TO] = last.to_period("M").to_timestamp().date().replace(day=10)
    at.run()
    captions = "\n".join(c.value for c in at.caption)
    assert "has records only to 10 " in captions and "the trend test leaves it out." in captions


def test_trends_page_says_a_short_selection_cannot_be_tested(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/trends.py")
    at.session_state[keys.KEY_DATE_FROM] = dt.date(2026, 4, 1)
    at.session_state[keys.KEY_DATE_TO] = dt.date(2026, 5, 31)
    at.run()
    assert not at.exception
    metric = at.metric[0]
    assert metric.value == "too few months to test a trend"
    assert "nan" not in f"{metric.value} {metric.delta}" and "this view has 2" in metric.delta
    at.toggle(key=keys.KEY_PRESENT).set_value(True).run()
    assert at.metric[0].value == "too few months to test a trend"


def test_trends_page_says_why_the_day_by_hour_matrix_is_empty(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/trends.py")
    at.session_state[keys.KEY_SOURCES] = ["police"]
    at.run()
    captions = "\n".join(c.value for c in at.caption)
    assert "None of the selected records has a time of day" in captions
    assert "Records with a time: Ambulance" in captions and "Emergency department" in captions
    assert "Police" not in captions.split("Records with a time:")[1]
    assert "from the 0 records" not in (captions + texts(at)).lower()


def test_trends_page_seasonality_is_a_mean_and_says_over_which_years(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/trends.py")
    captions = "\n".join(c.value for c in at.caption)
    assert "Mean incidents per calendar month, over the years each month is whole" in captions
    assert "January to June over 3 years" in captions
