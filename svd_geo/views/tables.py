"""Hotspot tables as a person reads them: names first, shares in %, areas in ha, ranked by what they rank.

The exports keep every column as it is; these are for the pages only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from svd_geo.partner.harm import weights_differ
from svd_geo.select.filters import View, shown_count

if TYPE_CHECKING:
    from svd_geo.analyses.run import HotspotRun

GISTAR_ORDER = ("hot 99%", "hot 95%", "hot 90%", "not significant", "cold 90%", "cold 95%", "cold 99%")
"""Gi* classes from hottest to coldest."""


def hotspot_table(run: HotspotRun, view: View, *, limit: int = 50) -> pd.DataFrame:
    """Return a run's hotspots for a page: the largest first, counts suppressed as the view says.

    Parameters
    ----------
    run : HotspotRun
        The hotspots.
    view : View
        Presentation mode and the small-count threshold.
    limit : int, default 50
        How many rows.

    Returns
    -------
    pandas.DataFrame
        For KDE and clusters: hotspot, where, top streets, wards, incidents, share, area (ha) and the
        method's own figures; for Gi*: area, code, incidents, z, p and class, hot
        spots first by z.
    """
    layer = run.layer
    if run.params.method == "gistar":
        return _gistar_table(layer, view).head(limit)
    label = "hotspot_id" if "hotspot_id" in layer else "cluster"
    ordered = layer.sort_values(["incidents", label], ascending=[False, True])
    table = pd.DataFrame({
        "hotspot": ordered[label], "where": ordered["name"], "top streets": ordered["top_locations"],
        "wards": ordered["wards"],
        "incidents": [shown_count(n, view) for n in ordered["incidents"]],
        "share of incidents": ordered["share"].map("{:.1%}".format),
        "area (ha)": (ordered["area_m2"] / 10_000).round(1),
    })  # fmt: skip
    if weights_differ(ordered, count="incidents"):
        table.insert(3, "harm", ordered["harm"].round(1))
    if "peak_density_km2" in ordered:
        table["peak density (per km²)"] = ordered["peak_density_km2"].round(-1).astype(int)
    for column, title in (("top_categories", "top categories"), ("peak_day", "peak day"),
                          ("peak_hour", "peak hour")):  # fmt: skip
        if column in ordered:
            table[title] = ordered[column]
    return table.head(limit).reset_index(drop=True)


def _gistar_table(layer: pd.DataFrame, view: View) -> pd.DataFrame:
    """Gi* areas, hot spots first (by z), then not significant, then cold spots (coldest last)."""
    rank = {name: slot for slot, name in enumerate(GISTAR_ORDER)}
    order = layer["class"].map(lambda c: rank.get(c, len(GISTAR_ORDER)))
    ordered = layer.assign(_order=order).sort_values(["_order", "z"], ascending=[True, False], kind="stable")
    return pd.DataFrame({
        "area": ordered["area_name"], "code": ordered["area_code"],
        "incidents": [shown_count(n, view) for n in ordered["count"]],
        "z": ordered["z"].round(2), "p (FDR)": ordered["p_fdr"].round(3), "class": ordered["class"],
    }).reset_index(drop=True)  # fmt: skip


METHOD_NAMES = {"kde": "Kernel density", "dbscan": "DBSCAN", "hdbscan": "HDBSCAN", "gistar": "Gi*"}


def accuracy_words(sweep: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    """Say a forecast-accuracy check in one sentence, then its figures beside the baseline's.

    Parameters
    ----------
    sweep : pandas.DataFrame
        :func:`svd_geo.analyses.evaluate.sweep`'s table, best first (one row per parameter set).

    Returns
    -------
    tuple
        The sentence ("Kernel density ... captured 47% of the test period's 1,731 incidents
        in 0.9% of the area, PAI 53.3, against 59.3 for last period's counts per cell."),
        and a table of measure, this definition and the baseline.
    """
    best = sweep.iloc[0]
    method = {"kde": "Kernel density", "dbscan": "DBSCAN", "hdbscan": "HDBSCAN", "gistar": "Gi*"}[
        best["method"]
    ]
    better = "better than" if best["pai"] > best["baseline_pai"] else "no better than"
    sentence = (
        f"{method} captured {best['hit_rate']:.0%} of the test period's {int(best['test_incidents']):,} "
        f"incidents in {best['area_share']:.1%} of the area, PAI {best['pai']:.1f}, against "
        f"{best['baseline_pai']:.1f} for last period's counts per cell: {better} that baseline "
        f"({best['periods']})."
    )
    rows = [
        (
            "Share of the test period's incidents in the hotspots (hit rate)",
            "hit_rate",
            "baseline_hit_rate",
            "%",
        ),
        ("Predictive accuracy index (PAI: hit rate / area share)", "pai", "baseline_pai", "x"),
        ("Recapture rate index (RRI)", "rri", "baseline_rri", "x"),
        ("Hit rate in the top 5% of the area", "hit_rate_5pct", "baseline_hit_rate_5pct", "%"),
        ("Hit rate in the top 10% of the area", "hit_rate_10pct", "baseline_hit_rate_10pct", "%"),
        ("Hit rate in the top 20% of the area", "hit_rate_20pct", "baseline_hit_rate_20pct", "%"),
    ]
    shown = {"%": "{:.0%}".format, "x": "{:.1f}".format}
    table = pd.DataFrame(
        [
            (label, shown[kind](best[ours]), shown[kind](best[baseline]))
            for label, ours, baseline, kind in rows
        ],
        columns=["measure", "this definition", "last period's counts"],
    )
    return sentence, table
