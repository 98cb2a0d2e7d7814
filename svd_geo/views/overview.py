"""The Overview page's figures: this period against the last one and last year."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from svd_geo.base.config import Config
from svd_geo.base.schema import count_records
from svd_geo.base.vocabulary import SOURCE_LABELS
from svd_geo.select.filters import View, is_suppressed, shown_count
from svd_geo.select.grouped import Selector, rows_selector
from svd_geo.views.common import area_table

if TYPE_CHECKING:
    import geopandas as gpd

DEFAULT_PERIOD_MONTHS = 3
TOP_AREAS = 10


@dataclass(frozen=True)
class ComparedPeriods:
    """The period shown and the two it is compared with (inclusive days).

    Attributes
    ----------
    start, end : pandas.Timestamp
        The first and last day of the period.
    chosen_end : pandas.Timestamp or None
        The end the user chose, when it ran past the records and was cut to them.
    partial_to : pandas.Timestamp or None
        The last day with records, when the records stop part-way through a month
        that the default period therefore leaves out.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    chosen_end: pd.Timestamp | None = None
    partial_to: pd.Timestamp | None = None

    @property
    def whole_months(self) -> int | None:
        """How many calendar months the period is, when it runs from a 1st to a month's last day."""
        if self.start.day != 1 or (self.end + pd.Timedelta(days=1)).day != 1:
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def previous(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The as many whole months just before (April to June: January to March), else as many days."""
        months = self.whole_months
        if months is not None:
            return self.start - pd.DateOffset(months=months), self.start - pd.Timedelta(days=1)
        length = self.end - self.start + pd.Timedelta(days=1)
        return self.start - length, self.start - pd.Timedelta(days=1)

    @property
    def last_year(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The same days a year earlier (whole months stay whole: to 28 February after a 29th)."""
        return self.start - pd.DateOffset(years=1), self.end - pd.DateOffset(years=1)

    def describe_comparisons(self) -> str:
        """Say which dates the period is compared with.

        Returns
        -------
        str
            E.g. "Previous period: 01 Jan 2026 to 31 Mar 2026. Same period last year:
            01 Apr 2025 to 30 Jun 2025."
        """
        (before_start, before_end), (year_start, year_end) = self.previous, self.last_year
        return (
            f"Previous period: {before_start:%d %b %Y} to {before_end:%d %b %Y}. "
            f"Same period last year: {year_start:%d %b %Y} to {year_end:%d %b %Y}."
        )

    def describe(self) -> str:
        """Say the period in words.

        Returns
        -------
        str
            E.g. "01 Apr 2026 to 30 Jun 2026".
        """
        return f"{self.start:%d %b %Y} to {self.end:%d %b %Y}"

    def note(self, view: View) -> str:
        """Say how the period was chosen, and what was cut from it.

        Parameters
        ----------
        view : View
            The dashboard's dates (none chosen means the default period).

        Returns
        -------
        str
            E.g. "The last 3 whole months of records (July 2026 has records only to
            01 Jul 2026, so it is left out)."
        """
        if self.chosen_end is not None:
            return (
                f"You chose dates to {self.chosen_end:%d %b %Y}, but the records end on "
                f"{self.end:%d %b %Y}: the period is cut there, and compared with periods as long."
            )
        if view.date_from and view.date_to:
            return "The dates chosen in the sidebar."
        if view.date_from:
            return "From the date chosen in the sidebar to the end of the last whole month of records."
        if view.date_to:
            return f"The {DEFAULT_PERIOD_MONTHS} months to the date chosen in the sidebar."
        text = f"The last {DEFAULT_PERIOD_MONTHS} whole months of records"
        if self.partial_to is not None:
            text += (
                f" ({self.partial_to:%B %Y} has records only to {self.partial_to:%d %b %Y}, "
                "so it is left out)"
            )
        return text + "; choose dates in the sidebar for another period."

    def window(self, view: View) -> View:
        """Return the view narrowed to this period (what the Overview's map and tables count).

        Parameters
        ----------
        view : View
            The dashboard's filters.

        Returns
        -------
        View
            The same filters, dated from ``start`` to ``end``.
        """
        return _window(view, self.start, self.end)


DATED_BY = ("occurred_day", "occurred_precision")
"""What the period and the monthly series are counted by: the day and how precisely it is known."""


def choose_period(incidents: pd.DataFrame, view: View) -> ComparedPeriods:
    """Use the view's dates (cut to the records), or the last three whole months of records.

    A month the records stop part-way through is not whole: its count would be low
    for that reason alone, and the headline change with it.

    Parameters
    ----------
    incidents : pandas.DataFrame
        The incidents, with ``occurred`` and ``occurred_precision``.
    view : View
        The dashboard's dates.

    Returns
    -------
    ComparedPeriods
        This period, the previous one and the same period a year earlier.
    """
    from svd_geo.methods.months import partial_last_month

    partial_to = partial_last_month(incidents)
    last_month_end = (incidents["occurred"].max() + pd.offsets.MonthEnd(0)).normalize()
    records_end = partial_to if partial_to is not None else last_month_end
    if view.date_to:
        end = pd.Timestamp(view.date_to)
    elif partial_to is not None:
        end = partial_to.to_period("M").start_time - pd.Timedelta(days=1)
    else:
        end = last_month_end
    if view.date_from:
        start = pd.Timestamp(view.date_from)
    else:
        start = (end + pd.Timedelta(days=1) - pd.DateOffset(months=DEFAULT_PERIOD_MONTHS)).normalize()
    if end > records_end >= start:
        return ComparedPeriods(start, records_end, chosen_end=end)
    return ComparedPeriods(start, end, partial_to=None if view.date_to else partial_to)


def _window(view: View, start: pd.Timestamp, end: pd.Timestamp) -> View:
    return replace(view, date_from=f"{start:%Y-%m-%d}", date_to=f"{end:%Y-%m-%d}")


def withheld_cells(table: pd.DataFrame, view: View) -> pd.DataFrame:
    """Return which counts a meeting must not see: the small ones, and one more where a total gives them back.

    A column with one small count beside its total reveals that count (total less
    the others): the next smallest count in the column is withheld as well
    (secondary suppression).  Outside presentation mode nothing is withheld.

    Parameters
    ----------
    table : pandas.DataFrame
        Counts, one row per partner and a last row that is their total.
    view : View
        Presentation mode and the small-count threshold.

    Returns
    -------
    pandas.DataFrame
        True for each withheld cell, the table's shape.
    """
    withheld = table.map(lambda count: is_suppressed(count, view))
    for column in table.columns:
        parts = table[column].iloc[:-1]
        if int(withheld[column].iloc[:-1].sum()) != 1:
            continue
        others = parts[~withheld[column].iloc[:-1] & (parts > 0)]
        if len(others):
            withheld.loc[others.idxmin(), column] = True
    return withheld


def _change(now: int, then: int) -> str:
    if then == 0:
        return "new" if now else "–"
    return f"{(now - then) / then:+.0%}"


@dataclass
class Overview:
    """Headline figures for a meeting.

    Attributes
    ----------
    periods : ComparedPeriods
        The period and its comparisons.
    by_partner : pandas.DataFrame
        Per partner: this period, the previous period, the same period last year, changes.
    top_wards, top_lsoas : geopandas.GeoDataFrame
        The areas with most incidents this period (count and rate).
    monthly : pandas.DataFrame
        Monthly totals of the view, for the sparkline.
    partial_to : pandas.Timestamp or None
        The last day with records when they stop part-way through the last month.
    """

    periods: ComparedPeriods
    by_partner: pd.DataFrame
    top_wards: gpd.GeoDataFrame
    top_lsoas: gpd.GeoDataFrame
    monthly: pd.DataFrame
    partial_to: pd.Timestamp | None = None


def build_overview(incidents: gpd.GeoDataFrame, view: View, config: Config) -> Overview:
    """Compute the Overview figures for the view (counts suppressed in presentation mode).

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        Every stored incident (the view's dates choose the period).
    view : View
        The dashboard's filters and mode.
    config : Config
        Where the boundaries and populations are.

    Returns
    -------
    Overview
        The period, the partner table, the top areas and the monthly series.
    """
    return overview_of(rows_selector(incidents, config), view, config)


def overview_of(select: Selector, view: View, config: Config) -> Overview:
    """Compute the Overview figures from what a selector gives (rows, or a store's grouped counts).

    Parameters
    ----------
    select : Selector
        The view's incidents for any view (see :data:`svd_geo.select.grouped.Selector`).
    view : View
        The dashboard's filters and mode.
    config : Config
        Where the boundaries and populations are.

    Returns
    -------
    Overview
        As :func:`build_overview`.
    """
    from svd_geo.methods.months import monthly_counts, partial_last_month

    periods = choose_period(select(View(), DATED_BY), view)
    windows = {
        "this period": (periods.start, periods.end),
        "previous period": periods.previous,
        "same period last year": periods.last_year,
    }
    counts = {name: count_records(select(_window(view, *window), ("source",)), "source")
              for name, window in windows.items()}  # fmt: skip
    table = pd.DataFrame(counts).fillna(0).astype(int)
    table.loc["all partners"] = table.sum()
    withheld = withheld_cells(table, view)
    rows = []
    for source, row in table.iterrows():
        hidden = withheld.loc[str(source)]
        # "<5" for a small count; "suppressed" for one withheld so a total does not give that back.
        shown = {
            name: "suppressed"
            if hidden[name] and not is_suppressed(row[name], view)
            else shown_count(row[name], view)
            for name in windows
        }
        rows.append({
            "partner": SOURCE_LABELS.get(str(source), str(source)), **shown,
            "change on previous": "suppressed" if hidden[["this period", "previous period"]].any()
            else _change(row["this period"], row["previous period"]),
            "change on last year": "suppressed" if hidden[["this period", "same period last year"]].any()
            else _change(row["this period"], row["same period last year"]),
        })  # fmt: skip
    current = select(_window(view, periods.start, periods.end), ("ward_code", "lsoa_code"))
    wards = area_table(current, "ward", view, config).head(TOP_AREAS).round({"rate_per_1k": 1})
    lsoas = area_table(current, "lsoa", view, config).head(TOP_AREAS).round({"rate_per_1k": 1})
    selected = select(replace(view, date_from=None, date_to=None), DATED_BY)
    monthly = monthly_counts(selected) if not selected.empty else pd.DataFrame(columns=["month", "incidents"])
    return Overview(periods, pd.DataFrame(rows), wards, lsoas, monthly, partial_last_month(selected))
