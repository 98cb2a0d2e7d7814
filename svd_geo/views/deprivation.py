"""What the Trends page and the briefing show of violence by deprivation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from svd_geo.select.filters import View

DOMAIN_NAMES = {
    "imd:2019": "IMD 2019 (2011 LSOAs)", "crime:2019": "its Crime domain",
    "imd:2025": "IMD 2025 (2021 LSOAs)", "crime:2025": "its Crime domain (2025)",
}  # fmt: skip
"""The deprivation indices the page offers: ``domain:edition``."""

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from svd_geo.analyses.deprivation import DeprivationRates


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
    harm = f" {rates.harm_sentence()}" if rates.harm_ratio is not None else ""
    return (
        f"{rates.ratio.sentence(rates.title)}{harm} Counting {view.describe()}, over the whole period "
        f"selected; intervals are exact (Poisson; see the README).{left_out}"
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
        A bar per decile, error bars for the interval; when the incidents are weighted,
        a marker per decile for its harm per 1,000 residents, on the right-hand axis.
    """
    import plotly.graph_objects as go

    shown = rates.table[~rates.withheld(view)]
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
    if "harm_per_1k" in shown:
        figure.add_trace(
            go.Scatter(
                x=shown["decile"], y=shown["harm_per_1k"], mode="markers", yaxis="y2", name="harm",
                marker={"color": "#2166ac", "size": 12, "symbol": "diamond"},
                hovertemplate="decile %{x}: harm %{y:,.1f} per 1,000 residents<extra></extra>",
            )
        )  # fmt: skip
        figure.update_layout(
            yaxis2={"title": "Harm per 1,000 residents (diamonds)", "overlaying": "y", "side": "right",
                    "rangemode": "tozero"},
            showlegend=False,
        )  # fmt: skip
    return figure
