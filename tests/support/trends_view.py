"""Helpers and fixtures for views/test_trends.py.

They build what those tests share: the Trends page's figures and words: part months drawn hollow, untestable trends said plainly.
"""

from __future__ import annotations

import pandas as pd


def _monthly() -> pd.DataFrame:
    months = list(pd.date_range("2026-01-01", "2026-07-01", freq="MS"))
    return pd.DataFrame({
        "month": months * 2, "source": ["police"] * 7 + ["ed"] * 7,
        "incidents": [100, 110, 105, 98, 120, 115, 3, 40, 42, 39, 41, 44, 43, 2],
    })  # fmt: skip
