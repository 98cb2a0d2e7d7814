"""DBSCAN with collapsed duplicates against plain scikit-learn; HDBSCAN."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.cluster import DBSCAN, HDBSCAN
from sklearn.metrics import adjusted_rand_score

from svd_geo.base.errors import DataValidationError, EmptySelectionError
from svd_geo.methods._dbscan import grid_dbscan
from svd_geo.methods.clusters import collapse_points, dbscan_labels, hdbscan_labels

from .conftest import SEED


def snapped(n: int, snap_points: int, seed: int = SEED) -> np.ndarray:
    """Incidents piled on a few police.uk-like snap points, plus sparse noise."""
    rng = np.random.default_rng(seed)
    snaps = np.column_stack(
        [rng.normal(453_700, 800, snap_points), rng.normal(360_900, 800, snap_points)]
    ).round()
    popularity = rng.pareto(1.2, snap_points) + 0.01
    picks = rng.choice(snap_points, size=n, p=popularity / popularity.sum())
    noise = np.column_stack([rng.uniform(448_000, 460_000, n // 20), rng.uniform(355_000, 367_000, n // 20)])
    return np.vstack([snaps[picks], noise])


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


@settings(max_examples=60)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 400),
    eps_m=st.sampled_from([1.0, 7.5, 20.0, 55.0]),
    min_samples=st.integers(1, 12),
)
def test_grid_sweep_equals_scikit_learn_on_random_points(seed, n, eps_m, min_samples):
    """Integer coordinates on a small board: many exact-eps ties, shared cells and border points."""
    rng = np.random.default_rng(seed)
    xy = rng.integers(0, 120, (n, 2)).astype(float)
    weights = rng.integers(1, 4, n)
    ours = grid_dbscan(xy, weights, eps_m, min_samples)
    plain = DBSCAN(eps=eps_m, min_samples=min_samples).fit_predict(xy, sample_weight=weights)
    assert np.array_equal(ours, plain)


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
