"""svd_geo.analyses.params."""

from __future__ import annotations

import pytest

from svd_geo.analyses.params import HotspotParams, params_from_spec
from svd_geo.base.errors import DataValidationError


@pytest.mark.parametrize(
    ("threshold", "words"),
    [("p99", "the top 1% of cells"), ("p97.5", "the top 2.5% of cells"), ("mean3x", "3x the mean density")],
    ids=["p99", "p97.5", "mean3x"],
)
def test_a_threshold_is_said_in_words(threshold, words):
    assert HotspotParams(threshold=threshold).describe().endswith(f"hotspots {words}")


@pytest.mark.parametrize(
    "params",
    [HotspotParams(), HotspotParams(method="dbscan", eps_m=120.0, min_samples=7),
     HotspotParams(method="hdbscan", min_cluster_size=40), HotspotParams(method="gistar", areas="hex:250")],
    ids=["kde", "dbscan", "hdbscan", "gistar"],
)  # fmt: skip
def test_a_definition_survives_its_link(params):
    assert params_from_spec(params.to_spec()) == params


def test_a_link_that_is_not_a_definition_is_refused():
    with pytest.raises(DataValidationError, match="unknown method 'x'"):
        params_from_spec("x;eps_m=1")
    with pytest.raises(DataValidationError, match="eps_m='far' is not a float"):
        params_from_spec("dbscan;eps_m=far")
    with pytest.raises(DataValidationError, match="min_samples must be above 0"):
        params_from_spec("dbscan;min_samples=0")
