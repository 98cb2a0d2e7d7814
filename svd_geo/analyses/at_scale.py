"""A view's counts and kernel density asked of a store that computes them itself (PostGIS).

At county scale the dashboard must not hold every incident: five million rows
take gigabytes in memory.  The store groups and bins them in SQL instead, and
these functions turn what it sends into the same results the in-memory path
gives: the area table and the unreported comparison read grouped incidents
(see :func:`svd_geo.base.schema.record_counts`), and a KDE run is binned by the
server, smoothed here, and its hotspots counted from the incidents in their
cells alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from svd_geo.analyses.run import HotspotRun, kde_hotspots
from svd_geo.base.config import ANALYSIS_CRS, Config
from svd_geo.base.errors import DataValidationError, EmptySelectionError
from svd_geo.methods.grid import grid_around
from svd_geo.select.grouped import Selector, group_keys, row_filter, weigh_groups
from svd_geo.select.points import PointSample
from svd_geo.store.protocol import RowFilter

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from svd_geo.analyses.coverage import Coverage
    from svd_geo.analyses.params import HotspotParams
    from svd_geo.methods.grid import Grid
    from svd_geo.methods.kde import DensitySurface
    from svd_geo.select.filters import View
    from svd_geo.store.postgis import PostGISStore
    from svd_geo.store.postgis_columns import ColumnCounts

    Counting = PostGISStore | ColumnCounts
    """A store that counts and bins its incidents itself: in SQL, or from its columns in memory."""
    from svd_geo.store.postgis_aggregates import Nearby

SHARES = {"w00": (0, 0), "w10": (1, 0), "w01": (0, 1), "w11": (1, 1)}
"""Each of the store's summed bilinear shares, and the cell offset it goes to."""


def view_groups(store: Counting, view: View, config: Config, keys: tuple[str, ...]) -> pd.DataFrame:
    """Return the view's incidents grouped by some columns, weighted as the view weighs them.

    Parameters
    ----------
    store : PostGISStore or ColumnCounts
        A store that groups its incidents itself.
    view : View
        The dashboard's filters and harm weighting.
    config : Config
        Where the ward-to-district lookup and the harm tables are.
    keys : tuple of str
        The columns counted by (see :data:`svd_geo.store.postgis_aggregates.GROUP_KEYS`).

    Returns
    -------
    pandas.DataFrame
        ``keys`` (with what harm depends on), ``records`` and, when weighted, ``weight``
        per incident; ``attrs["harm"]`` as :func:`svd_geo.select.filters.select_view` sets it.
    """
    groups = store.grouped_incidents(group_keys(view, keys), row_filter(view, config))
    return weigh_groups(groups, view, config)


def store_selector(store: Counting, config: Config) -> Selector:
    """Return the selector of a store that counts in SQL: every view's incidents grouped by the keys asked.

    Parameters
    ----------
    store : PostGISStore or ColumnCounts
        A store that groups its incidents itself.
    config : Config
        Where the ward-to-district lookup and the harm tables are.

    Returns
    -------
    Selector
        ``select(view, keys)``, :func:`view_groups` of the view.
    """

    def select(view: View, keys: tuple[str, ...]) -> pd.DataFrame:
        return view_groups(store, view, config, keys)

    return select


def store_kde_run(
    store: Counting, view: View, params: HotspotParams, config: Config, *, polygons: bool = True
) -> HotspotRun:
    """Run kernel density hotspots on the view's incidents without reading them: as :func:`run_kde`.

    Parameters
    ----------
    store : PostGISStore or ColumnCounts
        A store that bins its incidents itself.
    view : View
        The dashboard's filters and harm weighting.
    params : HotspotParams
        A KDE definition.
    config : Config
        Where the boundaries and harm tables are.
    polygons : bool, default True
        False does not name the wards and LSOAs the hotspots touch.

    Returns
    -------
    HotspotRun
        The hotspots, surface and summary :func:`svd_geo.analyses.run.run_hotspots` gives.

    Raises
    ------
    EmptySelectionError
        When no incident in the view has a point.
    DataValidationError
        For a bandwidth that is not positive.
    """
    where = row_filter(view, config)
    binned = _store_surface(store, where, view, params, config)
    surface = binned.surface
    hot = surface.density_km2 >= _threshold(surface, params)
    members = _cell_members(store, where, surface.grid, np.flatnonzero(hot.ravel()), view, config)
    run = kde_hotspots(surface, members, params, config, polygons=polygons, total=binned.located)
    run.summary = {"method": "kde", "incidents": binned.records, "located": binned.located, **run.summary}
    if binned.harm:  # the sentence says which weights the view's incidents had
        run.summary["harm"] = binned.harm
    return run


