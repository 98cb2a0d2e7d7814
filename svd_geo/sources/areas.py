"""Assign incidents to LSOAs and wards of the study area.

Points take the LSOA and ward they fall in.  Published boundaries are often
generalised so that neighbours leave thin gaps; a point in such a gap takes
the nearest area within ``config.join_tolerance_m``.  Records with only an
LSOA code take the ward their LSOA's representative point falls in (the ONS
best-fit rule).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.base.config import ANALYSIS_CRS, Config
from svd_geo.base.coords import distinct_points, require_analysis_crs

if TYPE_CHECKING:
    import geopandas as gpd

LSOA_PATTERN = r"^[EW]01\d{6}$"
WARD_PATTERN = r"^[EW]05\d{6}$"


@lru_cache(maxsize=8)
def study_areas(config: Config, level: str) -> gpd.GeoDataFrame:
    """Return the study area's areas of one level, every registered vintage.

    The vintage the config names comes first, so joins prefer it.

    Parameters
    ----------
    config : Config
        Where the boundaries are.
    level : {"ward", "lsoa"}
        The level.

    Returns
    -------
    geopandas.GeoDataFrame
        The areas of every registered vintage, EPSG:27700.
    """
    import geopandas as gpd

    from svd_geo.sources.boundaries import load_boundaries
    from svd_geo.sources.registry import load_registry

    preferred = config.ward_vintage if level == "ward" else config.lsoa_vintage
    vintages = sorted(
        {e.vintage for e in load_registry(config).values() if e.kind == "boundary" and e.level == level},
        key=lambda year: (year != preferred, -year),
    )
    frames = [load_boundaries(level, config, vintage=year) for year in vintages]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=ANALYSIS_CRS)


def join_points(points: gpd.GeoSeries, areas: gpd.GeoDataFrame, tolerance_m: float) -> pd.Series:
    """Return the code of the area each point falls in, or is within tolerance of.

    Parameters
    ----------
    points : geopandas.GeoSeries
        Points in EPSG:27700; missing or empty ones get no code.
    areas : geopandas.GeoDataFrame
        Normalised boundaries with ``area_code``.
    tolerance_m : float
        A point in no area takes the nearest within this many metres.

    Returns
    -------
    pandas.Series
        Area code per point (``<NA>`` where none), indexed 0..n-1.
    """
    import shapely

    geoms = points.to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    codes = pd.Series(pd.NA, index=pd.RangeIndex(len(geoms)), dtype="string")
    if not present.any():
        return codes
    # Many incidents share a snap point: join each distinct point once.
    inverse, distinct = distinct_points(shapely.get_x(geoms[present]), shapely.get_y(geoms[present]))
    found = _join_distinct(distinct, areas, tolerance_m)
    codes.iloc[np.flatnonzero(present)] = found.to_numpy()[inverse]
    return codes


def _join_distinct(xy: npt.NDArray[np.float64], areas: gpd.GeoDataFrame, tolerance_m: float) -> pd.Series:
    import geopandas as gpd

    frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=ANALYSIS_CRS)
    codes = pd.Series(pd.NA, index=frame.index, dtype="string")
    inside = gpd.sjoin(frame, areas[["area_code", "geometry"]], predicate="within")
    inside = inside[~inside.index.duplicated(keep="first")]
    codes.loc[inside.index] = inside["area_code"].astype("string")
    gaps = codes.isna()
    if gaps.any() and tolerance_m > 0:
        near = gpd.sjoin_nearest(frame[gaps], areas[["area_code", "geometry"]], max_distance=tolerance_m)
        near = near[~near.index.duplicated(keep="first")]
        codes.loc[near.index] = near["area_code"].astype("string")
    return codes


def assign_areas(incidents: gpd.GeoDataFrame, config: Config) -> gpd.GeoDataFrame:
    """Fill ``lsoa_code``, ``ward_code`` and ``in_study_area`` for incidents.

    Codes a partner gave are kept; blank ones are filled by spatial join.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        Incidents in EPSG:27700 with ``lsoa_code`` and ``ward_code`` columns
        (blank where unknown) and point geometry (None for area-only records).
    config : Config
        Names the study area's districts and join vintages.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with the codes filled and ``in_study_area`` set.

    Raises
    ------
    CrsError
        When the incidents are not in EPSG:27700.
    """
    require_analysis_crs(incidents, "incidents to join to areas")
    lsoas = study_areas(config, "lsoa")
    wards = study_areas(config, "ward")
    preferred_lsoas = lsoas[lsoas["vintage"] == config.lsoa_vintage]
    preferred_wards = wards[wards["vintage"] == config.ward_vintage]
    result = incidents.reset_index(drop=True).copy()
    points = result.geometry
    tolerance_m = config.join_tolerance_m
    joined_lsoa = join_points(points, preferred_lsoas, tolerance_m)
    joined_ward = join_points(points, preferred_wards, tolerance_m)
    lsoa = result["lsoa_code"].astype("string").replace("", pd.NA).fillna(joined_lsoa)
    # Records with an LSOA code but no point: the ward its representative point falls in.
    area_only = points.isna() & lsoa.notna() & result["ward_code"].astype("string").isin(["", pd.NA])
    if area_only.any():
        anchors = lsoas.drop_duplicates("area_code").set_index("area_code").geometry
        anchor_points = lsoa[area_only].map(anchors.representative_point())
        joined_ward.loc[area_only] = join_points(
            pd.Series(anchor_points.to_numpy()).pipe(_as_geoseries), preferred_wards, tolerance_m
        ).to_numpy()
    ward = result["ward_code"].astype("string").replace("", pd.NA).fillna(joined_ward)
    inside = np.where(
        points.notna(),
        joined_lsoa.notna() | joined_ward.notna(),
        lsoa.isin(lsoas["area_code"]) | ward.isin(wards["area_code"]),
    )
    result["lsoa_code"] = lsoa
    result["ward_code"] = ward
    result["in_study_area"] = inside.astype(bool)
    return result


def _as_geoseries(values: pd.Series) -> gpd.GeoSeries:
    import geopandas as gpd

    return gpd.GeoSeries(values, crs=ANALYSIS_CRS)


@lru_cache(maxsize=8)
def study_area_m2(config: Config) -> float:
    """Return the area of the study area's districts in square metres (their wards, config vintage).

    Parameters
    ----------
    config : Config
        Where the boundaries are.

    Returns
    -------
    float
        Square metres.
    """
    wards, _ = study_context(config)
    return float(wards.area.sum())


@lru_cache(maxsize=4)
def study_context(config: Config) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Wards and LSOAs of the study area, read once per config (callers only read them).

    Parameters
    ----------
    config : Config
        Where the boundaries are, and which vintages.

    Returns
    -------
    tuple of geopandas.GeoDataFrame
        The wards and the LSOAs, EPSG:27700.
    """
    from svd_geo.sources.boundaries import load_boundaries

    wards = load_boundaries("ward", config, vintage=config.ward_vintage)
    lsoas = load_boundaries("lsoa", config, vintage=config.lsoa_vintage)
    return wards, lsoas


