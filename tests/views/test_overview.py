"""svd_geo.views.overview."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pandas as pd
import pytest

from svd_geo.select.filters import View
from svd_geo.store.backends import open_store
from svd_geo.views.overview import ComparedPeriods, choose_period, withheld_cells
from tests.support.app import run_app
from tests.support.months import _records_to_the_first_of_july
from tests.support.presentation import MEETING
from ui import state as keys


def test_overview_period_is_three_whole_months_by_default(demo, session_config):
    from svd_geo.views.overview import build_overview

    incidents, _ = demo
    overview = build_overview(incidents, View(), session_config)
    assert overview.periods.start == pd.Timestamp("2026-04-01")
    assert overview.periods.end == pd.Timestamp("2026-06-30")
    assert overview.periods.previous == (pd.Timestamp("2026-01-01"), pd.Timestamp("2026-03-31"))
    assert overview.periods.describe_comparisons() == (
        "Previous period: 01 Jan 2026 to 31 Mar 2026. Same period last year: 01 Apr 2025 to 30 Jun 2025."
    )
    totals = overview.by_partner.set_index("partner").loc["all partners"]
    in_period = incidents[(incidents["occurred"] >= "2026-04-01") & (incidents["occurred"] < "2026-07-01")]
    assert totals["this period"] == f"{len(in_period):,}"


def test_the_default_period_is_the_last_three_whole_months():
    periods = choose_period(_records_to_the_first_of_july(), View())
    assert (periods.start, periods.end) == (pd.Timestamp("2026-04-01"), pd.Timestamp("2026-06-30"))
    assert periods.chosen_end is None
    assert periods.note(View()).startswith(
        "The last 3 whole months of records (July 2026 has records only to 01 Jul 2026, so it is left out)"
    )


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


@pytest.mark.parametrize(
    ("start", "end", "previous", "last_year"),
    [
        ("2024-02-01", "2024-02-29", ("2024-01-01", "2024-01-31"), ("2023-02-01", "2023-02-28")),
        ("2026-01-01", "2026-03-31", ("2025-10-01", "2025-12-31"), ("2025-01-01", "2025-03-31")),
        ("2026-01-10", "2026-01-19", ("2025-12-31", "2026-01-09"), ("2025-01-10", "2025-01-19")),
    ],
)
def test_whole_months_are_compared_with_whole_months_and_other_periods_with_as_many_days(
    start, end, previous, last_year
):
    periods = ComparedPeriods(pd.Timestamp(start), pd.Timestamp(end))
    assert periods.previous == tuple(pd.Timestamp(day) for day in previous)
    assert periods.last_year == tuple(pd.Timestamp(day) for day in last_year)
