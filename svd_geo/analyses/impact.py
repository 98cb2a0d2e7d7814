"""Did it change? Before/after counts in a place, a buffer around it and a comparison area.

For an intervention place with a start date, incidents are counted in equal
windows of whole months before and after the start in three areas: the place
itself (A), a displacement buffer around it (B: a ring out to ``buffer_m``) and
a comparison area (C: a wider ring beyond the buffer, or an area chosen by the
user).  :mod:`svd_geo.methods.displacement` turns the counts into the
difference-in-differences estimate and the Weighted Displacement Quotient.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from svd_geo.base.coords import require_analysis_crs
from svd_geo.base.errors import DataValidationError
from svd_geo.base.vocabulary import NEEDS_START, source_of_partner
from svd_geo.methods.displacement import (
    DifferenceInDifferences,
    describe_wdq,
    difference_in_differences,
    weighted_displacement_quotient,
)
from svd_geo.select.points import point_incidents, point_xy

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely import Geometry

MIN_COUNT = 10
"""Fewer incidents than this in any of the four before/after counts of A and C: too few to conclude."""


@dataclass(frozen=True)
class BeforeAfter:
    """Before/after result for one intervention place."""

    name: str
    start: str
    before_from: str
    after_to: str
    window_months: int
    place_before: int
    place_after: int
    buffer_before: int
    buffer_after: int
    comparison_before: int
    comparison_after: int
    did: float
    odds_ratio: float
    z: float
    p: float
    wdq: float
    displacement: str
    conclusive: bool
    verdict: str

    def as_dict(self) -> dict[str, Any]:
        """Return the fields as a plain dict (for tables and JSON).

        Returns
        -------
        dict
            Every field by name.
        """
        return asdict(self)


def _windows(months: pd.Series, start: pd.Timestamp, window_months: int) -> tuple[pd.Timestamp, int]:
    """First month of the before window and its length, shrunk to the data on both sides."""
    first, last = months.min(), months.max()
    start_month = start.to_period("M").to_timestamp()
    before_available = (start_month.year - first.year) * 12 + start_month.month - first.month
    after_available = (last.year - start_month.year) * 12 + last.month - start_month.month + 1
    length = min(window_months, before_available, after_available)
    if length < 1:
        msg = (
            f"the data ({first:%Y-%m} to {last:%Y-%m}) has no whole month on both sides of "
            f"the start {start:%Y-%m-%d}; a before/after comparison needs data before and after."
        )
        raise DataValidationError(msg)
    return start_month - pd.DateOffset(months=length), length


def _verdict(counts: tuple[int, int, int, int], did: DifferenceInDifferences) -> tuple[bool, str]:
    """Say the result plainly, in the words a meeting reads first."""
    if min(counts) < MIN_COUNT:
        return False, (
            f"Too few incidents to tell: fewer than {MIN_COUNT} in the place or the comparison area "
            "in one window."
        )
    if did.p >= 0.05:
        return True, f"No clear change against the comparison area (p = {did.p:.3f})."
    direction = "fell" if did.odds_ratio < 1 else "rose"
    return True, (
        f"Incidents in the place {direction} by {abs(did.odds_ratio - 1):.0%} more than in the "
        f"comparison area (p = {did.p:.3f})."
    )


def before_after(
    incidents: gpd.GeoDataFrame,
    place: Geometry,
    *,
    name: str,
    start: pd.Timestamp,
    window_months: int = 6,
    buffer_m: float = 250.0,
    comparison_m: float = 1000.0,
    comparison: Geometry | None = None,
    exclude: Geometry | None = None,
) -> BeforeAfter:
    """Compare incidents before and after an intervention started.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        Incidents in EPSG:27700 (those without a point are left out).
    place : shapely.Geometry
        The intervention place in EPSG:27700.
    name : str
        The intervention's name, for the result.
    start : pandas.Timestamp
        When it started; windows are whole months, the start month opening the after window.
    window_months : int, default 6
        Months on each side, shortened to the data available on both.
    buffer_m : float, default 250
        Width of the displacement buffer around the place.
    comparison_m : float, default 1000
        Outer edge of the comparison ring (from the place), used when ``comparison`` is None.
    comparison : shapely.Geometry, optional
        A chosen comparison area; the place and buffer are cut out of it.
    exclude : shapely.Geometry, optional
        Other intervention places, cut out of the buffer and the comparison area:
        their incidents answer to their own intervention, not to the background.

    Returns
    -------
    BeforeAfter
        Counts, difference-in-differences, WDQ and a plain-language verdict.

    References
    ----------
    .. Bowers, K. J. and Johnson, S. D. (2003). Measuring the geographical displacement and diffusion
       of benefit effects of crime prevention activity. Journal of Quantitative Criminology 19(3):
       275-301 (the WDQ).
    .. Angrist, J. D. and Pischke, J.-S. (2009). Mostly Harmless Econometrics. Princeton University
       Press, chapter 5 (difference-in-differences).
    """
    import shapely

    require_analysis_crs(incidents, "incidents for a before/after comparison")
    if comparison is None and comparison_m <= buffer_m:
        msg = f"the comparison ring ({comparison_m} m) must reach beyond the buffer ({buffer_m} m)."
        raise DataValidationError(msg)
    located = point_incidents(incidents)
    months = located["occurred"].dt.to_period("M").dt.to_timestamp()
    before_from, length = _windows(months, start, window_months)
    start_month = start.to_period("M").to_timestamp()
    after_to = start_month + pd.DateOffset(months=length)
    buffer = shapely.difference(shapely.buffer(place, buffer_m), place)
    inner = shapely.buffer(place, buffer_m)
    outer = comparison if comparison is not None else shapely.buffer(place, comparison_m)
    comparison_area = shapely.difference(outer, inner)
    if exclude is not None:
        buffer = shapely.difference(buffer, exclude)
        comparison_area = shapely.difference(comparison_area, exclude)
    xy = np.column_stack(point_xy(located))
    before = ((months >= before_from) & (months < start_month)).to_numpy()
    after = ((months >= start_month) & (months < after_to)).to_numpy()

    def count(area: Geometry, window: np.ndarray) -> int:
        return int((shapely.contains_xy(area, xy[window, 0], xy[window, 1])).sum())

    a = (count(place, before), count(place, after))
    b = (count(buffer, before), count(buffer, after))
    c = (count(comparison_area, before), count(comparison_area, after))
    did = difference_in_differences(a[0], a[1], c[0], c[1])
    wdq = weighted_displacement_quotient(a, b, c)
    conclusive, verdict = _verdict((a[0], a[1], c[0], c[1]), did)
    # Displacement is a share of a direct benefit: with none shown, there is nothing to share out.
    if not conclusive:
        displacement = "not assessed: too few incidents"
    elif did.p >= 0.05:
        displacement = "not assessed: no clear change in the place"
    else:
        displacement = describe_wdq(wdq)
    return BeforeAfter(
        name=name, start=f"{start:%Y-%m-%d}", before_from=f"{before_from:%Y-%m}",
        after_to=f"{after_to - pd.DateOffset(months=1):%Y-%m}", window_months=length,
        place_before=a[0], place_after=a[1], buffer_before=b[0], buffer_after=b[1],
        comparison_before=c[0], comparison_after=c[1], did=did.change_beyond_expected,
        odds_ratio=did.odds_ratio, z=did.z, p=did.p, wdq=wdq, displacement=displacement,
        conclusive=conclusive, verdict=verdict,
    )  # fmt: skip


def before_after_all(
    incidents: gpd.GeoDataFrame, places: gpd.GeoDataFrame, *, include_own: bool = False, **options: Any
) -> pd.DataFrame:
    """Before/after results for every place; one the data cannot compare says why in ``verdict``.

    Each place's buffer and comparison area leave out the other places, and its
    count leaves out the records of its own partner (read from ``partner`` by
    :func:`~svd_geo.base.vocabulary.source_of_partner`) unless ``include_own``:
    they can rise with the intervention itself (patrols record more crime; a
    youth programme records its own contacts).

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The incidents, EPSG:27700, with ``source``.
    places : geopandas.GeoDataFrame
        Intervention places with ``name``, ``start_date`` and optionally ``partner``.
    include_own : bool, default False
        Count each place's own partner's records too.
    **options
        Passed to :func:`before_after` (windows, buffer and ring widths).

    Returns
    -------
    pandas.DataFrame
        One row per place, :meth:`BeforeAfter.as_dict`'s fields and ``left_out`` (the
        source not counted, or None).
    """
    rows = [
        _place_result(incidents, places, slot, include_own=include_own, **options)
        for slot in range(len(places))
    ]
    return pd.DataFrame(rows, columns=[*BeforeAfter.__dataclass_fields__, "left_out"])


def _place_result(
    incidents: gpd.GeoDataFrame, places: gpd.GeoDataFrame, slot: int, *, include_own: bool, **options: Any
) -> dict[str, Any]:
    """Return the before/after fields of the place at ``slot``, or why it could not be compared.

    ``left_out`` names the source of the place's own partner, whose records were
    not counted (None when they were, or the partner's name says no source).
    """
    import shapely

    row = places.iloc[slot]
    own = None if include_own else source_of_partner(str(row.get("partner") or ""))
    if own is not None:
        incidents = incidents[(incidents["source"] != own).to_numpy()]
    if not str(row["start_date"] or ""):  # a place with no start still counts for coverage
        return {
            "name": str(row["name"]),
            "start": "",
            "conclusive": False,
            "verdict": NEEDS_START,
            "left_out": own,
        }
    shapes = places.geometry.to_numpy()
    start = pd.Timestamp(row["start_date"])
    others = shapely.union_all(np.delete(shapes, slot)) if len(shapes) > 1 else None
    try:
        result = before_after(
            incidents, row.geometry, name=str(row["name"]), start=start, exclude=others, **options
        )
    except DataValidationError as err:
        return {"name": str(row["name"]), "start": f"{start:%Y-%m-%d}", "conclusive": False,
                "verdict": f"Not compared: {err}", "left_out": own}  # fmt: skip
    return {**result.as_dict(), "left_out": own}


def before_after_place(
    incidents: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    place_id: int,
    *,
    include_own: bool = False,
    **options: Any,
) -> dict[str, Any]:
    """Before/after result for one place, its buffer and comparison area leaving out the others.

    The same result :func:`before_after_all` gives that place (the page and the
    briefing agree).

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The incidents, EPSG:27700.
    places : geopandas.GeoDataFrame
        Intervention places with ``id``, ``name`` and ``start_date``.
    place_id : int
        The place's ``id``.
    include_own : bool, default False
        Count the place's own partner's records too.
    **options
        Passed to :func:`before_after`.

    Returns
    -------
    dict
        :meth:`BeforeAfter.as_dict`'s fields, or ``name``, ``start``, ``conclusive``
        False and ``verdict`` saying why it could not be compared; and ``left_out``.
    """
    slot = int(np.flatnonzero(places["id"].to_numpy() == place_id)[0])
    return _place_result(incidents, places, slot, include_own=include_own, **options)
