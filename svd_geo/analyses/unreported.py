"""Violence the police never hear of: emergency-department and ambulance records against police ones.

The Cardiff Model's finding is that most violence treated in emergency departments
is unknown to the police.  Per LSOA (or ward), over the same selection, this
counts the health services' violence records (emergency departments and the
ambulance service; their extracts hold violence only) and the police's violent
crimes (police.uk's "Violence and sexual offences" and "Robbery"), and gives:

* their ratio, health to police, with the exact interval that conditions on the
  two counts' total (:func:`svd_geo.analyses.deprivation.rate_ratio`, one
  population for both);
* the share of health records not matched by a police record, ``1 - police/health``,
  at least 0: the share there would be if each police record matched one health
  record (the records share no identifier, so the true share can only be larger).
  Its interval is the ratio's, through the same formula.

Records are counted by their area code, so an emergency-department record with only
an LSOA counts; none is ever drawn or exported as a point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from svd_geo.analyses.deprivation import rate_ratio
from svd_geo.base.schema import count_records
from svd_geo.select.filters import View, is_suppressed, shown_count

if TYPE_CHECKING:
    import geopandas as gpd

    from svd_geo.base.config import Config

HEALTH_SOURCES = ("ed", "ambulance")
"""The health services' sources."""
POLICE_VIOLENCE = ("violence and sexual offences", "robbery")
"""The police.uk categories counted as police-recorded violence (lower case)."""
COLUMNS = [
    "area_code", "area_name", "health", "police", "excess", "ratio", "ratio_low", "ratio_high",
    "share_unknown", "share_low", "share_high", "geometry",
]  # fmt: skip
"""One row per area, most health records unmatched by police ones first."""


@dataclass(frozen=True)
class Unreported:
    """Health services' violence against police-recorded violence, per area and overall.

    Attributes
    ----------
    level : str
        ``lsoa`` or ``ward``.
    areas : geopandas.GeoDataFrame
        :data:`COLUMNS`, EPSG:27700, the largest excess first.
    overall : dict
        The same figures for the whole study area.
    """

    level: str
    areas: gpd.GeoDataFrame
    overall: dict[str, float]

    def shown(self, view: View) -> pd.DataFrame:
        """Return the ranked table as shown: small counts, and the ratios that give them back, suppressed.

        Parameters
        ----------
        view : View
            Presentation mode and the small-count threshold.

        Returns
        -------
        pandas.DataFrame
            Area, health and police records, the ratio and the share unknown to police
            with their 95% intervals, as text.
        """
        table = self.areas
        pairs = zip(table["health"], table["police"], strict=True)
        withheld = np.array([is_suppressed(h, view) or is_suppressed(p, view) for h, p in pairs], dtype=bool)
        ratio = [_interval(r, lo, hi, "{:.1f}") for r, lo, hi in
                 table[["ratio", "ratio_low", "ratio_high"]].itertuples(index=False)]  # fmt: skip
        share = [_interval(s, lo, hi, "{:.0%}") for s, lo, hi in
                 table[["share_unknown", "share_low", "share_high"]].itertuples(index=False)]  # fmt: skip
        return pd.DataFrame({
            "area": table["area_name"], "health records": [shown_count(n, view) for n in table["health"]],
            "police violence": [shown_count(n, view) for n in table["police"]],
            "health to police (95% interval)": np.where(withheld, "suppressed", ratio),
            "unknown to police, at least (95% interval)": np.where(withheld, "suppressed", share),
        })  # fmt: skip


def _interval(value: float, low: float, high: float, form: str) -> str:
    if np.isnan(value):
        return "no police record to compare" if form == "{:.1f}" else "–"
    if np.isnan(low):  # no police record: every health record is unknown to police, no interval
        return f"{form.format(value)} (no police record)"
    upper = "no upper limit" if np.isinf(high) else form.format(high)
    return f"{form.format(value)} ({form.format(low)} to {upper})"


def _figures(health: int, police: int) -> dict[str, float]:
    """Ratio and share unknown with their intervals, for one area or the whole."""
    ratio = rate_ratio(health, 1.0, police, 1.0)

    def share(r: float) -> float:
        return float(np.clip(1 - 1 / r, 0, 1)) if r > 0 else 0.0

    known = police > 0 and health > 0
    return {
        "health": float(health), "police": float(police), "excess": float(health - police),
        "ratio": ratio.ratio, "ratio_low": ratio.low, "ratio_high": ratio.high,
        "share_unknown": share(health / police) if known else (1.0 if health else float("nan")),
        "share_low": share(ratio.low) if known else float("nan"),
        "share_high": share(ratio.high) if known else float("nan"),
    }  # fmt: skip


def unreported_violence(incidents: pd.DataFrame, config: Config, *, level: str = "lsoa") -> Unreported:
    """Compare the health services' violence records with police-recorded violence per area.

    Parameters
    ----------
    incidents : pandas.DataFrame
        The selected incidents (one period, one set of filters), with ``source``,
        ``category`` and ``lsoa_code`` / ``ward_code``; one per row or grouped (``records``).
    config : Config
        Where the study area's boundaries are.
    level : {"lsoa", "ward"}, default "lsoa"
        The areas.

    Returns
    -------
    Unreported
        Per area and overall: counts, ratio and share unknown to police with intervals.
    """
    import geopandas as gpd

    from svd_geo.sources.areas import study_context

    wards, lsoas = study_context(config)
    areas = lsoas if level == "lsoa" else wards
    codes = incidents["ward_code" if level == "ward" else "lsoa_code"].astype("string")
    source = incidents["source"].astype("string")
    health = source.isin(HEALTH_SOURCES).to_numpy(dtype=bool)
    violent = incidents["category"].astype("string").str.lower().isin(POLICE_VIOLENCE)
    police = ((source == "police") & violent).to_numpy(dtype=bool)
    counted = incidents.assign(code=codes)  # a grouped frame's rows stand for several incidents
    counts = pd.DataFrame({
        "health": count_records(counted[health], "code"), "police": count_records(counted[police], "code"),
    }).reindex(areas["area_code"].to_numpy()).fillna(0).astype(int)  # fmt: skip
    rows = [_figures(h, p) for h, p in counts.itertuples(index=False)]
    table = pd.DataFrame(rows, index=counts.index).astype({"health": int, "police": int, "excess": int})
    frame = gpd.GeoDataFrame(
        table.assign(area_code=counts.index, area_name=areas["area_name"].to_numpy()),
        geometry=areas.geometry.to_numpy(), crs=areas.crs,
    )  # fmt: skip
    ordered = frame.sort_values(["excess", "health"], ascending=False, kind="stable").reset_index(drop=True)
    overall = _figures(int(table["health"].sum()), int(table["police"].sum()))  # in the study area
    return Unreported(level, ordered[COLUMNS], overall)
