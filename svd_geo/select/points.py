"""Incidents as points: which have one, and their coordinates as arrays (no GEOS call per point)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from svd_geo.base.config import ANALYSIS_CRS
from svd_geo.base.coords import COORDINATE_COLUMNS
from svd_geo.base.vocabulary import NEVER_AS_POINTS

if TYPE_CHECKING:
    import geopandas as gpd


_NOT_ALL_POINTS = "every row needs a point geometry; keep point incidents first"


def _carries_coordinates(frame: gpd.GeoDataFrame) -> bool:
    """Whether the frame has :data:`COORDINATE_COLUMNS` that describe its geometry (EPSG:27700)."""
    return set(COORDINATE_COLUMNS) <= set(frame.columns) and frame.crs == ANALYSIS_CRS


def point_xy(points: gpd.GeoDataFrame) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Return the easting and northing (metres) of incidents that all have a point.

    From :data:`COORDINATE_COLUMNS` when the frame carries them (ingest and the store
    add them), else one GEOS call per point, which counts at a million incidents.

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        Incidents with a point each, EPSG:27700.

    Returns
    -------
    tuple of numpy.ndarray
        Eastings and northings in metres.

    Raises
    ------
    ValueError
        When a row has no point (pass :func:`point_incidents` first).
    """
    import shapely

    if _carries_coordinates(points):
        easting, northing = (
            points[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in COORDINATE_COLUMNS
        )
        if np.isnan(easting).any() or np.isnan(northing).any():
            raise ValueError(_NOT_ALL_POINTS)
        return easting, northing
    coordinates = shapely.get_coordinates(points.geometry.to_numpy())
    if len(coordinates) != len(points):
        raise ValueError(_NOT_ALL_POINTS)
    return np.ascontiguousarray(coordinates[:, 0]), np.ascontiguousarray(coordinates[:, 1])


def located_rows(incidents: gpd.GeoDataFrame) -> npt.NDArray[np.bool_]:
    """Return which incidents have a point (the others are recorded only to an area).

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        Incidents, some perhaps area-only.

    Returns
    -------
    numpy.ndarray of bool
        True where the incident has a point.
    """
    if _carries_coordinates(incidents):
        located: npt.NDArray[np.bool_] = incidents["easting_m"].notna().to_numpy()
        return located
    return np.asarray(incidents.geometry.notna() & ~incidents.geometry.is_empty, dtype=bool)


def point_incidents(incidents: gpd.GeoDataFrame, columns: list[str] | None = None) -> gpd.GeoDataFrame:
    """Keep incidents with a point; area-only records never enter density or clustering.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        Incidents, some perhaps area-only.
    columns : list of str, optional
        Keep only these columns (those present), with the geometry and the
        coordinates: at a million incidents the row selection costs per column.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame of the incidents with a point.
    """
    located = located_rows(incidents)
    if columns is not None:
        wanted = [*columns, *COORDINATE_COLUMNS, incidents.geometry.name]
        incidents = incidents[[c for c in incidents.columns if c in wanted]]
    # A new frame either way (copy-on-write: no data is copied until someone writes).
    return incidents.copy(deep=False) if located.all() else incidents[located]


def harm_weights(points: gpd.GeoDataFrame) -> npt.NDArray[np.float64] | None:
    """Return each incident's weight (its harm, or how many it stands for), None when none has one.

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        Incidents, perhaps with ``weight``.

    Returns
    -------
    numpy.ndarray or None
        The weights, 1 where one is missing; None when the column is absent or empty
        (every incident then counts 1, and methods take their unweighted path).
    """
    if "weight" not in points or points["weight"].isna().all():
        return None
    weights: npt.NDArray[np.float64] = points["weight"].fillna(1.0).to_numpy(dtype=np.float64)
    return weights


@dataclass(frozen=True)
class PointSample:
    """The incidents a map may draw as points: the first of them, how many there are, and who is left out.

    Attributes
    ----------
    first : geopandas.GeoDataFrame
        Drawable incidents, in the store's order (at least as many as the map draws).
    drawable : int
        How many of the view's incidents may be drawn.
    withheld : bool
        Whether the view holds points that are never drawn (:data:`NEVER_AS_POINTS` sources).
    """

    first: gpd.GeoDataFrame
    drawable: int
    withheld: bool


def point_sample(incidents: gpd.GeoDataFrame, cap: int) -> PointSample:
    """Return the incidents a map may draw as points: those with a point, not from :data:`NEVER_AS_POINTS`.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The view's incidents.
    cap : int
        At most this many are kept in :attr:`PointSample.first`.

    Returns
    -------
    PointSample
        The first ``cap`` drawable incidents and the counts.
    """
    points = point_incidents(incidents)
    drawable = points[~points["source"].isin(NEVER_AS_POINTS)]
    return PointSample(drawable.head(cap), len(drawable), len(drawable) < len(points))
