"""svd_geo.methods.displacement."""

from __future__ import annotations

import math

import numpy as np
import pytest

from svd_geo.methods.displacement import (
    describe_wdq,
    difference_in_differences,
    weighted_displacement_quotient,
)


def test_wdq_and_did_on_a_worked_example():
    # Place 100 -> 60, buffer 50 -> 45, comparison 1000 -> 1000.
    wdq = weighted_displacement_quotient((100, 60), (50, 45), (1000, 1000))
    assert wdq == pytest.approx((45 / 1000 - 50 / 1000) / (60 / 1000 - 100 / 1000))  # 0.125
    assert describe_wdq(wdq) == "diffusion of benefit to the buffer"
    did = difference_in_differences(100, 60, 1000, 1000)
    assert did.change_beyond_expected == pytest.approx(-40)
    assert did.odds_ratio == pytest.approx(0.6)
    assert did.z == pytest.approx(math.log(0.6) / math.sqrt(1 / 100 + 1 / 60 + 1 / 1000 + 1 / 1000))
    assert did.p == pytest.approx(0.00255, abs=5e-5)


@pytest.mark.parametrize(
    ("buffer", "reading"),
    [
        ((50, 100), "displacement to the buffer larger than the direct benefit"),
        ((50, 70), "some displacement to the buffer, smaller than the direct benefit"),
        ((50, 50), "no displacement or diffusion"),
        ((50, 5), "diffusion of benefit larger than the direct effect"),
    ],
)
def test_wdq_readings(buffer, reading):
    assert describe_wdq(weighted_displacement_quotient((100, 60), buffer, (1000, 1000))) == reading


def test_wdq_not_read_when_the_place_got_worse():
    wdq = weighted_displacement_quotient((60, 100), (50, 45), (1000, 1000))
    assert np.isnan(wdq) and describe_wdq(wdq).startswith("not applicable")
