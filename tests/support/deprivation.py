"""Helpers and fixtures for analyses/test_deprivation.py and views/test_deprivation.py.

They build what those tests share: rates by decile with one small count, as a meeting must not see it.
"""

from __future__ import annotations

import pandas as pd

from svd_geo.analyses.deprivation import DeprivationRates, RateRatio

RATES = DeprivationRates(
    "imd", "Index of Multiple Deprivation 2019",
    pd.DataFrame({"decile": [1, 2, 3], "lsoas": [4, 3, 2], "residents": [6000.0, 5000.0, 3000.0],
                  "incidents": [120, 3, 30], "rate_per_1k": [20.0, 0.6, 10.0], "rate_low": [16.6, 0.12, 6.7],
                  "rate_high": [23.9, 1.75, 14.3]}),
    RateRatio(1, 3, 2.0, 1.3, 3.1), 7,
)  # fmt: skip