def store_density(store: Counting, view: View, params: HotspotParams, config: Config) -> DensitySurface:
    """Return the kernel density of the view's incidents, binned by the store: as :func:`compute_kde`.

    Parameters
    ----------
    store : PostGISStore or ColumnCounts
        A store that bins its incidents itself.
    view : View
        The dashboard's filters and harm weighting.
    params : HotspotParams
        Kernel, bandwidth (None: Scott's rule) and cell size.
    config : Config
        Where the ward-to-district lookup and the harm tables are.

    Returns
    -------
    DensitySurface
        Incidents (or harm) per square kilometre.

    Raises
    ------
    EmptySelectionError
        When no incident in the view has a point.
    """
    return _store_surface(store, row_filter(view, config), view, params, config).surface


def store_point_sample(store: Counting, view: View, config: Config, cap: int) -> PointSample:
    """Return the view's first ``cap`` drawable incidents and their counts, as :func:`point_sample` would.

    Parameters
    ----------
    store : PostGISStore or ColumnCounts
        A store that selects its incidents itself.
    view : View
        The dashboard's filters.
    config : Config
        Where the ward-to-district lookup is.
    cap : int
        How many incidents to read at most.

    Returns
    -------
    PointSample
        The incidents, how many may be drawn, and whether some never are.
    """
    from svd_geo.base.vocabulary import NEVER_AS_POINTS

    where = replace(row_filter(view, config), located=True)
    stored = store.grouped_incidents(("source",), RowFilter())["source"]
    drawn = tuple(s for s in (where.sources or tuple(stored)) if s not in NEVER_AS_POINTS)
    drawable = replace(where, sources=drawn)
    count = store.point_count(drawable) if drawn else 0
    first = (
        store.selected_incidents(drawable, limit=cap) if drawn else store.selected_incidents(where, limit=0)
    )
    return PointSample(first, count, store.point_count(where) > count)


def store_coverage_run(
    store: Counting, view: View, run: HotspotRun, places: gpd.GeoDataFrame, config: Config
) -> tuple[HotspotRun, Coverage]:
    """Measure how far places cover a view's KDE hotspots from its incidents grouped by point.

    As :func:`svd_geo.analyses.coverage.run_coverage` on the rows: a KDE hotspot holds
    the incidents of its cells, and a point is in a place or not whatever the number
    of incidents on it, so the counts are exact.

    Parameters
    ----------
    store : PostGISStore or ColumnCounts
        A store that groups its incidents itself.
    view : View
        The dashboard's filters and harm weighting.
    run : HotspotRun
        The view's KDE hotspots (:func:`store_kde_run`).
    places : geopandas.GeoDataFrame
        Intervention places.
    config : Config
        Where the boundaries and harm tables are.

    Returns
    -------
    tuple of HotspotRun and Coverage
        The run, and its coverage.
    """
    import geopandas as gpd
    import shapely

    from svd_geo.analyses.coverage import run_coverage

    where = row_filter(view, config)
    near = _coverage_nearby(run, places)
    grouped = weigh_groups(store.grouped_points(where, group_keys(view, ()), near), view, config)
    x, y = grouped["easting_m"].to_numpy(), grouped["northing_m"].to_numpy()
    points = gpd.GeoDataFrame(grouped, geometry=shapely.points(x, y), crs=ANALYSIS_CRS)
    days = store.grouped_incidents(("occurred_day",), where)["occurred"]
    return run_coverage(
        points, run.params, config, places, run=run, dates=(days.min(), days.max()),
        study_records=float(run.summary["located"]),
    )  # fmt: skip


