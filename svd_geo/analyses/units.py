"""The areas Gi* and area trends run on, and the incidents each holds.

Wards and LSOAs come from the boundary registry; hexagons and square cells are
drawn over the study area; a user's boundary file is read with its code field.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from svd_geo.base.errors import DataValidationError
from svd_geo.select.points import point_incidents

if TYPE_CHECKING:
    import geopandas as gpd

    from svd_geo.analyses.params import HotspotParams
    from svd_geo.base.config import Config


def area_units(params: HotspotParams, config: Config, points: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the areas Gi* runs on: wards, LSOAs, hexagons, square cells or a user's boundary file.

    Parameters
    ----------
    params : HotspotParams
        ``areas`` (``ward``, ``lsoa``, ``hex:SIZE_M``, ``grid:SIZE_M`` or a file) and
        ``area_code_field`` for a file.
    config : Config
        Where the boundaries are.
    points : geopandas.GeoDataFrame
        The incidents with a point: a grid covers the study area, or their hull when
        they lie elsewhere.

    Returns
    -------
    geopandas.GeoDataFrame
        Areas with ``area_code`` and ``area_name``, EPSG:27700.

    Raises
    ------
    DataValidationError
        For an unreadable size, a missing file or a file without its code field.
    """
    from svd_geo.methods.gistar import hex_grid, square_grid
    from svd_geo.sources.boundaries import load_boundaries, read_boundary_file

    spec = params.areas
    if spec == "ward":
        return load_boundaries("ward", config, vintage=config.ward_vintage)
    if spec == "lsoa":
        return load_boundaries("lsoa", config, vintage=config.lsoa_vintage)
    if spec.startswith(("hex:", "grid:")):
        kind, _, size = spec.partition(":")
        try:
            size_m = float(size)
        except ValueError as err:
            msg = f"--areas {spec!r}: write {kind}:SIZE_M, e.g. {kind}:250."
            raise DataValidationError(msg) from err
        from svd_geo.sources.areas import study_region

        region = study_region(config, points, margin_m=size_m)
        return (hex_grid if kind == "hex" else square_grid)(region, size_m)
    path = Path(spec)
    if not path.exists():
        msg = f"--areas {spec!r}: give ward, lsoa, hex:SIZE_M or an existing boundary file."
        raise DataValidationError(msg)
    if not params.area_code_field:
        msg = f"--areas {path.name}: name the field holding each area's code with --area-code-field."
        raise DataValidationError(msg)
    return read_boundary_file(path, code_field=params.area_code_field, name_field=params.area_code_field)


def area_codes(incidents: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, params: HotspotParams) -> pd.Series:
    """Return the code of the area each incident is in, NA for none.

    Ward and LSOA units use the incidents' codes, so area-only records count; other
    units place points by spatial join: a point on an edge two areas share goes to one
    of them, not to neither.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The incidents, EPSG:27700.
    areas : geopandas.GeoDataFrame
        The areas, with ``area_code``.
    params : HotspotParams
        Which unit the areas are (``params.areas``).

    Returns
    -------
    pandas.Series
        Area code per incident (string, on the incidents' index).

    Raises
    ------
    ValueError
        When points must be placed but the incidents were read without point geometries.
    """
    import geopandas as gpd

    code_column = {"ward": "ward_code", "lsoa": "lsoa_code"}.get(params.areas)
    if code_column:
        codes = incidents[code_column].astype("string")
    else:
        points = point_incidents(incidents)
        if len(points) and points.geometry.isna().all():
            msg = "area_codes: the incidents were read without point geometries (points=False)."
            raise ValueError(msg)
        joined = gpd.sjoin(points[["geometry"]], areas[["area_code", "geometry"]], predicate="intersects")
        joined = joined[~joined.index.duplicated(keep="first")]
        codes = joined["area_code"].reindex(incidents.index).astype("string")
    placed: pd.Series = codes.where(codes.isin(areas["area_code"]).fillna(False))
    return placed


def area_values(
    incidents: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, params: HotspotParams
) -> tuple[pd.Series, int]:
    """Sum incidents (or their weights) per area; return the sums and how many fell in none.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The incidents, EPSG:27700.
    areas : geopandas.GeoDataFrame
        The areas, with ``area_code``.
    params : HotspotParams
        Which unit the areas are (``params.areas``): see :func:`area_codes`.

    Returns
    -------
    tuple of pandas.Series and int
        Sum per area code, and the number of incidents in no area.
    """
    harm = incidents["weight"].fillna(1.0) if "weight" in incidents else pd.Series(1.0, index=incidents.index)
    codes = area_codes(incidents, areas, params)
    known = codes.notna().to_numpy(dtype=bool)
    sums = harm[known].groupby(codes[known].to_numpy()).sum()
    return sums, int((~known).sum())
