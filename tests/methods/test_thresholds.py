"""svd_geo.methods.thresholds."""

from __future__ import annotations

import numpy as np
import pytest

from svd_geo.base.errors import DataValidationError
from svd_geo.methods.kde import compute_kde
from svd_geo.methods.thresholds import parse_threshold, threshold_value_km2
from tests.support.kde import clustered_points


def test_thresholds():
    x, y = clustered_points(300)
    surface = compute_kde(x, y, bandwidth_m=200.0)
    nonzero = surface.density_km2[surface.density_km2 > 0]
    assert threshold_value_km2(surface, "p95") == pytest.approx(np.percentile(nonzero, 95))
    assert threshold_value_km2(surface, "mean3x") == pytest.approx(3 * nonzero.mean())
    assert parse_threshold("P99") == ("percentile", 99.0)
    with pytest.raises(DataValidationError, match="write pNN"):
        parse_threshold("top10")
