"""What any store offers (:class:`Store`), and the store's tables: columns and types.

The GeoPackage store (:mod:`svd_geo.store.geopackage`) implements it; a second
backend (a server database) can too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import pandas as pd

from svd_geo.base.config import ANALYSIS_CRS
from svd_geo.base.errors import EmptySelectionError, StoreError

if TYPE_CHECKING:
    import geopandas as gpd

    from svd_geo.base.schema import PreparedImport


INTERVENTION_COLUMNS = ["name", "partner", "type", "start_date", "end_date", "notes", "synthetic"]


IMPORT_COLUMNS = [
    "id",
    "file",
    "sha256",
    "source",
    "accepted",
    "rejected",
    "imported_at",
    "synthetic",
]


@dataclass(frozen=True)
class ImportResult:
    """Outcome of storing a prepared import.

    Attributes
    ----------
    import_id : int
        Id in the imports log (the earlier one when already imported).
    already_imported : bool
        True when a file with the same sha256 was imported before; nothing was added.
    accepted, rejected : int
        Rows stored and rows set aside.
    """

    import_id: int
    already_imported: bool
    accepted: int
    rejected: int


def unknown_import(import_id: int, known: list[str]) -> EmptySelectionError:
    """Return the error for removing an import no store holds, naming those it does.

    Parameters
    ----------
    import_id : int
        The id asked for.
    known : list of str
        The ids there are.

    Returns
    -------
    EmptySelectionError
        The error to raise.
    """
    return EmptySelectionError(
        f"no import with id {import_id}; the store has {', '.join(known) or 'no imports'} "
        "(see `svd-geo info`)."
    )


def unknown_place(intervention_id: int, known: list[str]) -> StoreError:
    """Return the error for changing an intervention place no store holds, naming those it does.

    Parameters
    ----------
    intervention_id : int
        The id asked for.
    known : list of str
        The ids there are.

    Returns
    -------
    StoreError
        The error to raise.
    """
    return StoreError(
        f"no intervention {intervention_id} in the store (there are: {', '.join(known) or 'none'})."
    )


@dataclass(frozen=True)
class RowFilter:
    """Which incidents a query keeps, for a store that can select them itself (in SQL).

    Attributes
    ----------
    sources, categories : tuple of str
        Keep these (all when empty).
    date_from, date_to : pandas.Timestamp or None
        Keep ``date_from <= occurred < date_to``.
    bounds_m : tuple of float or None
        Keep points inside ``(xmin, ymin, xmax, ymax)``, EPSG:27700 metres.
    wards : tuple of str or None
        Keep incidents in these wards (None: every ward, and none; empty: no incident).
    weekdays : tuple of int
        Keep incidents dated to a day that falls on one of these (0 is Monday; all when empty).
    hours : tuple of (int, int) or None
        Keep incidents timed from ``first``:00 to before ``end``:00 (across midnight when
        ``end <= first``).
    located : bool
        Keep only incidents with a point.
    """

    sources: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    date_from: pd.Timestamp | None = None
    date_to: pd.Timestamp | None = None
    bounds_m: tuple[float, float, float, float] | None = None
    wards: tuple[str, ...] | None = None
    weekdays: tuple[int, ...] = ()
    hours: tuple[int, int] | None = None
    located: bool = False


class Store(Protocol):
    """What the app and CLI need of a store; a PostGIS backend can follow it."""

    def audit(self) -> pd.DataFrame:
        """Return the audit log, newest first: ``at, who, action, what, sha256``.

        Returns
        -------
        pandas.DataFrame
            One row per import, removal, place change and export.
        """
        ...

    def version(self) -> str:
        """Return a token that changes whenever the store's content changes.

        Returns
        -------
        str
            The token.
        """
        ...

    def add_import(self, prepared: PreparedImport, *, synthetic: bool = False) -> ImportResult:
        """Store a prepared import atomically; a repeated file adds nothing.

        Parameters
        ----------
        prepared : PreparedImport
            The validated file.
        synthetic : bool, default False
            Mark its incidents as SYNTHETIC demo data.

        Returns
        -------
        ImportResult
            The import's id and counts.
        """
        ...

    def remove_import(self, import_id: int) -> int:
        """Remove an import with its incidents; return how many incidents went.

        Parameters
        ----------
        import_id : int
            The import's id.

        Returns
        -------
        int
            How many incidents were removed.
        """
        ...

    def imports(self) -> pd.DataFrame:
        """Return the imports log.

        Returns
        -------
        pandas.DataFrame
            One row per import, :data:`IMPORT_COLUMNS`.
        """
        ...

    def incidents(self) -> gpd.GeoDataFrame:
        """Return every stored incident in EPSG:27700.

        Returns
        -------
        geopandas.GeoDataFrame
            The incidents.
        """
        ...

    def rejected(self, import_id: int | None = None) -> pd.DataFrame:
        """Return rows set aside, for one import or all.

        Parameters
        ----------
        import_id : int, optional
            One import's rows; all when None.

        Returns
        -------
        pandas.DataFrame
            The rows set aside.
        """
        ...

    def add_interventions(self, places: gpd.GeoDataFrame, *, replacing: int | None = None) -> int:
        """Store intervention places (replacing one place when asked); return how many.

        Parameters
        ----------
        places : geopandas.GeoDataFrame
            Validated places, EPSG:27700.
        replacing : int, optional
            The id of a place these replace.

        Returns
        -------
        int
            How many places were stored.
        """
        ...

    def interventions(self) -> gpd.GeoDataFrame:
        """Return intervention places in EPSG:27700 with their ``id``.

        Returns
        -------
        geopandas.GeoDataFrame
            The places.
        """
        ...

    def remove_intervention(self, intervention_id: int) -> None:
        """Remove one intervention place.

        Parameters
        ----------
        intervention_id : int
            The place's id.
        """
        ...


INCIDENT_TYPES = {
    "import_id": "int64",
    "source": "str",
    "category": "str",
    "occurred": "datetime64[ms]",
    "occurred_precision": "str",
    "location_precision": "str",
    "lsoa_code": "str",
    "ward_code": "str",
    "in_study_area": "bool",
    "weight": "float64",
    "means": "str",
    "external_id": "str",
    "source_file": "str",
    "source_row": "int64",
    "place": "str",
    "offence_code": "str",
}


INTERVENTION_TYPES = {**dict.fromkeys(INTERVENTION_COLUMNS, "str"), "synthetic": "bool"}


IMPORT_TYPES = {
    "file": "str",
    "sha256": "str",
    "source": "str",
    "accepted": "int64",
    "rejected": "int64",
    "imported_at": "str",
    "synthetic": "bool",
}


REJECTED_TYPES = {
    "import_id": "int64",
    "file": "str",
    "row": "int64",
    "line": "int64",
    "column": "str",
    "value": "str",
    "reason": "str",
}


def empty_table(types: dict[str, str]) -> pd.DataFrame:
    """Return a table with no rows and the given column types.

    Parameters
    ----------
    types : dict of str to str
        Column names and dtypes.

    Returns
    -------
    pandas.DataFrame
        The empty table.
    """
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in types.items()})


def empty_layer(types: dict[str, str]) -> gpd.GeoDataFrame:
    """Return a layer (EPSG:27700) with no rows and the given column types.

    Parameters
    ----------
    types : dict of str to str
        Column names and dtypes.

    Returns
    -------
    geopandas.GeoDataFrame
        The empty layer.
    """
    import geopandas as gpd

    return gpd.GeoDataFrame(empty_table(types), geometry=gpd.GeoSeries([], crs=ANALYSIS_CRS))
