"""svd_geo.views.trends."""

from __future__ import annotations

import pandas as pd

from svd_geo.views.trends import monthly_figure
from tests.support.trends_view import _monthly


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


def test_emerging_hexagons_are_named_by_their_ward_hot_spots_first(demo_store_path, session_config):
    from svd_geo.store.backends import open_store
    from svd_geo.views.trends import build_trends_view

    incidents = open_store(demo_store_path).incidents()
    figures = build_trends_view(incidents, session_config, areas="hex:500")
    table = figures.emerging_areas
    assert len(table) and not table["area"].str.startswith("hex500_").any()
    assert table["area"].str.startswith("hexagon in ").all()
    cold = table["category"].str.contains("cold").tolist()
    assert cold == sorted(cold)  # hot spots (False) before cold spots (True)


def test_the_caption_says_the_series_count_incidents_when_the_view_weighs_harm():
    from svd_geo.select.filters import View
    from svd_geo.views.trends import trends_caption

    assert trends_caption(View()) == f"Counting {View().describe()}."
    weighted = trends_caption(View(harm="css"))
    assert weighted.startswith(f"Counting {View().describe()}.") and "weighted by" not in weighted
    assert "count incidents; the harm weights (ONS Crime Severity Score" in weighted
