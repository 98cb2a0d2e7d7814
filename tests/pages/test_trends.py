"""The trends page (pages/trends.py), run with Streamlit's AppTest."""

from __future__ import annotations

import datetime as dt
import shutil

from svd_geo.store.backends import open_store
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


def test_trends_page_shows_rates_by_deprivation_decile_and_the_crime_domain(
    app_env, demo_store_path, session_config
):
    from svd_geo.analyses.deprivation import deprivation_rates

    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/trends.py")
    expected = deprivation_rates(open_store(app_env.store_path).incidents(), session_config)
    shown = at.dataframe[-1].value
    assert shown["incidents"].tolist() == [f"{n:,}" for n in expected.table["incidents"]]
    assert shown["decile"].iloc[0] == "1 (most deprived)"
    captions = "\n".join(c.value for c in at.caption)
    assert (
        f"has {expected.ratio.ratio:.1f} times" in captions
        and "Index of Multiple Deprivation 2019" in captions
    )
    at.radio(key=keys.KEY_DEPRIVATION).set_value("crime:2019").run()
    assert "By the Crime domain of the Indices of Deprivation 2019" in "\n".join(c.value for c in at.caption)
