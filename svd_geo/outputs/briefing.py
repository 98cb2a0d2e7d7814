"""The meeting briefing pack: one self-contained HTML file.

Maps and charts are drawn offline with matplotlib and embedded as PNG data
URIs; the page has no script, no stylesheet link and no web font, so it opens
with no network.  It never shows raw points, and counts from 1 to 4 are shown
as "<5".  Every text that came from data is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import io
import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from svd_geo.analyses.coverage import STATUS_COLOURS
from svd_geo.base.vocabulary import SOURCE_LABELS
from svd_geo.select.filters import View, shown_count

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes

    from svd_geo.analyses.coverage import Coverage
    from svd_geo.analyses.params import HotspotParams
    from svd_geo.base.config import Config

MEETING_VIEW = View(presentation=True)
"""Suppression used throughout the pack."""
_STYLE = """
body{font-family:Arial,Helvetica,sans-serif;margin:2em auto;max-width:60em;color:#111;line-height:1.4}
h1{font-size:1.8em}h2{font-size:1.3em;border-bottom:2px solid #444;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
th,td{border:1px solid #999;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#eee}.synthetic{background:#fff3cd;border:1px solid #d39e00;padding:.5em}
img{max-width:100%}.small{font-size:.8em;color:#333}
"""


def _png(figure: Any) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _nice_length_m(span_m: float) -> float:
    """Return a round scale-bar length near a fifth of the map width (1, 2 or 5 times a power of ten)."""
    target = span_m / 5
    power = 10 ** math.floor(math.log10(target))
    return float(max(step * power for step in (1, 2, 5) if step * power <= target))


def _scale_bar(axes: Axes) -> None:
    x0, x1 = axes.get_xlim()
    y0, y1 = axes.get_ylim()
    length = _nice_length_m(x1 - x0)
    left, bottom = x0 + 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0)
    axes.plot([left, left + length], [bottom, bottom], color="black", linewidth=3)
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    axes.text(left + length / 2, bottom + 0.015 * (y1 - y0), label, ha="center", va="bottom", fontsize=9)


def _north_arrow(axes: Axes) -> None:
    axes.annotate(
        "N", xy=(0.95, 0.95), xytext=(0.95, 0.83), xycoords="axes fraction", ha="center", va="center",
        fontsize=12, fontweight="bold", arrowprops={"facecolor": "black", "width": 4, "headwidth": 12},
    )  # fmt: skip


def hotspot_map(
    wards: gpd.GeoDataFrame, hotspots: gpd.GeoDataFrame, places: gpd.GeoDataFrame, attribution: str
) -> str:
    """Draw wards, hotspots by coverage status and intervention places; return a PNG data URI.

    British National Grid is a projected grid with north up, so the arrow points
    up and the scale bar is true in metres across the map.

    Parameters
    ----------
    wards : geopandas.GeoDataFrame
        The study area's wards, EPSG:27700.
    hotspots : geopandas.GeoDataFrame
        Hotspots with their coverage ``status``.
    places : geopandas.GeoDataFrame
        Intervention places.
    attribution : str
        The boundaries' attribution, printed on the map.

    Returns
    -------
    str
        A ``data:image/png;base64,...`` URI.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    figure, axes = plt.subplots(figsize=(8, 8))
    wards.boundary.plot(ax=axes, color="#888888", linewidth=0.5)
    for status, colour in STATUS_COLOURS.items():
        chosen = hotspots[hotspots["status"] == status]
        if len(chosen):
            chosen.plot(ax=axes, color=colour, edgecolor="#333333", linewidth=0.6)
    if len(places):
        places.boundary.plot(ax=axes, color="#1b7837", linewidth=1.6, linestyle="--")
    handles = [
        Patch(facecolor=c, edgecolor="#333333", label=f"hotspot, {s}") for s, c in STATUS_COLOURS.items()
    ]
    handles.append(Patch(facecolor="none", edgecolor="#1b7837", linestyle="--", label="intervention place"))
    axes.legend(handles=handles, loc="lower right", fontsize=8, framealpha=0.9)
    axes.set_axis_off()
    axes.set_aspect("equal")
    _scale_bar(axes)
    _north_arrow(axes)
    figure.text(0.01, 0.005, attribution, fontsize=6, wrap=True, va="bottom")
    return _png(figure)


def trend_chart(incidents: pd.DataFrame) -> str:
    """Draw monthly incident counts (suppression does not apply to a city-wide total); PNG data URI.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Incidents with ``occurred``.

    Returns
    -------
    str
        A ``data:image/png;base64,...`` URI.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from svd_geo.methods.months import monthly_counts, partial_last_month

    monthly = monthly_counts(incidents)
    partial = partial_last_month(incidents) is not None
    whole = monthly.iloc[:-1] if partial else monthly  # the line never falls to a short month's count
    figure, axes = plt.subplots(figsize=(8, 3))
    axes.plot(whole["month"], whole["incidents"], color="#b2182b", marker="o", markersize=3)
    if partial:  # a short last month: drawn hollow, off the line, said in the text
        last = monthly.iloc[-1]
        axes.plot([last["month"]], [last["incidents"]], marker="o", markersize=7, color="white",
                  markeredgecolor="#b2182b", linestyle="none")  # fmt: skip
    axes.set_ylabel("incidents a month")
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    return _png(figure)


def _partial_month_note(incidents: pd.DataFrame) -> str:
    from svd_geo.methods.months import describe_partial_month, partial_last_month

    last_day = partial_last_month(incidents)
    if last_day is None:
        return ""
    return f"<p>{html.escape(describe_partial_month(last_day))} It is drawn hollow.</p>"


def _table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p>None.</p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _count(value: float, view: View = MEETING_VIEW) -> str:
    return "" if pd.isna(value) else shown_count(value, view)


def hotspot_table(result: Coverage, limit: int = 10, view: View = MEETING_VIEW) -> pd.DataFrame:
    """Top hotspots by incidents, counts suppressed, for the pack.

    Parameters
    ----------
    result : Coverage
        Coverage of the hotspots.
    limit : int, default 10
        How many hotspots.
    view : View, optional
        The small-count threshold and rounding (the default's: 5, none).

    Returns
    -------
    pandas.DataFrame
        Hotspot, incidents (suppressed below 5), area, wards and status.
    """
    top = result.hotspots.sort_values(["incidents", "hotspot_id"], ascending=[False, True]).head(limit)
    counts = top["incidents"].map(lambda n: _count(n, view))
    return pd.DataFrame({
        "hotspot": top["hotspot_id"], "where": top["name"], "incidents": counts,
        "area (ha)": (top["area_m2"] / 10_000).round(1), "wards": top["wards"],
        "coverage": top["status"], "incidents covered": top["incidents_covered_share"].map("{:.0%}".format),
        "intervention places": top["covered_by"],
    })  # fmt: skip


def before_after_table(results: pd.DataFrame, view: View = MEETING_VIEW) -> pd.DataFrame:
    """Before/after results with counts suppressed and plain verdicts.

    Parameters
    ----------
    results : pandas.DataFrame
        :func:`~svd_geo.analyses.impact.before_after_all`'s table.
    view : View, optional
        The small-count threshold and rounding (the default's: 5, none).

    Returns
    -------
    pandas.DataFrame
        Place, counts (suppressed below 5) and the verdict.
    """
    if results.empty:
        return pd.DataFrame()
    counts = [
        "place_before",
        "place_after",
        "buffer_before",
        "buffer_after",
        "comparison_before",
        "comparison_after",
    ]
    shown = results[["name", "before_from", "start", "after_to", *counts, "verdict", "displacement"]].copy()
    for column in counts:
        shown[column] = shown[column].map(lambda n: _count(n, view))
    shown["not counted"] = results["left_out"].map(
        lambda s: f"{SOURCE_LABELS.get(s, s)} records" if s else ""
    )
    shown["p"] = results["p"].map(lambda v: "n/a" if pd.isna(v) else f"{v:.3f}")
    shown["WDQ"] = results["wdq"].map(lambda v: "n/a" if pd.isna(v) else f"{v:.2f}")
    return shown.fillna("")


def build_briefing(
    incidents: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    config: Config,
    *,
    params: HotspotParams,
    generated: str,
    filters: str,
    inputs: list[dict[str, object]],
    history: gpd.GeoDataFrame | None = None,
) -> str:
    """Build the briefing pack as one HTML document.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The selected incidents of the period (EPSG:27700): hotspots and coverage.
    places : geopandas.GeoDataFrame
        Intervention places from the store.
    config : Config
        Study area, boundaries and registry.
    params : HotspotParams
        How hotspots are found.
    generated : str
        Time stamped on the pack.
    filters : str
        What the counts count.
    inputs : list of dict
        Partner files behind the data (``file``, ``sha256``, ``source``, ``synthetic``).
    history : geopandas.GeoDataFrame, optional
        The same selection over every date, for the trend and the before/after
        windows (``incidents`` when None).

    Returns
    -------
    str
        Self-contained HTML: no scripts, no links to fetch.
    """
    from svd_geo.analyses.coverage import run_coverage
    from svd_geo.analyses.impact import before_after_all
    from svd_geo.outputs.metadata import data_sources
    from svd_geo.partner.harm import weights_differ
    from svd_geo.sources.areas import study_context

    view = View(
        presentation=True, small_count_threshold=config.small_count_threshold, round_to=config.round_counts_to
    )
    run, result = run_coverage(incidents, params, config, places)
    sources = data_sources(config, inputs)
    wards, _ = study_context(config)
    history = incidents if history is None else history
    impact = before_after_all(history, places)
    synthetic = any(bool(item.get("synthetic")) for item in inputs)
    overall = result.overall
    weighted = weights_differ(result.hotspots, count="incidents")
    map_image = hotspot_map(wards, result.hotspots, places, str(sources["attribution"]))
    parts = [
        "<h1>Serious violence: hotspots and interventions</h1>",
        f"<p class='small'>Generated {html.escape(generated)} by svd-geo. "
        f"Counts: {html.escape(filters)}; {len(incidents):,} incidents.</p>",
    ]
    if synthetic:
        parts.append("<p class='synthetic'>Built on SYNTHETIC demo data, not real incidents.</p>")
    parts += [
        "<h2>Where violence concentrates</h2>",
        f"<img alt='Map of hotspots and intervention places' src='{map_image}'>",
        f"<p>Hotspots: {html.escape(run.params.describe())}.</p>",
        _table(hotspot_table(result, view=view)),
        "<h2>Coverage and gaps</h2>",
        f"<p>{int(overall['hotspots'])} hotspots; {int(overall['places_active'])} intervention places "
        f"active in the period cover {overall['area_covered_share']:.0%} of hotspot area, "
        f"{overall['incidents_covered_share']:.0%} of the incidents in hotspots"
        + (f" and {overall['harm_covered_share']:.0%} of their harm" if weighted else "")
        + ".</p>",
        "<p>Uncovered hotspots (fewer than 10% of their incidents inside an intervention place), "
        "most incidents first:</p>",
        _table(hotspot_table(_uncovered_only(result), view=view)),
        "<h2>Trend</h2>",
        f"<img alt='Monthly incidents' src='{trend_chart(history)}'>",
        _partial_month_note(history),
        *_deprivation_section(incidents, config, view),
        "<h2>Did it change where we intervened?</h2>",
        "<p>Equal windows of whole months before and after each start; comparison: a ring 250-1000 m "
        "around the place; displacement buffer: 250 m; other intervention places are left out of both. "
        "Each place's own partner's records are not counted: they can rise with the intervention itself "
        "(patrols record more crime; a youth programme records its own contacts). "
        "WDQ after Bowers and Johnson (2003).</p>",
        _table(before_after_table(impact, view)),
        "<h2>Data sources and caveats</h2>",
        _table(pd.DataFrame(sources["inputs"])),
        _table(pd.DataFrame(sources["boundaries"])),
        f"<p class='small'>{html.escape(str(sources['attribution']))}</p>",
        "<ul><li>police.uk locations are snapped to anonymised points; records with only an LSOA code "
        "count in area totals but not in hotspots.</li>"
        f"<li>Counts from 1 to {view.small_count_threshold - 1} are shown as "
        f"&lt;{view.small_count_threshold}.</li>"
        "<li>No individual incident locations are shown.</li></ul>",
    ]
    body = "\n".join(parts)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>svd-geo briefing</title>"
        f"<style>{_STYLE}</style></head><body>{body}</body></html>"
    )


def _deprivation_section(incidents: gpd.GeoDataFrame, config: Config, view: View) -> list[str]:
    """Return the period's rates by IMD decile, or nothing when no incident is in an LSOA with residents."""
    from svd_geo.analyses.deprivation import deprivation_rates
    from svd_geo.base.errors import EmptySelectionError

    try:
        rates = deprivation_rates(incidents, config)
    except EmptySelectionError:
        return []
    return [
        "<h2>Violence and deprivation</h2>",
        f"<p>{html.escape(rates.ratio.sentence(rates.title))} {html.escape(rates.harm_sentence())} "
        "Incidents per 1,000 residents of the "
        "LSOAs in each national decile (1 the most deprived); exact 95% intervals.</p>",
        _table(rates.shown(view)),
    ]


def _uncovered_only(result: Coverage) -> Coverage:
    from dataclasses import replace

    return replace(result, hotspots=result.uncovered)
