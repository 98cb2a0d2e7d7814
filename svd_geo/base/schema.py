"""The column sets of incidents and set-aside rows, what a validated file becomes, and grouped incidents.

Shared by the partner readers that build them (:class:`PreparedImport`) and the
store that keeps them, so neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd


INCIDENT_COLUMNS = [
    "source",
    "category",
    "occurred",
    "occurred_precision",
    "location_precision",
    "lsoa_code",
    "ward_code",
    "in_study_area",
    "weight",
    "means",
    "external_id",
    "source_file",
    "source_row",
    "place",
    "offence_code",
]


STORED_ONLY_COLUMNS = ("means", "external_id")
"""Incident columns the store keeps and no analysis reads."""


REJECTED_COLUMNS = ["file", "row", "line", "column", "value", "reason"]


@dataclass
class Detection:
    """What was found in one table of a file, shown to the user before import.

    Attributes
    ----------
    table : str
        File (or zip member) name.
    layout : str
        ``"police.uk"``, ``"table"`` or ``"vector"``.
    mapping : dict of str to str
        Field to column.
    coordinates : str
        How locations are given, e.g. ``"WGS84 longitude/latitude"``.
    rows : int
        Data rows in the table.
    notes : list of str
        Anything the user should know (ignored columns, swapped axes, ...).
    """

    table: str
    layout: str
    mapping: dict[str, str]
    coordinates: str
    rows: int
    notes: list[str] = field(default_factory=list)


@dataclass
class PreparedImport:
    """A validated file: incidents to store and rows set aside.

    Attributes
    ----------
    file_name : str
        The file's name.
    sha256 : str
        Checksum of the file, which makes imports idempotent.
    source : str
        Partner source, one of :data:`~svd_geo.base.vocabulary.SOURCES`.
    incidents : geopandas.GeoDataFrame
        Accepted rows, :data:`INCIDENT_COLUMNS` (less :data:`STORED_ONLY_COLUMNS`
        when not prepared for the store), the point's
        :data:`~svd_geo.base.coords.COORDINATE_COLUMNS` and point geometry (None for
        area-only records) in EPSG:27700.
    rejected : pandas.DataFrame
        Rows set aside, :data:`REJECTED_COLUMNS`.
    detections : list of Detection
        Per table, what was detected.
    """

    file_name: str
    sha256: str
    source: str
    incidents: gpd.GeoDataFrame
    rejected: pd.DataFrame
    detections: list[Detection]

    @property
    def summary(self) -> dict[str, object]:
        """Counts for messages and ``--json`` output."""
        return {
            "file": self.file_name,
            "sha256": self.sha256,
            "source": self.source,
            "accepted": len(self.incidents),
            "rejected": len(self.rejected),
            "area_only": int(self.incidents.geometry.isna().sum()),
            "outside_study_area": int((~self.incidents["in_study_area"]).sum()),
        }


RECORDS = "records"
"""The column of a grouped frame that says how many incidents a row stands for."""


def record_counts(frame: pd.DataFrame) -> npt.NDArray[np.float64]:
    """Return how many incidents each row stands for: ``records`` of a grouped frame, else 1.

    Parameters
    ----------
    frame : pandas.DataFrame
        Incidents, one per row, or grouped.

    Returns
    -------
    numpy.ndarray
        One count per row.
    """
    if RECORDS in frame:
        return frame[RECORDS].to_numpy(dtype=np.float64)
    return np.ones(len(frame))


def count_records(frame: pd.DataFrame, column: str) -> pd.Series:
    """Count the incidents holding each value of a column, a grouped frame's ``records`` included.

    Parameters
    ----------
    frame : pandas.DataFrame
        Incidents, one per row, or grouped.
    column : str
        The column counted by (missing values are left out, as ``value_counts`` does).

    Returns
    -------
    pandas.Series
        Incidents (int64) by value, most first.
    """
    if RECORDS not in frame:
        counted: pd.Series = frame[column].value_counts()
        return counted
    counts = frame[RECORDS].groupby(frame[column].to_numpy()).sum()
    return counts.astype("int64").sort_values(ascending=False, kind="stable").rename("count")
