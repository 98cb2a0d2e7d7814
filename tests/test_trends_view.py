"""The Trends page's figures and words: part months drawn hollow, untestable trends said plainly."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd

from svd_geo.views.trends import monthly_figure
from ui import state as keys

from .test_app import run_app, texts


def _monthly() -> pd.DataFrame:
    months = list(pd.date_range("2026-01-01", "2026-07-01", freq="MS"))
    return pd.DataFrame({
        "month": months * 2, "source": ["police"] * 7 + ["ed"] * 7,
        "incidents": [100, 110, 105, 98, 120, 115, 3, 40, 42, 39, 41, 44, 43, 2],
    })  # fmt: skip


def test_the_month_the_records_stop_in_is_off_the_lines_and_hollow():
    figure = monthly_figure(_monthly(), partial_to=pd.Timestamp("2026-07-01"), color="source")
    lines = [t for t in figure.data if t.mode == "lines"]
    hollow = [t for t in figure.data if t.mode == "markers"]
    assert {t.name for t in lines} == {"Police", "Emergency department (ISTV)"}
    assert all(pd.Timestamp(max(t.x)) == pd.Timestamp("2026-06-01") for t in lines)
    assert min(min(t.y) for t in lines) == 39  # no line falls to the part month's 3 and 2
    assert sorted(int(t.y[0]) for t in hollow) == [2, 3]
    assert all(t.marker.symbol == "circle-open" for t in hollow)
    colour = {t.name: t.line.color for t in lines}
    assert {t.marker.color for t in hollow} == set(colour.values())


def test_whole_months_draw_every_month_on_the_line():
    figure = monthly_figure(_monthly(), partial_to=None, color="source")
    assert [t.mode for t in figure.data] == ["lines", "lines"]
    assert all(len(t.x) == 7 for t in figure.data)


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


def test_emerging_hexagons_are_named_by_their_ward_hot_spots_first(demo_store_path, session_config):
    from svd_geo.store.geopackage import open_store
    from svd_geo.views.trends import build_trends_view

    incidents = open_store(demo_store_path).incidents()
    figures = build_trends_view(incidents, session_config, areas="hex:500")
    table = figures.emerging_areas
    assert len(table) and not table["area"].str.startswith("hex500_").any()
    assert table["area"].str.startswith("hexagon in ").all()
    cold = table["category"].str.contains("cold").tolist()
    assert cold == sorted(cold)  # hot spots (False) before cold spots (True)