def _coverage_nearby(run: HotspotRun, places: gpd.GeoDataFrame) -> Nearby:
    """Where a coverage count needs the points: the hotspots' cells and a cell round them, and the places.

    Millions of distinct points would not fit the app's memory; a point elsewhere is in
    neither a hotspot nor a place, and counts only in the view's total (``located``).
    The margins take in the points a rounding could put on the other side of an edge:
    :func:`run_coverage` decides on the points themselves.
    """
    import shapely

    from svd_geo.analyses.members import hotspot_polygons
    from svd_geo.store.postgis_aggregates import Nearby

    if run.surface is None:
        msg = "coverage in SQL counts a KDE run's hotspots: store_kde_run's."
        raise ValueError(msg)
    grid, size = run.surface.grid, run.surface.grid.cell_size_m
    hot = shapely.union_all(hotspot_polygons(run).geometry.to_numpy())
    gx: list[int] = []
    gy: list[int] = []
    if not hot.is_empty:  # the cells whose centres the hotspots hold, in the hotspots' bounds
        west, south, east, north = hot.bounds
        columns = _cells_between(west, east, grid.x0_m, size, grid.nx)
        ix, iy = np.meshgrid(columns, _cells_between(south, north, grid.y0_m, size, grid.ny))
        held = shapely.intersects_xy(hot, grid.x0_m + (ix + 0.5) * size, grid.y0_m + (iy + 0.5) * size)
        gx, gy = _with_neighbours(ix[held], iy[held], grid)
    area = shapely.to_wkb(shapely.union_all(places.geometry.to_numpy())) if len(places) else None
    return Nearby(size, gx, gy, area, size)


def _with_neighbours(ix: np.ndarray, iy: np.ndarray, grid: Grid) -> tuple[list[int], list[int]]:
    """Return some grid cells and the eight round each, as :class:`Nearby`'s lattice columns and rows."""
    around = np.zeros((grid.ny + 2, grid.nx + 2), dtype=bool)  # framed: a neighbour may lie off the grid
    for dx in (0, 1, 2):
        for dy in (0, 1, 2):
            around[iy + dy, ix + dx] = True
    ay, ax = np.nonzero(around)
    kx, ky = round(grid.x0_m / grid.cell_size_m), round(grid.y0_m / grid.cell_size_m)
    return (ax - 1 + kx).tolist(), (ay - 1 + ky).tolist()