def study_region(config: Config, points: gpd.GeoDataFrame, margin_m: float) -> object:
    """Return the study area: the districts, or (for data elsewhere) the points' hull.

    Parameters
    ----------
    config : Config
        Where the boundaries are.
    points : geopandas.GeoDataFrame
        Incidents with a point, EPSG:27700.
    margin_m : float
        Buffer of the hull, for data outside the districts.

    Returns
    -------
    shapely geometry
        The region, EPSG:27700.
    """
    from svd_geo.sources.boundaries import load_boundaries

    districts = load_boundaries("district", config).union_all()
    if len(points) and points.within(districts).mean() >= 0.5:
        return districts
    return points.union_all().convex_hull.buffer(margin_m)


@lru_cache(maxsize=4)
def area_population(level: str, config: Config) -> pd.Series:
    """Return resident population per area from the registered population table.

    LSOAs (2011) take the mid-2020 estimate; wards sum the LSOAs whose
    representative point falls in them (the ONS best-fit rule).  Cached: every
    area table (each map and overview) asks for it, and it reads and joins files.
    Treat the result as read-only.

    Parameters
    ----------
    level : {"ward", "lsoa"}
        The areas.
    config : Config
        Where the population table is.

    Returns
    -------
    pandas.Series
        Residents by area code.
    """
    import geopandas as gpd

    from svd_geo.base.coords import parse_numbers
    from svd_geo.sources.boundaries import load_boundaries
    from svd_geo.sources.registry import load_registry
    from svd_geo.sources.tables import read_table_entry

    entries = [e for e in load_registry(config).values() if e.topic == "population" and e.value_field]
    entry = max(entries, key=lambda e: e.vintage)
    table = read_table_entry(entry, config)
    population = pd.Series(parse_numbers(table[entry.value_field]).to_numpy(), index=table[entry.code_field])
    if level == "lsoa":
        return population
    lsoas = load_boundaries("lsoa", config, vintage=config.lsoa_vintage)
    wards = load_boundaries("ward", config, vintage=config.ward_vintage)
    anchors = gpd.GeoDataFrame(
        {"lsoa": lsoas["area_code"]}, geometry=lsoas.representative_point(), crs=lsoas.crs
    )
    joined = gpd.sjoin(anchors, wards[["area_code", "geometry"]], predicate="within")
    joined["population"] = population.reindex(joined["lsoa"]).to_numpy()
    by_ward: pd.Series = joined.groupby("area_code")["population"].sum(min_count=1)
    return by_ward


NATIONAL_LSOA_TABLE = "imd-2019"
"""The registered table that lists every English LSOA of 2011 (the IoD2019 ranks all 32,844)."""
NEW_IN_2021 = (33_769, 35_722)
"""English LSOA codes first issued in 2021 are numbered E01033769 to E01035722, after every 2011 one."""


