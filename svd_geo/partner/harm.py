"""Harm weights: weight incidents by a published table (CSS, CCHI), a user's table, or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from svd_geo.base.coords import parse_numbers
from svd_geo.base.errors import DataValidationError
from svd_geo.base.schema import record_counts
from svd_geo.base.texts import per_distinct
from svd_geo.base.vocabulary import HARM_LABELS
from svd_geo.partner.readers import read_csv_bytes

if TYPE_CHECKING:
    import geopandas as gpd

    from svd_geo.base.config import Config

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


@dataclass(frozen=True)
class HarmWeighting:
    """How the incidents were weighted, for every output to say.

    Attributes
    ----------
    choice : str
        ``count``, ``css``, ``cchi`` or the user's table's file name.
    description : str
        The table, its edition and the rule ("" for count).
    by_code, by_category, unweighted : int
        Records weighted by offence code, by category, and not at all (they count 1).
    attribution : str
        The table's licence attribution and citation ("" for count or a user's table).
    """

    choice: str
    description: str
    by_code: int = 0
    by_category: int = 0
    unweighted: int = 0
    attribution: str = ""

    def label(self) -> str:
        """Name the weighting in a few words, e.g. "ONS Crime Severity Score" or "harm.csv".

        Returns
        -------
        str
            The table's name, or the user's file's.
        """
        return HARM_LABELS.get(self.choice, self.choice)

    def sentence(self) -> str:
        """Say it in one sentence.

        Returns
        -------
        str
            E.g. "Harm: ONS Crime Severity Score (...): 15,982 records weighted by
            category; 4,018 records had no weight and count 1."
        """
        if self.choice == "count":
            return "Harm: each incident counts 1 (no harm weights)."
        parts = [f"{n:,} records weighted by {how}" for n, how in
                 ((self.by_code, "offence code"), (self.by_category, "category")) if n]  # fmt: skip
        if self.unweighted:
            parts.append(f"{self.unweighted:,} records had no weight and count 1")
        return f"Harm: {self.description}. {'; '.join(parts) or 'no records'}."

    def as_metadata(self) -> dict[str, object]:
        """Return what a sidecar records of the weighting.

        Returns
        -------
        dict
            ``harm``, ``harm_table``, the three counts and the attribution.
        """
        return {
            "harm": self.choice, "harm_table": self.description, "weighted_by_code": self.by_code,
            "weighted_by_category": self.by_category, "unweighted": self.unweighted,
            "harm_attribution": self.attribution,
        }  # fmt: skip


def _stored_weights(incidents: pd.DataFrame) -> pd.Series:
    """Return the weight each record carries from its own file (how many incidents it stands for), else 1."""
    if "weight" not in incidents:
        return pd.Series(1.0, index=incidents.index)
    return incidents["weight"].astype(float).fillna(1.0)


def weigh_incidents(
    incidents: gpd.GeoDataFrame, harm: str, config: Config
) -> tuple[gpd.GeoDataFrame, HarmWeighting]:
    """Weight each incident by harm: a published table (``css``, ``cchi``), a user's FILE, or not (``count``).

    The harm weight multiplies the record's own weight (a record that stands for
    several incidents).  See :mod:`svd_geo.sources.harm` for how a published table
    weights a record.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        Incidents with ``category`` (and ``offence_code`` where the partner gave one).
    harm : str
        A key of :data:`svd_geo.base.vocabulary.HARM_LABELS`, or the path of a CSV of category,weight.
    config : Config
        Where the registered tables are.

    Returns
    -------
    tuple of geopandas.GeoDataFrame and HarmWeighting
        The incidents with ``weight`` set, and what was done.

    Raises
    ------
    DataValidationError
        For a user's table that cannot be used, or a choice that is neither a table nor a file.
    """
    from svd_geo.sources.harm import HARM_TABLES, load_harm_table

    if harm == "count":
        return incidents, HarmWeighting("count", "")
    if harm not in HARM_TABLES:
        path = Path(harm)
        if not path.is_file():
            msg = f"--harm {harm!r}: choose count, css or cchi, or give a CSV of category,weight."
            raise DataValidationError(msg)
        table = read_weights(path)
        by_category = per_distinct(incidents["category"], lambda c: c.str.strip().map(table).astype(float))
        by_code = pd.Series(float("nan"), index=incidents.index)
        what, attribution = f"the user's table {path.name} (weights by category)", ""
    else:
        published = load_harm_table(harm, config)
        codes = (
            incidents["offence_code"] if "offence_code" in incidents else pd.Series("", index=incidents.index)
        )
        by_code = published.code_weights(codes)
        by_category = per_distinct(
            incidents["category"],
            lambda c: c.str.strip().str.lower().map(published.by_category).astype(float),
        )
        what, attribution = published.describe(), published.attribution
    chosen = by_code.fillna(by_category)
    weighted = incidents.copy(deep=False)  # copy-on-write: only the weight column is new
    weighted["weight"] = (_stored_weights(incidents) * chosen.fillna(1.0)).to_numpy(dtype=float)
    records = record_counts(incidents)  # a grouped frame's rows stand for several incidents each
    coded = int(records[by_code.notna().to_numpy()].sum())
    return weighted, HarmWeighting(
        Path(harm).name if harm not in HARM_TABLES else harm, what, coded,
        int(records[(by_code.isna() & by_category.notna()).to_numpy()].sum()),
        int(records[chosen.isna().to_numpy()].sum()), attribution,
    )  # fmt: skip
