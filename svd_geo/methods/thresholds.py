"""Thresholds of a density surface: a percentile of the non-zero cells, or a multiple of their mean."""

from __future__ import annotations

import math

import numpy as np

from svd_geo.base.errors import DataValidationError
from svd_geo.base.vocabulary import THRESHOLD_PATTERN
from svd_geo.methods.kde import DensitySurface


def parse_threshold(text: str) -> tuple[str, float]:
    """Parse ``p95``/``p99`` (percentile of non-zero cells) or ``mean3x`` (multiple of the mean).

    Parameters
    ----------
    text : str
        ``pNN`` or ``meanNx``.

    Returns
    -------
    tuple of (str, float)
        ``("percentile", 95.0)`` or ``("mean", 3.0)``.
    """
    match = THRESHOLD_PATTERN.match(text.strip().lower())
    if match is None:
        msg = f"threshold {text!r}: write pNN (e.g. p95, p99) or meanNx (e.g. mean1x, mean3x)."
        raise DataValidationError(msg)
    if match["pct"] is not None:
        value = float(match["pct"])
        if not 0 < value < 100:
            msg = f"threshold {text!r}: the percentile must lie between 0 and 100."
            raise DataValidationError(msg)
        return "percentile", value
    return "mean", float(match["mult"])


def threshold_value_km2(surface: DensitySurface, threshold: str) -> float:
    """Return the density above which cells are hotspots.

    ``pNN`` is the NN-th percentile of the non-zero cells; ``meanNx`` is N times
    the mean of the non-zero cells (Chainey's 1x/2x/3x classes).

    Parameters
    ----------
    surface : DensitySurface
        The density surface.
    threshold : str
        ``pNN`` or ``meanNx``.

    Returns
    -------
    float
        The threshold density in incidents per km².

    Raises
    ------
    DataValidationError
        For a threshold in neither form.
    """
    kind, value = parse_threshold(threshold)
    nonzero = surface.density_km2[surface.density_km2 > 0]
    if nonzero.size == 0:
        return math.inf
    if kind == "percentile":
        return float(np.percentile(nonzero, value))
    return float(nonzero.mean() * value)
