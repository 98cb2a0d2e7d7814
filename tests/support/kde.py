"""Helpers and fixtures for methods/test_grid.py, methods/test_kde.py, methods/test_thresholds.py.

They build what those tests share: kernel density: FFT against exact summation, scikit-learn, mass, grid, thresholds.
"""

from __future__ import annotations

import numpy as np

from svd_geo.methods.kde import exact_density_km2
from tests.conftest import SEED


def clustered_points(n: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = np.array([[453_700, 360_900], [449_600, 358_900], [453_400, 349_200]])
    pick = rng.integers(0, 3, n)
    return centres[pick, 0] + rng.normal(0, 300, n), centres[pick, 1] + rng.normal(0, 250, n)


def exact_on_grid(surface, x, y):
    xs, ys = surface.grid.centres()
    gx, gy = np.meshgrid(xs, ys)
    exact = exact_density_km2(x, y, gx.ravel(), gy.ravel(), surface.kernel, surface.bandwidth_m)
    return exact.reshape(gx.shape)