@lru_cache(maxsize=4)
def _lsoa_codes_of_2011(config: Config) -> frozenset[str]:
    from svd_geo.sources.registry import load_registry
    from svd_geo.sources.tables import read_table_entry

    entry = load_registry(config)[NATIONAL_LSOA_TABLE]
    return frozenset(read_table_entry(entry, config)[entry.code_field].str.strip().str.upper())


def unknown_lsoa_codes(codes: pd.Series, config: Config) -> npt.NDArray[np.bool_]:
    """Return which English LSOA codes exist in neither the 2011 list nor the range of 2021 ones.

    A 2021 LSOA is either unchanged from 2011 (same code) or new, with a code in
    :data:`NEW_IN_2021`; the IoD2019 table lists every 2011 code.  So a code that
    fits the pattern (``E01`` and six digits) and is neither is a typing error or
    an invented code (E01999999).  Welsh codes (``W01``) are not checked.

    Parameters
    ----------
    codes : pandas.Series
        Upper-cased codes that fit the LSOA pattern.
    config : Config
        Where the registry's national table is.

    Returns
    -------
    numpy.ndarray of bool
        True where an English code is unknown.
    """
    english = codes.str.startswith("E01").to_numpy(dtype=bool)
    if not english.any():
        return np.zeros(len(codes), dtype=bool)
    number = pd.to_numeric(codes.str[3:], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    new_in_2021 = (number >= NEW_IN_2021[0]) & (number <= NEW_IN_2021[1])
    known = codes.isin(_lsoa_codes_of_2011(config)).to_numpy(dtype=bool)
    return english & ~known & ~new_in_2021


LSOA_LOOKUP_TABLE = "lookup-lsoa11-lsoa21-ashfield-mansfield"
"""The registered ONS lookup from 2011 to 2021 LSOAs (with their change codes U, S, M, X)."""


@lru_cache(maxsize=4)
def lsoa_lookup(config: Config) -> pd.DataFrame:
    """Return the registered ONS lookup of 2011 to 2021 LSOAs (read once a config; treat as read-only).

    Parameters
    ----------
    config : Config
        Where the registry is.

    Returns
    -------
    pandas.DataFrame
        ``lsoa11_code``, ``change_code`` and ``lsoa21_code``, a row per pair.
    """
    from svd_geo.sources.registry import load_registry
    from svd_geo.sources.tables import read_table_entry

    return read_table_entry(load_registry(config)[LSOA_LOOKUP_TABLE], config)


@lru_cache(maxsize=4)
def _parents_of_2021(config: Config) -> dict[str, tuple[str, ...]]:
    lookup = lsoa_lookup(config)
    return {str(code): tuple(sorted(group["lsoa11_code"])) for code, group in lookup.groupby("lsoa21_code")}


def _first_codes(codes: list[str]) -> str:
    return ", ".join(codes[:3]) + (" ..." if len(codes) > 3 else "")


def lsoa_codes_of_2011(codes: pd.Series, config: Config) -> tuple[pd.Series, list[str]]:
    """Map 2021 LSOA codes to the 2011 ones the boundaries and statistics use, saying what was done.

    A 2021 LSOA that is a 2011 one unchanged keeps its code; one split from a 2011
    LSOA (change code S) is mapped to it; one merged from several (M) is mapped to
    the first of them, with a note, since its records cannot be told apart.  Only
    codes in the registered lookup (the study area's) are mapped; others are kept.

    Parameters
    ----------
    codes : pandas.Series
        Upper-cased LSOA codes.
    config : Config
        Where the registry's lookup is.

    Returns
    -------
    tuple of (pandas.Series, list of str)
        The codes of 2011, and notes for the import summary.
    """
    # Every code of 2021 below the new range is a 2011 code: only those in it need the lookup,
    # so a file of 2011 codes (police.uk's) reads no table at all.
    number = pd.to_numeric(codes.str[3:], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    new = codes[codes.str.startswith("E01").to_numpy(dtype=bool) & (number >= NEW_IN_2021[0])]
    if new.empty:
        return codes, []
    parents = _parents_of_2021(config)
    found = {code: parents[code] for code in set(new) if code in parents}
    if not found:
        return codes, []
    merged = sorted(code for code, parent in found.items() if len(parent) > 1)
    shares = pd.Series([p for parent in parents.values() for p in parent]).value_counts()
    split = sorted(code for code, parent in found.items() if len(parent) == 1 and shares[parent[0]] > 1)
    notes = [f"{len(found)} LSOA codes of 2021 were mapped to their 2011 LSOAs through the ONS lookup"]
    if split:
        notes.append(
            f"{len(split)} of them ({_first_codes(split)}) are parts of a 2011 LSOA split in 2021; "
            "their records are counted in that LSOA together"
        )
    if merged:
        notes.append(
            f"{len(merged)} of them ({_first_codes(merged)}) merge several 2011 LSOAs; "
            "their records were put in the first of them"
        )
    return codes.map(lambda code: found[code][0] if code in found else code), notes
