"""Helpers and fixtures for methods/test_months.py, views/test_overview.py.

They build what those tests share: monthly series: counts per month, the short last month, seasonality and the Overview's period.
"""

from __future__ import annotations

import pandas as pd


def _records_to_the_first_of_july() -> pd.DataFrame:
    """Day-dated records from January 2024 to 30 June 2026, and a few after midnight on 1 July."""
    days = pd.date_range("2024-01-01", "2026-06-30", freq="D")
    occurred = [*days, *[pd.Timestamp("2026-07-01 01:30")] * 6]
    return pd.DataFrame({"occurred": occurred, "occurred_precision": "date", "incidents": 1})
