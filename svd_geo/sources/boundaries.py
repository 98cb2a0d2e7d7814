"""Boundary layers and area statistics, normalised and in EPSG:27700.

Every boundary frame this module returns has the columns
``area_code, area_name, level, vintage, district_code, geometry`` with valid
geometries in :data:`~svd_geo.base.config.ANALYSIS_CRS`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from svd_geo.base.config import ANALYSIS_CRS, Config
from svd_geo.base.coords import require_analysis_crs
from svd_geo.base.errors import CrsError, DataValidationError, EmptySelectionError
from svd_geo.base.vocabulary import LEVELS
from svd_geo.sources.registry import RegistryEntry, fetch_file, load_registry
from svd_geo.sources.tables import read_table_entry
from svd_geo.sources.vectors import read_vector

if TYPE_CHECKING:
    import geopandas as gpd

BOUNDARY_COLUMNS = ["area_code", "area_name", "level", "vintage", "district_code", "geometry"]


def to_analysis_crs(
    frame: gpd.GeoDataFrame, *, name: str, declared_crs: str | None = None
) -> gpd.GeoDataFrame:
    """Reproject a frame to EPSG:27700, refusing data of unknown CRS.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Data read from a file.
    name : str
        File name for messages.
    declared_crs : str, optional
        CRS the registry declares for a format that cannot state one (TopoJSON).
        Used only when the file states none; a file stating another CRS is an error.

    Returns
    -------
    geopandas.GeoDataFrame
        The frame in :data:`ANALYSIS_CRS`.

    Raises
    ------
    CrsError
        When the CRS is unknown, or differs from the declared one.
    """
    from pyproj import CRS

    if frame.crs is None:
        if declared_crs is None:
            msg = (
                f"{name}: the file does not state its coordinate reference system. "
                "Save it with a CRS (e.g. a .prj beside a Shapefile) and try again."
            )
            raise CrsError(msg)
        frame = frame.set_crs(declared_crs)
    elif declared_crs is not None and not CRS(frame.crs).equals(CRS(declared_crs)):
        msg = f"{name}: the file states CRS {frame.crs} but the registry declares {declared_crs}."
        raise CrsError(msg)
    return frame.to_crs(ANALYSIS_CRS)


def normalise_boundaries(
    frame: gpd.GeoDataFrame,
    *,
    name: str,
    code_field: str,
    name_field: str,
    level: str,
    vintage: int | None,
    district_codes: pd.Series | str | None,
) -> gpd.GeoDataFrame:
    """Return a boundary frame with the standard columns and valid geometry.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Boundary polygons in EPSG:27700.
    name : str
        File name for messages.
    code_field, name_field : str
        Fields holding each area's code and name.
    level : str
        Geography level, e.g. ``"ward"``, or ``"custom"`` for a user's file.
    vintage : int or None
        Year of the geography, when known.
    district_codes : pandas.Series, str or None
        Each area's district code, one code for all, or None when unknown.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`BOUNDARY_COLUMNS`, one row per area.

    Raises
    ------
    DataValidationError
        When a named field is missing.
    """
    import geopandas as gpd

    for field_name in (code_field, name_field):
        if field_name not in frame.columns:
            fields = ", ".join(str(c) for c in frame.columns if c != "geometry")
            msg = (
                f"{name}: no field {field_name!r}; the file has {fields}. "
                "Name the code and name fields that exist in the file."
            )
            raise DataValidationError(msg)
    require_analysis_crs(frame, f"{name}: boundaries")
    result = gpd.GeoDataFrame(
        {
            "area_code": frame[code_field].astype("string").str.strip().to_numpy(),
            "area_name": frame[name_field].astype("string").str.strip().to_numpy(),
            "level": level,
            "vintage": pd.array([vintage] * len(frame), dtype="Int64"),
            "district_code": (
                district_codes.to_numpy()
                if isinstance(district_codes, pd.Series)
                else pd.array([district_codes] * len(frame), dtype="string")
            ),
        },
        geometry=frame.geometry.make_valid().to_numpy(),
        crs=ANALYSIS_CRS,
    )
    return result[BOUNDARY_COLUMNS]


def read_boundary_file(
    path: Path, *, code_field: str, name_field: str, layer: str | None = None
) -> gpd.GeoDataFrame:
    """Read a user's boundary file (GeoJSON, GeoPackage or zipped Shapefile).

    Parameters
    ----------
    path : Path
        The boundary file.
    code_field, name_field : str
        Fields holding each area's code and name.
    layer : str, optional
        Layer inside a GeoPackage.

    Returns
    -------
    geopandas.GeoDataFrame
        Normalised boundaries of level ``"custom"`` in EPSG:27700.
    """
    frame = to_analysis_crs(read_vector(path, layer=layer), name=path.name)
    return normalise_boundaries(
        frame,
        name=path.name,
        code_field=code_field,
        name_field=name_field,
        level="custom",
        vintage=None,
        district_codes=None,
    )


def _district_codes(entry: RegistryEntry, frame: pd.DataFrame, config: Config) -> pd.Series | str | None:
    if entry.district_field:
        return frame[entry.district_field].astype("string")
    if entry.district_lookup:
        lookup_entry = load_registry(config)[entry.district_lookup.table]
        lookup = read_table_entry(lookup_entry, config)
        mapping = lookup.drop_duplicates(entry.district_lookup.code_field).set_index(
            entry.district_lookup.code_field
        )[entry.district_lookup.district_field]
        return frame[entry.code_field].map(mapping).astype("string")
    if len(entry.districts) == 1 and entry.districts[0] != "*":
        return entry.districts[0]
    return None


def load_boundary_entry(entry: RegistryEntry, config: Config) -> gpd.GeoDataFrame:
    """Load one registered boundary layer, normalised, in EPSG:27700.

    Parameters
    ----------
    entry : RegistryEntry
        A registry entry of kind ``"boundary"``.
    config : Config
        Settings for finding the file.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`BOUNDARY_COLUMNS`.
    """
    path = fetch_file(entry, config)
    raw = read_vector(path, layer=entry.layer)
    frame = to_analysis_crs(raw, name=path.name, declared_crs=entry.declared_crs)
    return normalise_boundaries(
        frame,
        name=path.name,
        code_field=entry.code_field,
        name_field=entry.name_field,
        level=entry.level or "custom",
        vintage=entry.vintage,
        district_codes=_district_codes(entry, frame, config),
    )


def boundary_entries(
    level: str, districts: tuple[str, ...], config: Config, *, vintage: int | None = None
) -> list[RegistryEntry]:
    """Return the registry entries that give ``level`` for the districts.

    The newest vintage that covers every district is chosen unless ``vintage``
    is given.

    Parameters
    ----------
    level : str
        ``ward``, ``lsoa``, ``msoa``, ``oa`` or ``district``.
    districts : tuple of str
        ONS district codes.
    config : Config
        Where the registry is.
    vintage : int, optional
        The year; the newest covering every district when None.

    Returns
    -------
    list of RegistryEntry
        The entries.

    Raises
    ------
    EmptySelectionError
        When no registered vintage gives that level for every district.
    """
    candidates = [
        entry
        for entry in load_registry(config).values()
        if entry.kind == "boundary" and entry.level == level and (vintage is None or entry.vintage == vintage)
    ]
    by_vintage: dict[int, list[RegistryEntry]] = {}
    for entry in candidates:
        by_vintage.setdefault(entry.vintage, []).append(entry)
    for year in sorted(by_vintage, reverse=True):
        chosen = [e for e in by_vintage[year] if any(e.covers(d) for d in districts)]
        if all(any(e.covers(d) for e in chosen) for d in districts):
            return chosen
    years = ", ".join(str(y) for y in sorted(by_vintage)) or "none"
    msg = (
        f"no registered {level} boundaries{f' of {vintage}' if vintage else ''} cover "
        f"{', '.join(districts)} (vintages registered: {years}). Add an entry to "
        "boundaries/registry.toml, or pass your own boundary file."
    )
    raise EmptySelectionError(msg)


def load_boundaries(
    level: str,
    config: Config,
    *,
    districts: tuple[str, ...] | None = None,
    vintage: int | None = None,
) -> gpd.GeoDataFrame:
    """Load registered boundaries of one level for a set of districts.

    Parameters
    ----------
    level : str
        One of :data:`~svd_geo.base.vocabulary.LEVELS`.
    config : Config
        Settings; ``config.districts`` is used when ``districts`` is None.
    districts : tuple of str, optional
        ONS district codes to keep.
    vintage : int, optional
        Year of the geography; the newest covering all districts by default.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`BOUNDARY_COLUMNS` in EPSG:27700, areas of those districts only.

    Raises
    ------
    EmptySelectionError
        When no registered layer covers the districts.
    """
    import geopandas as gpd

    if level not in LEVELS:
        msg = f"unknown level {level!r}; choose one of {', '.join(LEVELS)}."
        raise DataValidationError(msg)
    wanted = districts or config.districts
    frames = [
        load_boundary_entry(e, config) for e in boundary_entries(level, wanted, config, vintage=vintage)
    ]
    combined = pd.concat(frames, ignore_index=True)
    kept = combined[combined["district_code"].isin(wanted)]
    result = gpd.GeoDataFrame(kept, geometry="geometry", crs=ANALYSIS_CRS)
    return result.drop_duplicates("area_code").reset_index(drop=True)