def _cells_between(low_m: float, high_m: float, origin_m: float, size_m: float, count: int) -> np.ndarray:
    """Return the grid's columns (or rows) from the one holding ``low_m`` to the one holding ``high_m``."""
    first, last = int((low_m - origin_m) // size_m), int((high_m - origin_m) // size_m)
    return np.arange(max(first, 0), min(last + 1, count))


def _threshold(surface: DensitySurface, params: HotspotParams) -> float:
    from svd_geo.methods.thresholds import threshold_value_km2

    return threshold_value_km2(surface, params.threshold)


@dataclass
class _Binned:
    """A view's kernel density from the store's lattice bins, and how many incidents it holds."""

    surface: DensitySurface
    records: int
    located: int
    harm: str
    """How the view's incidents were weighted (empty when it counts them)."""


def _store_surface(
    store: Counting, where: RowFilter, view: View, params: HotspotParams, config: Config
) -> _Binned:
    """Bin the view's incidents in SQL on the lattice of :func:`compute_kde`'s grid, and smooth them here."""
    from svd_geo.methods.kde import (
        bandwidth_of_spread,
        check_kernel,
        default_cell_size_m,
        density_of_binned,
        reach_m,
    )

    check_kernel(params.kernel)
    bandwidth_m, rule = params.bandwidth_m, "given"
    if bandwidth_m is None:
        bandwidth_m, rule = bandwidth_of_spread(*store.point_spread(where), params.kernel), "scott-robust"
    if bandwidth_m <= 0:
        msg = f"bandwidth must be positive metres, not {bandwidth_m}."
        raise DataValidationError(msg)
    cell_m = params.cell_size_m or default_cell_size_m(params.kernel, bandwidth_m)
    every = store.lattice_bins(where, cell_m, group_keys(view, ()))
    weighted = weigh_groups(every, view, config)
    located = every["gx"].notna().to_numpy()
    bins = every[located]
    if bins.empty:
        msg = "no incidents with a point location to estimate density from; widen the filters."
        raise EmptySelectionError(msg)
    grid = grid_around(
        np.array([bins["xmin_m"].min(), bins["xmax_m"].max()]),
        np.array([bins["ymin_m"].min(), bins["ymax_m"].max()]),
        cell_size_m=cell_m, margin_m=reach_m(params.kernel, bandwidth_m),
    )  # fmt: skip
    ix = bins["gx"].to_numpy("int64") - round(grid.x0_m / cell_m)
    iy = bins["gy"].to_numpy("int64") - round(grid.y0_m / cell_m)
    weights = _incident_weights(weighted[located])
    smoothed = np.zeros(grid.nx * grid.ny)
    for column, (dx, dy) in SHARES.items():
        at = (iy + dy) * grid.nx + ix + dx
        smoothed += np.bincount(at, weights=bins[column].to_numpy() * weights, minlength=smoothed.size)
    total = float((bins["records"].to_numpy() * weights).sum())
    surface = density_of_binned(
        smoothed.reshape(grid.ny, grid.nx), grid, params.kernel, float(bandwidth_m), rule, total=total
    )
    harm = weighted.attrs["harm"].sentence() if "harm" in weighted.attrs else ""
    return _Binned(surface, int(every["records"].sum()), int(bins["records"].sum()), harm)


def _incident_weights(groups: pd.DataFrame) -> np.ndarray:
    """Each group's weight per incident (1 when the view counts)."""
    if "weight" not in groups:
        return np.ones(len(groups))
    return groups["weight"].astype(float).fillna(1.0).to_numpy()


def _cell_members(
    store: Counting, where: RowFilter, grid: Grid, cells: np.ndarray, view: View, config: Config
) -> gpd.GeoDataFrame:
    """Group the view's incidents in some cells by cell and place, each group a point at its cell's centre.

    Only the bins round the cells are asked for, by place: a county's places times its
    bins would be millions of groups.  A point lies in the cell its bin's quadrant
    counts say, which an edge's rounding can put next to the one ``floor`` gives:
    the neighbours come too, and the quadrants decide.
    """
    import geopandas as gpd
    import pandas as pd
    import shapely

    from svd_geo.store.postgis_aggregates import Nearby

    size, kx, ky = grid.cell_size_m, round(grid.x0_m / grid.cell_size_m), round(grid.y0_m / grid.cell_size_m)
    near = Nearby(size, *_with_neighbours(cells % grid.nx, cells // grid.nx, grid), None, 0.0)
    bins = store.lattice_bins(where, size, group_keys(view, ("place",)), near).dropna(subset=["gx"])
    bins = bins.assign(ix=bins["gx"].to_numpy("int64") - kx, iy=bins["gy"].to_numpy("int64") - ky)
    keys = [k for k in group_keys(view, ("place",)) if k in bins]
    quadrants = []
    for column, (dx, dy) in SHARES.items():  # a bin's points lie in the four cells around its centre
        count = f"n{column[1:]}"
        counted = bins[bins[count] > 0]
        cell = (counted["iy"] + dy) * grid.nx + counted["ix"] + dx
        quadrants.append(counted[keys].assign(cell=cell, records=counted[count]))
    located = pd.concat(quadrants, ignore_index=True)
    kept = located[np.isin(located["cell"].to_numpy(), cells)]
    groups = kept.groupby(["cell", *keys], dropna=False, sort=True)["records"].sum().reset_index()
    groups = weigh_groups(groups, view, config)
    at = groups.pop("cell").to_numpy()
    x = grid.x0_m + (at % grid.nx + 0.5) * grid.cell_size_m
    y = grid.y0_m + (at // grid.nx + 0.5) * grid.cell_size_m
    frame = groups.assign(easting_m=x, northing_m=y)
    return gpd.GeoDataFrame(frame, geometry=shapely.points(x, y), crs=ANALYSIS_CRS)
