"""svd_geo.base.environment."""

from __future__ import annotations

import pytest

from svd_geo.base.environment import environment_choice


def test_a_choice_is_read_in_any_case_defaulted_when_blank_and_refused_naming_the_choices(monkeypatch):
    monkeypatch.setenv("SVD_GEO_TEST_CHOICE", "  Beta ")
    assert environment_choice("SVD_GEO_TEST_CHOICE", ("alpha", "beta"), "alpha") == "beta"
    monkeypatch.setenv("SVD_GEO_TEST_CHOICE", "")
    assert environment_choice("SVD_GEO_TEST_CHOICE", ("alpha", "beta"), "alpha") == "alpha"
    monkeypatch.setenv("SVD_GEO_TEST_CHOICE", "gamma")
    with pytest.raises(ValueError, match=r"SVD_GEO_TEST_CHOICE=.gamma.: choose one of alpha, beta\.$"):
        environment_choice("SVD_GEO_TEST_CHOICE", ("alpha", "beta"), "alpha")
