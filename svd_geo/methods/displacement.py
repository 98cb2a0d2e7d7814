"""Difference-in-differences and the Weighted Displacement Quotient, on four or six counts.

Counts in equal windows before and after an intervention's start, in the place
itself (A), a displacement buffer around it (B) and a comparison area (C):

- the difference-in-differences estimate: the change in A beyond what C's
  change predicts (``A_after - A_before * C_after / C_before``), with the odds
  ratio ``(A_after / A_before) / (C_after / C_before)`` tested on its log
  (standard error ``sqrt(1/A_b + 1/A_a + 1/C_b + 1/C_a)``, as in the
  Campbell reviews of place-based policing);
- the Weighted Displacement Quotient of Bowers and Johnson (2003):
  ``(B_a/C_a - B_b/C_b) / (A_a/C_a - A_b/C_b)``, read only when the place
  improved against the comparison area (the denominator is negative).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class DifferenceInDifferences:
    """Difference-in-differences of a treated and a comparison area."""

    change_beyond_expected: float
    odds_ratio: float
    z: float
    p: float


def difference_in_differences(
    place_before: int, place_after: int, comparison_before: int, comparison_after: int
) -> DifferenceInDifferences:
    """Estimate the change in the place beyond the comparison area's, with a log odds-ratio test.

    Returns NaN for the ratio, z and p when any count is zero.

    Parameters
    ----------
    place_before, place_after : int
        Incidents in the place before and after the start.
    comparison_before, comparison_after : int
        The same in the comparison area.

    Returns
    -------
    DifferenceInDifferences
        The change beyond the comparison area's, the odds ratio, its z and p.

    References
    ----------
    .. Angrist, J. D. and Pischke, J.-S. (2009). Mostly Harmless Econometrics. Princeton University
       Press, chapter 5.
    """
    expected_after = place_before * comparison_after / comparison_before if comparison_before else math.nan
    change = place_after - expected_after
    counts = (place_before, place_after, comparison_before, comparison_after)
    if min(counts) <= 0:
        return DifferenceInDifferences(change, math.nan, math.nan, math.nan)
    ratio = (place_after / place_before) / (comparison_after / comparison_before)
    standard_error = math.sqrt(sum(1 / c for c in counts))
    z = math.log(ratio) / standard_error
    p = math.erfc(abs(z) / math.sqrt(2))
    return DifferenceInDifferences(change, ratio, z, p)


def weighted_displacement_quotient(
    place: tuple[int, int], buffer: tuple[int, int], comparison: tuple[int, int]
) -> float:
    """Bowers and Johnson's WDQ from (before, after) counts; NaN when it cannot be read.

    It is read only when the place improved relative to the comparison area
    and the comparison area has incidents in both windows.

    Parameters
    ----------
    place, buffer, comparison : tuple of int
        (before, after) counts in the place, its buffer and the comparison area.

    Returns
    -------
    float
        The WDQ; NaN when the comparison area has no incident in a period, or the place
        did not improve against it.
    """
    (a_b, a_a), (b_b, b_a), (c_b, c_a) = place, buffer, comparison
    if c_b <= 0 or c_a <= 0:
        return math.nan
    success = a_a / c_a - a_b / c_b
    if success >= 0:
        return math.nan
    return (b_a / c_a - b_b / c_b) / success


def describe_wdq(wdq: float) -> str:
    """Bowers and Johnson's reading of a WDQ value.

    Parameters
    ----------
    wdq : float
        A WDQ value (NaN allowed).

    Returns
    -------
    str
        Displacement, diffusion of benefit, or neither, in words.
    """
    if math.isnan(wdq):
        return "not applicable: the place did not improve against the comparison area"
    if wdq > 1:
        return "diffusion of benefit larger than the direct effect"
    if wdq > 0:
        return "diffusion of benefit to the buffer"
    if wdq == 0:
        return "no displacement or diffusion"
    if wdq >= -1:
        return "some displacement to the buffer, smaller than the direct benefit"
    return "displacement to the buffer larger than the direct benefit"
