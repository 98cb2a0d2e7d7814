"""svd_geo.methods.clusters."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.cluster import DBSCAN, HDBSCAN
from sklearn.metrics import adjusted_rand_score

from svd_geo.base.errors import DataValidationError, EmptySelectionError
from svd_geo.methods.clusters import collapse_points, dbscan_labels, hdbscan_labels
from tests.support.clusters import snapped


@pytest.mark.parametrize(
    ("eps_m", "min_samples"), [(50.0, 5), (120.0, 40), (300.0, 200)], ids=["tight", "medium", "loose"]
)
def test_labels_equal_plain_scikit_learn_on_heavy_duplicates(eps_m, min_samples):
    xy = snapped(6000, 400)
    ours = dbscan_labels(xy[:, 0], xy[:, 1], eps_m=eps_m, min_samples=min_samples)
    plain = DBSCAN(eps=eps_m, min_samples=min_samples).fit_predict(xy)
    assert adjusted_rand_score(ours, plain) == 1.0
    assert np.array_equal(ours, plain)  # numbering and border points included
    assert len(set(ours)) > 1


def test_collapse_points_counts_and_inverts():
    xy = np.array([[1.0, 2.0], [3.0, 4.0], [1.0, 2.0], [1.0, 2.0]])
    points = collapse_points(xy[:, 0], xy[:, 1])
    assert points.counts.sum() == 4 and len(points.xy_m) == 2
    assert np.array_equal(points.xy_m[points.inverse], xy)


def test_hdbscan_matches_scikit_learn():
    xy = snapped(3000, 300)
    ours = hdbscan_labels(xy[:, 0], xy[:, 1], min_cluster_size=30)
    plain = HDBSCAN(min_cluster_size=30, copy=True).fit_predict(xy)
    assert adjusted_rand_score(ours, plain) == 1.0


def test_bad_parameters_and_empty_input():
    with pytest.raises(DataValidationError, match="eps_m > 0"):
        dbscan_labels(np.array([1.0]), np.array([1.0]), eps_m=0, min_samples=3)
    with pytest.raises(EmptySelectionError, match="no incidents"):
        dbscan_labels(np.array([]), np.array([]), eps_m=10, min_samples=3)
    with pytest.raises(DataValidationError, match="min_cluster_size >= 2"):
        hdbscan_labels(np.array([1.0]), np.array([1.0]), min_cluster_size=1)
