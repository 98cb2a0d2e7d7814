"""Harm weights per category: read a user's table and weight incidents with it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from svd_geo.base.coords import parse_numbers
from svd_geo.base.errors import DataValidationError
from svd_geo.partner.readers import read_csv_bytes

if TYPE_CHECKING:
    import geopandas as gpd

WEIGHT_COLUMNS = ("category", "weight")


def read_weights(path: Path) -> pd.Series:
    """Read a harm table: a CSV with ``category`` and ``weight`` columns.

    Parameters
    ----------
    path : Path
        The CSV.

    Returns
    -------
    pandas.Series
        Weight by category.

    Raises
    ------
    DataValidationError
        When a column is missing, a weight is not a number of zero or more, or a
        category appears twice.
    """
    table = read_csv_bytes(path.read_bytes(), name=path.name).frame
    table.columns = [c.strip().lower() for c in table.columns]
    missing = [c for c in WEIGHT_COLUMNS if c not in table.columns]
    if missing:
        msg = f"{path.name}: a harm table needs columns category and weight; missing {', '.join(missing)}."
        raise DataValidationError(msg)
    weights = parse_numbers(table["weight"])
    bad = weights.isna() | (weights < 0)
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        msg = (
            f"{path.name} row {row} (line {row + 2}): weight {table['weight'].iloc[row]!r} is not a "
            "number of zero or more; fix it."
        )
        raise DataValidationError(msg)
    categories = table["category"].str.strip()
    repeated = categories[categories.duplicated()]
    if not repeated.empty:
        msg = f"{path.name}: category {repeated.iloc[0]!r} appears more than once; keep one weight each."
        raise DataValidationError(msg)
    return pd.Series(weights.to_numpy(), index=categories.to_numpy(), name="weight")


def apply_weights(incidents: gpd.GeoDataFrame, weights: pd.Series) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Set each incident's ``weight`` from its category.

    Categories missing from the table keep weight 1 and are returned so the
    caller can report them.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        Incidents with ``category``.
    weights : pandas.Series
        Weight by category (:func:`read_weights`).

    Returns
    -------
    tuple
        The incidents with ``weight`` (1 for a category not in the table), and those
        categories.
    """
    mapped = incidents["category"].map(weights)
    unmatched = sorted(incidents.loc[mapped.isna(), "category"].astype(str).unique())
    weighted = incidents.copy()
    weighted["weight"] = mapped.fillna(1.0).to_numpy(dtype=float)
    return weighted, unmatched


def weights_differ(frame: pd.DataFrame, *, count: str, harm: str = "harm") -> bool:
    """Whether a harm column says anything the count does not (harm weights were applied).

    Parameters
    ----------
    frame : pandas.DataFrame
        A table with both columns.
    count, harm : str
        The columns.

    Returns
    -------
    bool
        False when every harm equals its count (every weight 1): the column would only repeat it.
    """
    return harm in frame and not (frame[harm].round(6) == frame[count].round(6)).all()
