"""svd_geo.views.deprivation."""

from __future__ import annotations

import pandas as pd

from svd_geo.analyses.deprivation import DeprivationRates, RateRatio
from svd_geo.select.filters import View
from svd_geo.views.deprivation import deprivation_caption, deprivation_figure, deprivation_table

RATES = DeprivationRates(
    "imd", "Index of Multiple Deprivation 2019",
    pd.DataFrame({"decile": [1, 2, 3], "lsoas": [4, 3, 2], "residents": [6000.0, 5000.0, 3000.0],
                  "incidents": [120, 3, 30], "rate_per_1k": [20.0, 0.6, 10.0], "rate_low": [16.6, 0.12, 6.7],
                  "rate_high": [23.9, 1.75, 14.3]}),
    RateRatio(1, 3, 2.0, 1.3, 3.1), 7,
)  # fmt: skip


def test_a_meeting_sees_no_small_count_nor_its_rate_in_the_table_or_the_chart():
    meeting = View(presentation=True)
    table = deprivation_table(RATES, meeting)
    assert table["incidents"].tolist() == ["120", "<5", "30"]
    assert table["per 1,000 residents (95% interval)"].tolist()[1] == "suppressed"
    assert list(deprivation_figure(RATES, meeting).data[0].x) == [1, 3]
    analyst = deprivation_table(RATES, View())
    assert analyst["per 1,000 residents (95% interval)"].tolist()[1] == "0.6 (0.1 to 1.8)"
    assert list(deprivation_figure(RATES, View()).data[0].x) == [1, 2, 3]


def test_the_caption_gives_the_ratio_with_its_interval_and_what_was_left_out():
    caption = deprivation_caption(RATES, View())
    assert (
        "decile 1 (the most deprived present) has 2.0 times (95% interval 1.3 to 3.1) the rate of decile 3"
        in caption
    )
    assert "7 incidents have no LSOA of the study area" in caption
