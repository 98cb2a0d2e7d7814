"""Which hotspot each incident is in, by the rule its method counted with.

Coverage recounts a hotspot's incidents with intervention places; counting them
by polygon would differ from the hotspot layer by the points on its edges (a
council's whole-metre eastings land on 25 m cell edges), so it counts them as the
method did.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.methods.grid import cell_index
from svd_geo.select.points import point_incidents, point_xy

if TYPE_CHECKING:
    import geopandas as gpd

    from svd_geo.analyses.run import HotspotRun
    from svd_geo.methods.grid import Grid


def first_polygon(polygons: npt.NDArray[np.object_], xy_m: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Return each point's first polygon (lowest position) that holds it, its edge included.

    Parameters
    ----------
    polygons : numpy.ndarray of shapely geometries
        The polygons.
    xy_m : numpy.ndarray
        Points as an (n, 2) array, metres.

    Returns
    -------
    numpy.ndarray of int64
        The position of each point's polygon, -1 for none.
    """
    import shapely

    point_index, polygon_index = shapely.STRtree(polygons).query(shapely.points(xy_m), predicate="intersects")
    none = len(polygons)
    first = np.full(len(xy_m), none, dtype=np.int64)
    np.minimum.at(first, point_index, polygon_index)
    return np.where(first == none, -1, first)


def hotspot_polygons(run: HotspotRun) -> gpd.GeoDataFrame:
    """Return the hotspots of a run as polygons: KDE areas, cluster hulls, or the hot Gi* areas.

    Parameters
    ----------
    run : HotspotRun
        A hotspot run of any method.

    Returns
    -------
    geopandas.GeoDataFrame
        One polygon per hotspot, EPSG:27700.
    """
    layer = run.layer
    if run.params.method == "gistar":
        layer = layer[layer["class"].astype(str).str.startswith("hot")]
    return layer.reset_index(drop=True)


def _cell_members(
    polygons: gpd.GeoDataFrame, grid: Grid, incidents: gpd.GeoDataFrame
) -> npt.NDArray[np.int64]:
    """Each point's KDE hotspot: the one holding the centre of the point's cell, as the layer counts."""
    cell = cell_index(grid, *point_xy(point_incidents(incidents, columns=[])))
    cells, inverse = np.unique(cell, return_inverse=True)
    centres = np.column_stack([
        grid.x0_m + (cells % grid.nx + 0.5) * grid.cell_size_m,
        grid.y0_m + (cells // grid.nx + 0.5) * grid.cell_size_m,
    ])  # fmt: skip
    members = np.where(cells >= 0, first_polygon(polygons.geometry.to_numpy(), centres), -1)
    return members[inverse.ravel()]


def _cluster_members(
    polygons: gpd.GeoDataFrame, labels: pd.DataFrame, incidents: gpd.GeoDataFrame
) -> npt.NDArray[np.int64]:
    """Each point's cluster's position in the layer, from the run's label per row."""
    points = point_incidents(incidents, columns=["row"])
    rows = np.asarray(points.get("row", points.index))
    cluster = labels.set_index("row")["cluster"].reindex(rows)
    position = pd.Series(np.arange(len(polygons)), index=polygons["cluster"].to_numpy())
    return cluster.map(position).fillna(-1).to_numpy(np.int64)


def _area_members(
    polygons: gpd.GeoDataFrame, run: HotspotRun, incidents: gpd.GeoDataFrame
) -> npt.NDArray[np.int64]:
    """Each point's hot Gi* area's position in the layer, placed as Gi* counted it."""
    from svd_geo.analyses.units import area_codes

    codes = area_codes(point_incidents(incidents), run.layer, run.params)
    position = pd.Series(np.arange(len(polygons)), index=polygons["area_code"].to_numpy())
    return codes.map(position).fillna(-1).to_numpy(np.int64)


def hotspot_members(run: HotspotRun, incidents: gpd.GeoDataFrame) -> npt.NDArray[np.int64]:
    """Return the hotspot of each incident with a point, by the rule its run counted with.

    A KDE hotspot holds the incidents in its cells (a cell holds its west and south
    edges), a cluster its members, a hot Gi* area the incidents placed in it.  So
    coverage counts what the hotspot layer shows, even for points on an edge.

    Parameters
    ----------
    run : HotspotRun
        The run that found the hotspots in ``incidents``.
    incidents : geopandas.GeoDataFrame
        The incidents it ran on, EPSG:27700.

    Returns
    -------
    numpy.ndarray of int64
        For each incident with a point, in order, the position of its hotspot in
        :func:`hotspot_polygons`, -1 for none.
    """
    polygons = hotspot_polygons(run)
    if run.surface is not None:
        return _cell_members(polygons, run.surface.grid, incidents)
    if run.labels is not None:
        return _cluster_members(polygons, run.labels, incidents)
    return _area_members(polygons, run, incidents)
