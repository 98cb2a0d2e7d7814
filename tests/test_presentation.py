"""Presentation mode discloses no small count: not through a rate, a rank, a class break or a total."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil

import pandas as pd
import pytest

from svd_geo.select.filters import View, select_view
from svd_geo.store.geopackage import open_store
from svd_geo.views.common import area_table
from svd_geo.views.map import build_map_layers, feature_summary
from svd_geo.views.overview import withheld_cells
from ui import state as keys

from .test_app import run_app

MEETING = View(presentation=True)


@pytest.fixture(scope="module")
def few(demo_store_path, session_config):
    """A selection in which many wards hold 1 to 4 incidents."""
    incidents = open_store(demo_store_path).incidents()
    selected = select_view(incidents, View(categories=("Robbery",)), session_config)
    counts = area_table(selected, "ward", View(), session_config)["count"]
    assert counts.between(1, 4).sum() >= 3 and (counts >= 5).sum() >= 3
    return selected


def test_a_suppressed_count_has_its_rate_and_rank_suppressed_too(few, session_config):
    table = area_table(few, "ward", MEETING, session_config)
    small = table[table["count"].between(1, 4)]
    assert (small["shown"] == "<5").all()
    assert (small["shown_rate"] == "suppressed").all() and (small["shown_rank"] == "suppressed").all()
    large = table[table["count"] >= 5].iloc[0]
    assert large["shown_rate"] == f"{large['rate_per_1k']:,.1f}" and large["shown_rank"] == "1 of " + str(
        len(table)
    )
    clicked = feature_summary({"area_code": small.iloc[0]["area_code"]}, table, MEETING)
    assert clicked["Rate per 1,000 residents"] == "suppressed" and clicked["Rank"] == "suppressed"
    analyst = area_table(few, "ward", View(), session_config)
    assert not (analyst["shown_rate"] == "suppressed").any()


@pytest.mark.parametrize("measure", ["count", "rate"])
def test_class_breaks_in_meetings_start_at_the_threshold_with_one_small_class(few, session_config, measure):
    built = build_map_layers(few, MEETING, session_config, layers=("areas",), measure=measure)
    _, rows, _ = built.legends[0]
    assert rows[0][1] == "fewer than 5 incidents"
    if measure == "count":
        lows = [float(re.match(r"([\d,.]+) –", text).group(1).replace(",", "")) for _, text in rows[1:]]
        assert min(lows) >= 5
    texts = [text for _, text in rows]
    assert "0 – 0" not in texts and "0.0 – 0.0" not in texts and "1 – 1" not in texts


def test_counts_in_analyst_legends_are_whole_numbers(few, session_config):
    built = build_map_layers(few, View(), session_config, layers=("areas",))
    _, rows, _ = built.legends[0]
    assert all(re.fullmatch(r"\d[\d,]* – \d[\d,]*", text) for _, text in rows)
    ranges = [[int(n.replace(",", "")) for n in text.split(" – ")] for _, text in rows]
    assert all(high < next_low for (_, high), (next_low, _) in itertools.pairwise(ranges))


def test_a_total_beside_one_small_count_withholds_another():
    counts = pd.DataFrame(
        {"this period": [120, 3, 40, 0], "previous period": [100, 12, 30, 0]},
        index=["police", "youth", "ed", "council"],
    )
    counts.loc["all partners"] = counts.sum()
    withheld = withheld_cells(counts, MEETING)
    # youth's 3 is small; with the total it would be 163 - 120 - 40: ed's 40, the smallest other, goes too.
    assert withheld["this period"].tolist() == [False, True, True, False, False]
    assert not withheld["previous period"].any()
    assert not withheld_cells(counts, View()).to_numpy().any()


def test_two_small_counts_protect_each_other():
    counts = pd.DataFrame({"this period": [120, 3, 2]}, index=["police", "youth", "ed"])
    counts.loc["all partners"] = counts.sum()
    assert withheld_cells(counts, MEETING)["this period"].tolist() == [False, True, True, False]


def test_overview_in_meetings_withholds_changes_of_a_suppressed_count_and_shows_large_tables(
    app_env, demo_store_path
):
    from svd_geo.views.overview import build_overview

    shutil.copy(demo_store_path, app_env.store_path)
    incidents = open_store(app_env.store_path).incidents()

    def smallest_partner(first: dt.date) -> int:
        week = View(date_from=f"{first}", date_to=f"{first + dt.timedelta(days=6)}")
        table = build_overview(incidents, week, app_env).by_partner.iloc[:-1]
        return min(int(str(n).replace(",", "")) for n in table["this period"])

    first = next(d for d in (dt.date(2026, 6, day) for day in range(1, 24)) if 1 <= smallest_partner(d) <= 4)
    at = run_app("pages/overview.py")
    at.toggle(key=keys.KEY_PRESENT).set_value(True).run()
    at.date_input(key=keys.KEY_DATE_FROM).set_value(first).run()
    at.date_input(key=keys.KEY_DATE_TO).set_value(first + dt.timedelta(days=6)).run()
    assert not at.exception and not at.dataframe
    by_partner = at.table[0].value
    column = by_partner["this period"].iloc[:-1]
    assert (column == "<5").sum() >= 1 and (column == "suppressed").sum() == ((column == "<5").sum() == 1)
    for _, row in by_partner.iterrows():
        if row["this period"] in {"<5", "suppressed"}:  # a small count, or one withheld beside it
            assert row["change on previous"] == "suppressed" and row["change on last year"] == "suppressed"
    css = "\n".join(m.value for m in at.markdown)
    assert re.search(r"\.stApp table.*font-size: 20px", css)
