"""Rows set aside while a partner file is validated: the first reason for each, with its column and value."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.base.schema import REJECTED_COLUMNS
from svd_geo.partner.readers import RawTable


class Rejections:
    """The first reason each row is set aside, with the column and value.

    Kept as a small table per flag, not as arrays as long as the file: few rows
    are set aside, and filling three text arrays of a million rows costs more
    than the checks.
    """

    def __init__(self, table: RawTable) -> None:
        self.table = table
        self._set_aside = np.zeros(len(table.frame), dtype=bool)
        self._flagged: list[pd.DataFrame] = []

    def flag(self, mask: npt.NDArray[np.bool_], column: str, reason: str | npt.NDArray[np.object_]) -> None:
        """Set ``reason`` (one text, or one per row) on masked rows not yet set aside.

        Parameters
        ----------
        mask : numpy.ndarray of bool
            The rows to set aside.
        column : str
            The column at fault.
        reason : str or numpy.ndarray
            Why, once for all or per row.
        """
        rows = np.flatnonzero(mask & ~self._set_aside)
        if not len(rows):
            return
        self._set_aside[rows] = True
        frame = self.table.frame
        values = frame[column].iloc[rows].to_numpy(dtype=object) if column in frame.columns else ""
        reasons = reason[rows] if isinstance(reason, np.ndarray) else reason
        flagged = pd.DataFrame({"row": rows, "column": column, "value": values, "reason": reasons})
        self._flagged.append(flagged)

    @property
    def ok(self) -> npt.NDArray[np.bool_]:
        """Rows not set aside."""
        return ~self._set_aside

    def frame(self) -> pd.DataFrame:
        """Rows set aside in file order, as :data:`REJECTED_COLUMNS`.

        Returns
        -------
        pandas.DataFrame
            Rows set aside in file order, as :data:`REJECTED_COLUMNS`.
        """
        flagged = (
            pd.concat(self._flagged, ignore_index=True).sort_values("row", kind="stable")
            if self._flagged
            else pd.DataFrame({"row": np.zeros(0, dtype=np.int64), "column": [], "value": [], "reason": []})
        )
        rows = flagged["row"].to_numpy(dtype=np.int64)
        line = rows + 2 if self.table.points is None else np.full(len(rows), pd.NA)
        return pd.DataFrame(
            {
                "file": self.table.name,
                "row": rows,
                "line": pd.array(line, dtype="Int64"),
                **{name: flagged[name].to_numpy(dtype=object) for name in ("column", "value", "reason")},
            },
            columns=REJECTED_COLUMNS,
        )
