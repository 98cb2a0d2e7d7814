"""Monthly series of incidents: counts per month, the short last month, and seasonality."""

from __future__ import annotations

import pandas as pd

from svd_geo.base.errors import EmptySelectionError
from svd_geo.base.schema import record_counts

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")  # fmt: skip


def monthly_counts(incidents: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame:
    """Count incidents per month (every month from first to last, zeros included).

    Parameters
    ----------
    incidents : pandas.DataFrame
        With ``occurred`` (and the ``by`` column when given); one per row, or grouped (``records``).
    by : str, optional
        Also split by this column (e.g. ``source`` or ``category``).

    Returns
    -------
    pandas.DataFrame
        ``month`` (first day) [, ``by``], ``incidents``.
    """
    if incidents.empty:
        msg = "no incidents to count per month; widen the filters."
        raise EmptySelectionError(msg)
    month = incidents["occurred"].dt.to_period("M")
    months = pd.period_range(month.min(), month.max(), freq="M")
    keys = [month.rename("month")] + ([incidents[by]] if by else [])
    counts = pd.Series(record_counts(incidents), index=incidents.index).groupby(keys).sum().astype("int64")
    index: pd.Index = (
        pd.MultiIndex.from_product([months, sorted(incidents[by].unique())], names=["month", by])
        if by
        else pd.PeriodIndex(months, name="month")
    )
    table = counts.reindex(index, fill_value=0).rename("incidents").reset_index()
    table["month"] = table["month"].dt.to_timestamp()
    return table


def partial_last_month(incidents: pd.DataFrame) -> pd.Timestamp | None:
    """Return the last day with records when they stop before the end of the last month, else None.

    Extracts are often cut part-way through a month, and that month's count is then
    low for that reason alone. Records dated only to the month (police.uk) cannot
    tell, so only records with a day are looked at; when the last month has none,
    nothing is said.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Incidents with ``occurred`` and ``occurred_precision``.

    Returns
    -------
    pandas.Timestamp or None
        The last day with records, when the last month is short.
    """
    if incidents.empty:
        return None
    last_month = incidents["occurred"].max().to_period("M")
    dated = incidents.loc[incidents["occurred_precision"] != "month", "occurred"]
    if dated.empty or dated.max().to_period("M") != last_month:
        return None
    last_day = dated.max().normalize()
    return last_day if last_day < last_month.to_timestamp(how="end").normalize() else None


def describe_partial_month(last_day: pd.Timestamp) -> str:
    """Say, for a caption, that the latest month's count is short.

    Parameters
    ----------
    last_day : pandas.Timestamp
        The last day with records.

    Returns
    -------
    str
        E.g. "July 2026 has records only to 10 July 2026, so its count is low."
    """
    return (
        f"The latest month ({last_day:%b %Y}) has records only to {last_day:%d %b %Y}: "
        "its count is low for that reason alone."
    )


def seasonality(monthly: pd.DataFrame, *, partial_to: pd.Timestamp | None = None) -> pd.DataFrame:
    """Mean incidents per calendar month (1-12), over the years in which that month is whole.

    Adding months up over unequal years (January to June three times, July to
    December twice) would invent a drop; the mean does not.  The month the records
    stop part-way through (``partial_to``) is left out.

    Parameters
    ----------
    monthly : pandas.DataFrame
        ``month, incidents`` (split by another column or not: the months are summed).
    partial_to : pandas.Timestamp, optional
        The last day with records, when the last month is short
        (:func:`partial_last_month`).

    Returns
    -------
    pandas.DataFrame
        ``calendar month`` (1 to 12), ``month`` (its name, "Jan"), ``mean incidents``
        (NaN for a month never whole) and ``years`` (how many years the mean is over).
    """
    total = monthly.groupby("month")["incidents"].sum()
    months = pd.DatetimeIndex(total.index)
    if partial_to is not None:
        whole = months.to_period("M") != partial_to.to_period("M")
        total, months = total[whole], months[whole]
    by_month = total.groupby(months.month)
    table = pd.DataFrame({"mean incidents": by_month.mean(), "years": by_month.size()})
    table = table.reindex(range(1, 13)).fillna({"years": 0}).astype({"years": int})
    table.insert(0, "month", [name[:3] for name in MONTH_NAMES])
    return table.rename_axis("calendar month").reset_index()


def describe_seasonality(seasonal: pd.DataFrame) -> str:
    """Say, for a caption, what the seasonal means are over.

    Parameters
    ----------
    seasonal : pandas.DataFrame
        As :func:`seasonality` returns.

    Returns
    -------
    str
        E.g. "Mean incidents per calendar month, over the years each month is whole
        in the records: January to June over 3 years, July to December over 2."
    """
    runs: list[tuple[int, int, int]] = []  # (first month, last month, years)
    for month, years in zip(seasonal["calendar month"], seasonal["years"], strict=True):
        if runs and runs[-1][2] == years:
            runs[-1] = (runs[-1][0], int(month), int(years))
        else:
            runs.append((int(month), int(month), int(years)))
    parts = []
    for first, last, years in runs:
        months = MONTH_NAMES[first - 1] + ("" if first == last else f" to {MONTH_NAMES[last - 1]}")
        over = f"over {years} year{'s' if years != 1 else ''}" if years else "not one whole month yet"
        parts.append(f"{months} {over}")
    lead = "Mean incidents per calendar month, over the years each month is whole in the records: "
    return lead + "; ".join(parts) + "."


def top_category_months(incidents: pd.DataFrame, *, top: int = 6) -> pd.DataFrame:
    """Monthly counts of the ``top`` most frequent categories.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Incidents with ``category`` and ``occurred``.
    top : int, default 6
        How many categories.

    Returns
    -------
    pandas.DataFrame
        ``month, category, incidents``.
    """
    frequent = incidents["category"].value_counts().head(top).index
    return monthly_counts(incidents[incidents["category"].isin(frequent)], by="category")
