"""svd_geo.methods._dbscan."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.cluster import DBSCAN

from svd_geo.methods._dbscan import grid_dbscan


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
