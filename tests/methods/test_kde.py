"""svd_geo.methods.kde."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from svd_geo.base.errors import DataValidationError, EmptySelectionError
from svd_geo.methods.kde import compute_kde
from tests.support.kde import clustered_points, exact_on_grid


@pytest.mark.parametrize(
    ("kernel", "bandwidth_m"), [("quartic", 250.0), ("gaussian", 90.0)], ids=["quartic", "gaussian"]
)
def test_fft_matches_exact_summation_within_one_percent_of_peak(kernel, bandwidth_m):
    x, y = clustered_points(600)
    surface = compute_kde(x, y, kernel=kernel, bandwidth_m=bandwidth_m)
    exact = exact_on_grid(surface, x, y)
    assert np.abs(surface.density_km2 - exact).max() <= 0.01 * exact.max()


def test_gaussian_matches_scikit_learn_kernel_density():
    from sklearn.neighbors import KernelDensity

    x, y = clustered_points(500)
    surface = compute_kde(x, y, kernel="gaussian", bandwidth_m=120.0)
    xs, ys = surface.grid.centres()
    gx, gy = np.meshgrid(xs, ys)
    model = KernelDensity(kernel="gaussian", bandwidth=120.0).fit(np.column_stack([x, y]))
    sklearn_km2 = np.exp(model.score_samples(np.column_stack([gx.ravel(), gy.ravel()]))) * len(x) * 1e6
    assert np.abs(surface.density_km2.ravel() - sklearn_km2).max() <= 0.01 * sklearn_km2.max()


@pytest.mark.parametrize("kernel", ["quartic", "gaussian"])
def test_quartic_formula_at_the_centre(kernel):
    surface = compute_kde(
        np.array([453_005.0]), np.array([360_005.0]), kernel=kernel, bandwidth_m=100.0, cell_size_m=10.0
    )
    peak = surface.density_km2.max()
    expected = 3 / (np.pi * 100.0**2) * 1e6 if kernel == "quartic" else 1 / (2 * np.pi * 100.0**2) * 1e6
    assert_allclose(peak, expected, rtol=0.01)


@settings(max_examples=25)
@given(st.integers(1, 400), st.sampled_from(["quartic", "gaussian"]), st.floats(30, 500))
def test_mass_equals_number_of_incidents(n, kernel, bandwidth_m):
    x, y = clustered_points(n, seed=n)
    surface = compute_kde(x, y, kernel=kernel, bandwidth_m=bandwidth_m)
    assert_allclose(surface.density_km2.sum() * surface.grid.cell_area_km2, n, rtol=1e-9)


def test_weights_scale_the_mass():
    x, y = clustered_points(100)
    weights = np.full(100, 2.5)
    surface = compute_kde(x, y, weights=weights, bandwidth_m=200.0)
    assert_allclose(surface.density_km2.sum() * surface.grid.cell_area_km2, 250.0, rtol=1e-9)


def test_bandwidth_rule_is_reported():
    x, y = clustered_points(2000)
    surface = compute_kde(x, y)
    assert surface.bandwidth_rule == "scott-robust"
    assert 50 <= surface.bandwidth_m <= 3000
    assert surface.grid.cell_size_m == pytest.approx(surface.bandwidth_m / 10, abs=0.1)


def test_no_points_and_bad_parameters_are_refused():
    with pytest.raises(EmptySelectionError, match="no incidents with a point location"):
        compute_kde(np.array([]), np.array([]), bandwidth_m=100.0)
    with pytest.raises(DataValidationError, match="unknown kernel 'epanechnikov'"):
        compute_kde(np.array([1.0]), np.array([1.0]), kernel="epanechnikov", bandwidth_m=100.0)
    with pytest.raises(DataValidationError, match="bandwidth must be positive"):
        compute_kde(np.array([1.0]), np.array([1.0]), bandwidth_m=-5.0)
