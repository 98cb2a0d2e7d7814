"""svd_geo.views.deprivation."""

from __future__ import annotations

from svd_geo.select.filters import View
from svd_geo.views.deprivation import deprivation_caption, deprivation_figure
from tests.support.deprivation import RATES


def test_a_meeting_sees_no_bar_for_a_small_count():
    assert list(deprivation_figure(RATES, View(presentation=True)).data[0].x) == [1, 3]
    assert list(deprivation_figure(RATES, View()).data[0].x) == [1, 2, 3]


def test_the_caption_gives_the_ratio_with_its_interval_and_what_was_left_out():
    caption = deprivation_caption(RATES, View())
    assert (
        "decile 1 (the most deprived present) has 2.0 times (95% interval 1.3 to 3.1) the rate of decile 3"
        in caption
    )
    assert "7 incidents have no LSOA of the study area" in caption


def test_weighted_rates_add_harm_diamonds_on_the_right_axis_and_say_the_harm_ratio():
    from dataclasses import replace

    harmed = RATES.table.assign(harm=[600.0, 9.0, 150.0], harm_per_1k=[100.0, 1.8, 50.0])
    rates = replace(RATES, table=harmed, harm_ratio=2.0)
    bars, diamonds = deprivation_figure(rates, View(presentation=True)).data
    assert list(diamonds.x) == list(bars.x) == [1, 3] and list(diamonds.y) == [100.0, 50.0]
    assert diamonds.yaxis == "y2"
    assert "decile 1 has 2.0 times the harm per resident of decile 3" in deprivation_caption(rates, View())
    assert len(deprivation_figure(RATES, View()).data) == 1
