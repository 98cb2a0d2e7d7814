"""svd_geo.base.vocabulary."""

from __future__ import annotations

import pytest

from svd_geo.base.vocabulary import source_of_partner


@pytest.mark.parametrize(
    ("partner", "source"),
    [
        ("Nottinghamshire Police", "police"),
        ("Nottinghamshire County Council Youth Service", "youth"),
        ("Ashfield District Council", "council"),
        ("East Midlands Ambulance Service", "ambulance"),
        ("King's Mill Hospital A&E", "ed"),
        ("Mansfield Community Trust", None),
        ("", None),
    ],
)
def test_the_partner_names_whose_records_it_makes(partner, source):
    assert source_of_partner(partner) == source
