"""What the Trends page and the briefing show of violence by deprivation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from svd_geo.select.filters import View, is_suppressed, shown_count

DOMAIN_NAMES = {"imd": "Index of Multiple Deprivation 2019", "crime": "its Crime domain"}
"""The deprivation indices the page offers."""

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from svd_geo.analyses.deprivation import DeprivationRates


def _withheld(rates: DeprivationRates, view: View) -> np.ndarray:
    """Deciles whose count a meeting must not see (their rate, with the residents, gives it back)."""
    return np.array([is_suppressed(n, view) for n in rates.table["incidents"]], dtype=bool)


def deprivation_table(rates: DeprivationRates, view: View) -> pd.DataFrame:
    """Return the rates by decile as shown, small counts and their rates suppressed in meetings.

    Parameters
    ----------
    rates : DeprivationRates
        The rates.
    view : View
        Presentation mode and the small-count threshold.

    Returns
    -------
    pandas.DataFrame
        Decile (1 the most deprived), LSOAs, residents, incidents, the rate per 1,000
        residents and its 95% interval, as text.
    """
    table = rates.table
    withheld = _withheld(rates, view)
    rate = [f"{r:,.1f} ({lo:,.1f} to {hi:,.1f})" for r, lo, hi in
            table[["rate_per_1k", "rate_low", "rate_high"]].itertuples(index=False)]  # fmt: skip
    return pd.DataFrame({
        "decile": [f"{d}{' (most deprived)' if d == 1 else ''}" for d in table["decile"]],
        "LSOAs": table["lsoas"], "residents": [f"{r:,.0f}" for r in table["residents"]],
        "incidents": [shown_count(n, view) for n in table["incidents"]],
        "per 1,000 residents (95% interval)": np.where(withheld, "suppressed", rate),
    })  # fmt: skip


def deprivation_caption(rates: DeprivationRates, view: View) -> str:
    """Say the ratio of the extremes, what was counted and what was left out.

    Parameters
    ----------
    rates : DeprivationRates
        The rates.
    view : View
        The filters counted.

    Returns
    -------
    str
        The caption under the chart.
    """
    left_out = (
        f" {rates.left_out:,} incidents have no LSOA of the study area and are left out."
        if rates.left_out
        else ""
    )
    return (
        f"{rates.ratio.sentence(rates.title)} Counting {view.describe()}, over the whole period selected; "
        f"intervals are exact (Poisson; see the README).{left_out}"
    )


def deprivation_figure(rates: DeprivationRates, view: View) -> go.Figure:
    """Draw the rate per 1,000 residents by decile with its 95% interval; withheld deciles left out.

    Parameters
    ----------
    rates : DeprivationRates
        The rates.
    view : View
        Presentation mode and the small-count threshold.

    Returns
    -------
    plotly.graph_objects.Figure
        A bar per decile, error bars for the interval.
    """
    import plotly.graph_objects as go

    shown = rates.table[~_withheld(rates, view)]
    figure = go.Figure(
        go.Bar(
            x=shown["decile"], y=shown["rate_per_1k"], marker_color="#b2182b",
            error_y={"type": "data", "symmetric": False,
                     "array": shown["rate_high"] - shown["rate_per_1k"],
                     "arrayminus": shown["rate_per_1k"] - shown["rate_low"]},
            hovertemplate="decile %{x}: %{y:.1f} per 1,000 residents<extra></extra>",
        )
    )  # fmt: skip
    figure.update_layout(
        xaxis={"title": f"Decile of the {rates.title} (1 = most deprived)", "dtick": 1},
        yaxis={"title": "Incidents per 1,000 residents"}, margin={"l": 10, "r": 10, "t": 10, "b": 10},
    )  # fmt: skip
    return figure
