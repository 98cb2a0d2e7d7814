"""svd_geo.select.grouped: a view as the filter a store applies itself, and its grouping keys."""

from __future__ import annotations

import pandas as pd
import pytest

from svd_geo.base.errors import DataValidationError
from svd_geo.select.filters import View, ward_districts
from svd_geo.select.grouped import group_keys, row_filter


def test_a_view_becomes_the_filter_select_view_applies(session_config):
    where = row_filter(
        View(sources=("police",), categories=("Robbery",), date_from="2024-02", date_to="2024-03-15",
             weekdays=(5, 6), hours=(22, 4)),
        session_config,
    )  # fmt: skip
    assert where.sources == ("police",) and where.categories == ("Robbery",)
    assert where.date_from == pd.Timestamp("2024-02-01") and where.date_to == pd.Timestamp("2024-03-16")
    assert where.weekdays == (5, 6) and where.hours == (22, 4)
    assert where.wards is None and not where.located  # every ward, and records with no ward


def test_wards_are_those_of_the_view_within_its_districts(session_config):
    districts = ward_districts(session_config)
    ashfield = set(districts.index[districts == "E07000170"])
    assert row_filter(View(districts=("E07000170",)), session_config).wards == tuple(sorted(ashfield))
    one_in, one_out = sorted(ashfield)[0], districts.index[districts == "E07000174"][0]
    both = row_filter(View(districts=("E07000170",), wards=(one_in, one_out)), session_config)
    assert both.wards == (one_in,)  # a ward outside the chosen districts keeps nothing, as in memory
    assert row_filter(View(districts=("E07000170",), wards=(one_out,)), session_config).wards == ()


def test_a_bad_date_is_the_same_clear_error_as_in_memory(session_config):
    with pytest.raises(DataValidationError, match="write YYYY-MM or YYYY-MM-DD"):
        row_filter(View(date_from="March"), session_config)


def test_a_harm_weighted_view_also_groups_by_what_the_weight_depends_on():
    assert group_keys(View(), ("ward_code",)) == ("ward_code",)
    assert group_keys(View(harm="cchi"), ("category", "ward_code")) == (
        "category", "ward_code", "offence_code", "weight",
    )  # fmt: skip
