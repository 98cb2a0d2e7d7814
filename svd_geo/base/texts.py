"""Text columns as their distinct values, for checks that run once per value.

Partner files repeat a few labels, months, codes and snap points across many
rows: police.uk's million-row downloads hold a few dozen months and about
20,000 places.  Stripping, matching and parsing each distinct text once and
taking the result back to the rows is what keeps ingest linear in the rows
with a small constant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd


@dataclass(frozen=True)
class DistinctTexts:
    """A text column as its distinct texts and, for each row, which one it holds.

    Attributes
    ----------
    codes : numpy.ndarray
        For each row, the position of its text in ``texts``.
    texts : pandas.Series
        The distinct texts (``"string"`` dtype) with surrounding spaces stripped,
        ``""`` where the cell is blank or missing.  Texts that differ only in
        their spaces appear once each, with the same stripped value.
    """

    codes: npt.NDArray[np.intp]
    texts: pd.Series

    @property
    def counts(self) -> npt.NDArray[np.int64]:
        """How many rows hold each distinct text."""
        return np.bincount(self.codes, minlength=len(self.texts))

    def per_row(self, per_text: npt.ArrayLike) -> npt.NDArray[Any]:
        """Take a value computed per distinct text (an array as long as ``texts``) to the rows.

        Parameters
        ----------
        per_text : array-like
            One value per distinct text.

        Returns
        -------
        numpy.ndarray
            One value per row.
        """
        return np.asarray(per_text)[self.codes]

    def text_column(
        self, per_text: pd.Series, rows: npt.NDArray[np.bool_], *, compact: bool = False
    ) -> pd.api.extensions.ExtensionArray:
        """Return the chosen rows' values as a column of ``per_text``'s dtype, from one per distinct text.

        Taken from the distinct values: pandas spends about 0.1 s a column at a
        million rows turning Python strings into its text arrays.

        Parameters
        ----------
        per_text : pandas.Series
            One text per distinct text.
        rows : numpy.ndarray of bool
            The rows to keep.
        compact : bool, default False
            Return a categorical instead (a byte or two a row, against a copy of
            each row's text: 27 MB less for a million category names).

        Returns
        -------
        pandas.api.extensions.ExtensionArray
            The kept rows' texts.
        """
        if compact:
            # per_text may repeat a value (texts that differed only in spaces).
            value_codes, values = pd.factorize(per_text, sort=False)
            return pd.Categorical.from_codes(value_codes[self.codes[rows]], categories=values)
        column: pd.api.extensions.ExtensionArray = per_text.array.take(self.codes[rows])
        return column


def distinct_texts(values: pd.Series) -> DistinctTexts:
    """Give each distinct text of a column a number, in order of first occurrence.

    Parameters
    ----------
    values : pandas.Series
        A column as read from a partner file (text; missing cells allowed).

    Returns
    -------
    DistinctTexts
        The stripped distinct texts and each row's code.
    """
    codes, uniques = pd.factorize(values, sort=False)
    texts = pd.Series(uniques).astype("string").fillna("").str.strip()
    codes = np.asarray(codes, dtype=np.intp)
    missing = codes < 0
    if missing.any():
        codes = np.where(missing, len(texts), codes)
        texts = pd.concat([texts, pd.Series([""], dtype="string")], ignore_index=True)
    return DistinctTexts(codes, texts)


def per_distinct(values: pd.Series, lookup: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a lookup to each distinct value once and take the results back to the rows.

    A million incidents hold a few hundred categories or offence codes; mapping
    them row by row as text took 0.4 s.

    Parameters
    ----------
    values : pandas.Series
        Text (or categorical) values; missing ones are looked up as "".
    lookup : callable
        Takes the distinct values as a string Series, returns one float each.

    Returns
    -------
    pandas.Series
        The lookup's result per row, on ``values``' index.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = pd.Series(np.asarray(uniques, dtype=object), dtype="string")
    found = np.append(np.asarray(lookup(distinct), dtype=float), lookup(pd.Series([""], dtype="string")))
    return pd.Series(found[codes], index=values.index)
