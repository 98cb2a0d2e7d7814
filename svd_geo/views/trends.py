"""The Trends page: the trend run of a view, with its categories' series and seasonality."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from svd_geo.analyses.params import HotspotParams
from svd_geo.analyses.trends import TrendsRun, run_trends
from svd_geo.base.vocabulary import HARM_LABELS, SOURCE_LABELS
from svd_geo.methods.months import describe_seasonality, seasonality, top_category_months
from svd_geo.methods.trends import NO_PATTERN

if TYPE_CHECKING:
    import geopandas as gpd
    import plotly.graph_objects as go

    from svd_geo.base.config import Config
    from svd_geo.select.filters import View


@dataclass
class TrendsView:
    """What the Trends page draws.

    Attributes
    ----------
    run : TrendsRun
        Monthly series by partner, trend test, week-hour matrix and emerging hotspots.
    by_category : pandas.DataFrame
        Monthly counts of the most frequent categories.
    seasonal : pandas.DataFrame
        Mean incidents per calendar month over the years it is whole.
    incidents : int
        How many incidents the view selects.
    timed_sources : tuple of str
        The partners whose stored records carry a time of day (for the week-hour
        matrix's note when the view has none).
    emerging_areas : pandas.DataFrame
        The areas with a pattern, named, hot spots first (:func:`emerging_table`).
    """

    run: TrendsRun
    by_category: pd.DataFrame
    seasonal: pd.DataFrame
    incidents: int
    timed_sources: tuple[str, ...] = ()
    emerging_areas: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def partial_to(self) -> pd.Timestamp | None:
        """The last day with records, when the last month is short."""
        last = self.run.summary["latest_month_partial_to"]
        return pd.Timestamp(last) if last else None

    def seasonal_note(self) -> str:
        """Say what the seasonal means are over.

        Returns
        -------
        str
            The caption under the seasonality chart.
        """
        return describe_seasonality(self.seasonal)

    def week_hour_note(self) -> str:
        """Say how many records the week-hour matrix counts, and why none when it is blank.

        Returns
        -------
        str
            The caption under the day-by-hour matrix.
        """
        timed = int(self.run.summary["timed_records"])
        if timed:
            return f"From the {timed:,} selected records with a time of day."
        having = ", ".join(SOURCE_LABELS.get(s, s) for s in self.timed_sources) or "no partner's"
        return (
            "None of the selected records has a time of day (police.uk records are dated to the "
            f"month only), so there is no pattern to show. Records with a time: {having}."
        )

    def trend_words(self) -> tuple[str, str]:
        """Say the trend test as a headline and a line under it, plainly when it cannot be tested.

        Returns
        -------
        tuple of str
            E.g. ("increasing", "+4.2 incidents a month (Sen's slope), p = 0.003"), or
            ("too few months to test a trend", "4 whole months are needed; this view has 2").
        """
        trend = self.run.trend
        if pd.isna(trend["p"]):
            months = int(self.run.summary["months"]) - (self.partial_to is not None)
            return "too few months to test a trend", f"4 whole months are needed; this view has {months}."
        slope = f"{trend['slope_per_step']:+.1f} incidents a month (Sen's slope), p = {trend['p']:.3f}"
        return str(trend["trend"]), slope


def build_trends_view(
    selected: gpd.GeoDataFrame, config: Config, *, areas: str, timed_sources: tuple[str, ...] = ()
) -> TrendsView:
    """Build the Trends page's figures from the incidents a view selects.

    Parameters
    ----------
    selected : geopandas.GeoDataFrame
        The view's incidents, EPSG:27700 (at least one).
    config : Config
        Where the boundaries are.
    areas : str
        Area unit of the emerging hotspots (``hex:SIZE_M``, ``ward`` or ``lsoa``).
    timed_sources : tuple of str, default ()
        The partners whose stored records carry a time of day.

    Returns
    -------
    TrendsView
        The figures.

    Raises
    ------
    DataValidationError
        When the area unit cannot be used.
    """
    run = run_trends(selected, HotspotParams(method="gistar", areas=areas), config, by="source")
    partial_to = run.summary["latest_month_partial_to"]
    seasonal = seasonality(run.monthly, partial_to=pd.Timestamp(partial_to) if partial_to else None)
    named = emerging_table(run.emerging, config)
    return TrendsView(run, top_category_months(selected), seasonal, len(selected), timed_sources, named)


def emerging_table(emerging: gpd.GeoDataFrame, config: Config) -> pd.DataFrame:
    """Return the areas with a pattern for a page: named by ward, hot spots first, then cold.

    A hexagon has only a grid code ("hex500_r697c1047"); it is named by the ward
    holding its centre ("hexagon in Portland").

    Parameters
    ----------
    emerging : geopandas.GeoDataFrame
        :func:`~svd_geo.methods.trends.emerging_hotspots`'s areas, EPSG:27700.
    config : Config
        Where the wards are.

    Returns
    -------
    pandas.DataFrame
        Area, category, periods as a hot and as a cold spot, and the trend's z and p.
    """
    import geopandas as gpd

    from svd_geo.sources.areas import study_context

    patterned = emerging[emerging["category"] != NO_PATTERN]
    names = patterned["area_name"].astype(str)
    hexagons = patterned["area_code"].astype(str).str.startswith("hex").to_numpy()
    if hexagons.any():
        wards, _ = study_context(config)
        centres = gpd.GeoDataFrame(geometry=patterned.geometry.representative_point(), crs=patterned.crs)
        joined = gpd.sjoin(centres, wards[["area_name", "geometry"]], predicate="within", how="left")
        ward = joined.groupby(level=0)["area_name"].first().reindex(patterned.index)
        names = names.where(~hexagons, "hexagon in " + ward.fillna("no ward"))
    table = pd.DataFrame({
        "area": names.to_numpy(), "category": patterned["category"].to_numpy(),
        "periods as a hot spot": patterned["hot_periods"].to_numpy(),
        "periods as a cold spot": patterned["cold_periods"].to_numpy(),
        "trend z": patterned["trend_z"].round(2).to_numpy(),
        "trend p": patterned["trend_p"].round(3).to_numpy(),
    })  # fmt: skip
    hot_first = table["category"].str.contains("cold").to_numpy()
    return table.assign(_cold=hot_first).sort_values(["_cold", "category", "area"]).drop(columns="_cold")


def timed_sources(incidents: pd.DataFrame) -> tuple[str, ...]:
    """Return the partners whose records carry a time of day, in the order of the vocabulary.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Incidents with ``source`` and ``occurred_precision``.

    Returns
    -------
    tuple of str
        Source codes.
    """
    having = set(incidents.loc[incidents["occurred_precision"] == "datetime", "source"].unique())
    return tuple(s for s in SOURCE_LABELS if s in having)


def monthly_figure(
    monthly: pd.DataFrame, *, partial_to: pd.Timestamp | None, color: str | None = None
) -> go.Figure:
    """Draw monthly counts as lines, the month the records stop part-way through as a hollow marker.

    A line into the short month would plunge for that reason alone.

    Parameters
    ----------
    monthly : pandas.DataFrame
        ``month, incidents`` [and the ``color`` column].
    partial_to : pandas.Timestamp or None
        The last day with records, when the last month is short.
    color : str, optional
        A line per value of this column (e.g. ``source``, ``category``).

    Returns
    -------
    plotly.graph_objects.Figure
        The chart, the short month off the lines.
    """
    import plotly.express as px

    shown = monthly.copy()
    if color == "source":
        shown["source"] = shown["source"].map(lambda s: SOURCE_LABELS.get(s, s))
    short_month = partial_to.to_period("M").to_timestamp() if partial_to is not None else None
    short = shown["month"] == short_month
    labels = {"month": "", "incidents": "Incidents", "source": "Partner", "category": "Category"}
    figure = px.line(shown[~short], x="month", y="incidents", color=color, labels=labels)
    first_colour = px.colors.qualitative.Plotly[0]  # what a single line is drawn in
    colours = {trace.name: trace.line.color or first_colour for trace in figure.data}
    if partial_to is None:
        return figure
    groups = shown[short].groupby(color, observed=True) if color else [("", shown[short])]
    for name, rows in groups:
        figure.add_scatter(
            x=rows["month"], y=rows["incidents"], mode="markers", showlegend=False,
            name=f"{name} (records to {partial_to:%d %b})".strip(),
            marker={"symbol": "circle-open", "size": 10, "color": colours.get(name, first_colour)},
        )  # fmt: skip
    return figure


def trends_caption(view: View) -> str:
    """Say what the page's series count: incidents, whatever harm table the view weighs by.

    Parameters
    ----------
    view : View
        The filters counted.

    Returns
    -------
    str
        The caption at the top of the page.
    """
    counted = f"Counting {view.describe(weighted=False)}."
    if view.harm == "count":
        return counted
    return (
        f"{counted} The series, the week-hour pattern and the emerging hotspots count incidents; "
        f"the harm weights ({HARM_LABELS[view.harm]}) apply to the deprivation rates below."
    )
