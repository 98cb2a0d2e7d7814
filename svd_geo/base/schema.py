"""The column sets of incidents and set-aside rows, and what a validated file becomes.

Shared by the partner readers that build them (:class:`PreparedImport`) and the
store that keeps them, so neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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
