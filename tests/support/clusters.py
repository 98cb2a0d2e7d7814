"""Helpers and fixtures for methods/test_clusters.py.

They build what those tests share: dBSCAN with collapsed duplicates against plain scikit-learn; HDBSCAN.
"""

from __future__ import annotations

import numpy as np

from tests.conftest import SEED


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
