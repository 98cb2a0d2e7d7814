"""svd_geo.outputs.breaks."""

from __future__ import annotations

import itertools
import re

import pandas as pd
import pytest

from svd_geo.outputs.breaks import class_labels
from svd_geo.select.filters import View
from svd_geo.views.map import build_map_layers
from tests.support.presentation import MEETING


@pytest.mark.parametrize("measure", ["count", "rate"])
def test_class_breaks_in_meetings_start_at_the_threshold_with_one_small_class(few, session_config, measure):
    built = build_map_layers(few, MEETING, session_config, layers=("areas",), measure=measure)
    _, rows, _ = built.legends[0]
    assert rows[0][1] == "fewer than 5 incidents"
    if measure == "count":
        lows = [float(re.match(r"([\d,.]+)", text).group(1).replace(",", "")) for _, text in rows[1:]]
        assert min(lows) >= 5
    texts = [text for _, text in rows]
    assert "0 – 0" not in texts and "0.0 – 0.0" not in texts and "1 – 1" not in texts


def test_counts_in_analyst_legends_are_whole_numbers(few, session_config):
    built = build_map_layers(few, View(), session_config, layers=("areas",))
    _, rows, _ = built.legends[0]
    assert all(re.fullmatch(r"\d[\d,]*( – \d[\d,]*)?", text) for _, text in rows)
    ends = [[int(n.replace(",", "")) for n in text.split(" – ")] for _, text in rows]
    ranges = [(numbers[0], numbers[-1]) for numbers in ends]
    assert all(high < next_low for (_, high), (next_low, _) in itertools.pairwise(ranges))


def test_a_class_of_one_value_says_just_that_value():
    values = pd.Series([0, 10, 23, 50, 50, 57, 78, 100])
    assert class_labels(values, [23.0, 50.0, 57.0, 100.0]) == ["0 – 23", "50", "57", "78 – 100"]
    shares = pd.Series([0.3, 1.5, 2.5])
    assert class_labels(shares, [0.3, 2.5]) == ["0.3", "1.5 – 2.5"]
