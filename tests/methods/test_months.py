"""svd_geo.methods.months."""

from __future__ import annotations

import pandas as pd
import pytest

from svd_geo.methods.months import describe_seasonality, monthly_counts, partial_last_month, seasonality
from svd_geo.select.filters import View
from svd_geo.views.overview import choose_period
from tests.support.months import _records_to_the_first_of_july


def test_monthly_counts_include_empty_months():
    incidents = pd.DataFrame(
        {
            "occurred": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-04-02"]),
            "source": ["police", "ed", "police"],
        }
    )
    table = monthly_counts(incidents)
    assert table["incidents"].tolist() == [2, 0, 0, 1]
    split = monthly_counts(incidents, by="source")
    assert len(split) == 8 and split["incidents"].sum() == 3


@pytest.mark.parametrize(
    ("dates", "precisions", "expected"),
    [
        (["2024-01-05", "2024-02-10", "2024-02-14 22:00"], ["date", "date", "datetime"], "2024-02-14"),
        (["2024-01-05", "2024-02-29 23:10"], ["date", "datetime"], None),  # runs to the month's end
        (["2024-01-01", "2024-02-01"], ["month", "month"], None),  # police.uk months cannot tell
        (["2024-01-20", "2024-02-01"], ["date", "month"], None),  # no day-dated record in February
    ],
)
def test_a_last_month_cut_short_is_found(dates, precisions, expected):
    incidents = pd.DataFrame(
        {"occurred": pd.to_datetime(dates, format="ISO8601"), "occurred_precision": precisions}
    )
    found = partial_last_month(incidents)
    assert (None if found is None else f"{found:%Y-%m-%d}") == expected


def test_seasonality_is_a_mean_over_the_years_each_month_is_whole():
    # January-June appear three times, July-December twice, and July 2026 is a part month:
    # a sum per calendar month would show a summer drop of a third that is not there.
    records = _records_to_the_first_of_july()
    monthly = monthly_counts(records)
    seasonal = seasonality(monthly, partial_to=partial_last_month(records))
    assert seasonal["years"].tolist() == [3] * 6 + [2] * 6
    assert seasonal["month"].iloc[[0, 11]].tolist() == ["Jan", "Dec"]
    days_in = pd.Series([31, 28.33, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])  # Feb: 29 in 2024
    assert seasonal["mean incidents"].round(2).tolist() == days_in.tolist()
    assert describe_seasonality(seasonal).endswith(
        "January to June over 3 years; July to December over 2 years."
    )


def test_a_month_never_whole_has_no_mean():
    monthly = monthly_counts(pd.DataFrame({"occurred": pd.to_datetime(["2024-01-05", "2024-02-07"])}))
    seasonal = seasonality(monthly, partial_to=pd.Timestamp("2024-02-07"))
    assert seasonal["years"].tolist() == [1] + [0] * 11
    assert seasonal["mean incidents"].isna().sum() == 11
    assert "February to December not one whole month yet" in describe_seasonality(seasonal)


def test_a_period_chosen_past_the_records_is_cut_and_says_so():
    view = View(date_from="2026-05-01", date_to="2026-07-31")
    periods = choose_period(_records_to_the_first_of_july(), view)
    assert (periods.start, periods.end) == (pd.Timestamp("2026-05-01"), pd.Timestamp("2026-07-01"))
    assert periods.chosen_end == pd.Timestamp("2026-07-31")
    assert periods.previous == (pd.Timestamp("2026-02-28"), pd.Timestamp("2026-04-30"))  # as long: 62 days
    assert "You chose dates to 31 Jul 2026, but the records end on 01 Jul 2026" in periods.note(view)
    assert periods.window(view).date_to == "2026-07-01"


@pytest.mark.parametrize("date_to", ["2026-06-30", "2026-05-31"])
def test_a_period_within_the_records_is_kept(date_to):
    view = View(date_from="2026-04-01", date_to=date_to)
    periods = choose_period(_records_to_the_first_of_july(), view)
    assert periods.end == pd.Timestamp(date_to) and periods.chosen_end is None
    assert periods.note(view) == "The dates chosen in the sidebar."
