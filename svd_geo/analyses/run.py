"""Run a hotspot method on selected incidents and write its result.

This is what ``svd-geo hotspots`` and the Hotspots page call: one entry point
per method family, all in EPSG:27700 metres.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from svd_geo.analyses.params import METHOD_PARAMETERS, HotspotParams
from svd_geo.analyses.units import area_units, area_values
from svd_geo.base.config import ANALYSIS_CRS, Config
from svd_geo.base.coords import require_analysis_crs
from svd_geo.base.errors import DataValidationError
from svd_geo.base.vocabulary import METHODS
from svd_geo.select.points import harm_weights, located_rows, point_incidents, point_xy
from svd_geo.sources.areas import study_context

if TYPE_CHECKING:
    import geopandas as gpd

    from svd_geo.methods.kde import DensitySurface

Method = Literal["kde", "dbscan", "hdbscan", "gistar"]


@dataclass
class HotspotRun:
    """The result of a hotspot run.

    Attributes
    ----------
    params : HotspotParams
        What was run (with the bandwidth and cell size actually used).
    layer : geopandas.GeoDataFrame
        Hotspot polygons, cluster hulls or Gi* areas with their statistics.
    surface : DensitySurface or None
        The density surface (KDE).
    labels : pandas.DataFrame or None
        ``row, cluster`` per input row (DBSCAN and HDBSCAN).
    summary : dict
        Counts and choices for messages and ``--json``.
    """

    params: HotspotParams
    layer: gpd.GeoDataFrame
    surface: DensitySurface | None = None
    labels: pd.DataFrame | None = None
    summary: dict[str, Any] = field(default_factory=dict)


def run_kde(
    incidents: gpd.GeoDataFrame, params: HotspotParams, config: Config, *, polygons: bool = True
) -> HotspotRun:
    """Estimate density and dissolve the cells above the threshold into hotspots.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The incidents, EPSG:27700; those with a point are used (weighted by ``weight``
        where given).
    params : HotspotParams
        The kernel, bandwidth, cell size and threshold (bandwidth None: Scott's rule).
    config : Config
        Where the boundaries are.
    polygons : bool, default True
        False still finds (and counts) the hotspots but does not name the wards and
        LSOAs they touch.

    Returns
    -------
    HotspotRun
        The hotspot polygons, the density surface, and the bandwidth and cell size used.

    Raises
    ------
    DataValidationError
        When fewer than two incidents have a point, or a parameter is out of range.
    """
    from svd_geo.methods.kde import compute_kde

    points = point_incidents(incidents, columns=["weight", "place"])
    x, y = point_xy(points)
    surface = compute_kde(
        x, y, weights=harm_weights(points), kernel=params.kernel,
        bandwidth_m=params.bandwidth_m, cell_size_m=params.cell_size_m,
    )  # fmt: skip
    return kde_hotspots(surface, points, params, config, polygons=polygons)


def kde_hotspots(
    surface: DensitySurface,
    points: gpd.GeoDataFrame,
    params: HotspotParams,
    config: Config,
    *,
    polygons: bool = True,
    total: float | None = None,
) -> HotspotRun:
    """Dissolve a density surface's cells above the threshold into hotspots (the end of :func:`run_kde`).

    Parameters
    ----------
    surface : DensitySurface
        The density of the incidents.
    points : geopandas.GeoDataFrame
        The incidents with a point, or those in the hotspots' cells grouped by cell
        (see :func:`svd_geo.analyses.polygons.density_hotspots`).
    params : HotspotParams
        The threshold (and the kernel, bandwidth and cell size asked for).
    config : Config
        Where the boundaries are.
    polygons : bool, default True
        False does not name the wards and LSOAs the hotspots touch.
    total : float, optional
        How many incidents have a point (each hotspot's share is of these); those in ``points`` by default.

    Returns
    -------
    HotspotRun
        The hotspot polygons, the density surface, and the bandwidth and cell size used.
    """
    from svd_geo.analyses.polygons import density_hotspots
    from svd_geo.methods.thresholds import threshold_value_km2

    wards, lsoas = study_context(config) if polygons else (None, None)
    layer = density_hotspots(
        surface, points, threshold=params.threshold, wards=wards, lsoas=lsoas,
        min_named=config.small_count_threshold, total=total,
    )  # fmt: skip
    used = HotspotParams(**{**asdict(params), "bandwidth_m": surface.bandwidth_m,
                            "cell_size_m": surface.grid.cell_size_m})  # fmt: skip
    summary = {
        "bandwidth_m": surface.bandwidth_m,
        "bandwidth_rule": surface.bandwidth_rule,
        "cell_size_m": surface.grid.cell_size_m,
        "grid": [surface.grid.nx, surface.grid.ny],
        "threshold_density_km2": threshold_value_km2(surface, params.threshold),
        "hotspots": len(layer),
    }
    return HotspotRun(used, layer, surface=surface, summary=summary)


def run_clusters(
    incidents: gpd.GeoDataFrame, params: HotspotParams, config: Config, *, polygons: bool = True
) -> HotspotRun:
    """Cluster point incidents with DBSCAN or HDBSCAN and draw the clusters.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The incidents, EPSG:27700; those with a point are clustered.
    params : HotspotParams
        ``method`` dbscan (``eps_m``, ``min_samples``) or hdbscan (``min_cluster_size``).
    config : Config
        Where the boundaries are.
    polygons : bool, default True
        False leaves the layer empty (only the labels are wanted).

    Returns
    -------
    HotspotRun
        Cluster hulls with their statistics, and ``row, cluster`` for every input row
        (-1 for noise or no point).

    Raises
    ------
    DataValidationError
        When a parameter is out of range.
    """
    import geopandas as gpd

    from svd_geo.analyses.polygons import CLUSTER_COLUMNS, cluster_labels, cluster_polygons
    from svd_geo.methods.clusters import NOISE, dbscan_labels, hdbscan_labels

    points = point_incidents(incidents)
    x, y = point_xy(points)
    if params.method == "dbscan":
        labels = dbscan_labels(x, y, eps_m=params.eps_m, min_samples=params.min_samples)
        buffer_m = params.eps_m / 2
    else:
        labels = hdbscan_labels(x, y, min_cluster_size=params.min_cluster_size)
        buffer_m = 25.0
    if polygons:
        wards, lsoas = study_context(config)
        layer = cluster_polygons(
            points,
            labels,
            buffer_m=buffer_m,
            wards=wards,
            lsoas=lsoas,
            min_named=config.small_count_threshold,
        )
    else:
        layer = gpd.GeoDataFrame(columns=CLUSTER_COLUMNS, geometry="geometry", crs=ANALYSIS_CRS)
    rows = incidents.attrs.get("rows")
    # Every input row gets a line; rows with no point (or set aside on reading) are not in a cluster.
    by_row = cluster_labels(points, labels, x, y, rows)
    clusters = len(np.unique(labels[labels != NOISE]))
    summary = {"clusters": clusters, "noise": int((labels == NOISE).sum()), "points": len(points)}
    return HotspotRun(params, layer, labels=by_row, summary=summary)


def run_gistar(incidents: gpd.GeoDataFrame, params: HotspotParams, config: Config) -> HotspotRun:
    """Count incidents per area and compute Gi* hot and cold spots.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The incidents, EPSG:27700.
    params : HotspotParams
        Areas, neighbour rule, contiguity tolerance and the seeded permutation test.
    config : Config
        Where the boundaries are.

    Returns
    -------
    HotspotRun
        Gi* statistics and class per area, with the islands and the incidents placed in none.

    Raises
    ------
    DataValidationError
        For unusable areas or neighbour rules.
    EmptySelectionError
        When fewer than three areas have neighbours.
    """
    from svd_geo.methods.gistar import getis_ord, parse_neighbours

    rule = parse_neighbours(params.neighbours)
    areas = area_units(params, config, point_incidents(incidents))
    values, unplaced = area_values(incidents, areas, params)
    layer = getis_ord(
        areas,
        values,
        rule,
        tolerance_m=params.tolerance_m,
        permutations=params.permutations,
        seed=params.seed,
    )
    summary = {
        "areas": len(layer),
        "islands": layer.loc[layer["island"], "area_code"].tolist(),
        "unplaced_incidents": unplaced,
        "classes": layer["class"].value_counts().to_dict(),
    }
    return HotspotRun(params, layer, summary=summary)


def run_hotspots(
    incidents: gpd.GeoDataFrame, params: HotspotParams, config: Config, *, polygons: bool = True
) -> HotspotRun:
    """Run the method ``params.method`` on incidents in EPSG:27700.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The incidents to analyse.
    params : HotspotParams
        Method and parameters.
    config : Config
        Where the boundaries are.
    polygons : bool, default True
        Draw the hotspot polygons with the wards and LSOAs they touch. False when only
        the density raster or the per-incident cluster labels are wanted (see
        :func:`svd_geo.outputs.results.draws_polygons`): clustering then leaves the
        layer empty, and KDE does not name areas. Gi* always has its areas.

    Returns
    -------
    HotspotRun
        The result, with ``summary`` naming the method and the incidents analysed.

    Raises
    ------
    DataValidationError
        For an unknown method, or parameters the method cannot use.
    CrsError
        When the incidents are not in EPSG:27700.
    """
    if params.method not in METHODS:
        msg = f"unknown method {params.method!r}; choose one of {', '.join(METHODS)}."
        raise DataValidationError(msg)
    require_analysis_crs(incidents, "incidents for analysis")
    if params.method == "gistar":
        run = run_gistar(incidents, params, config)
    else:
        runner = run_kde if params.method == "kde" else run_clusters
        run = runner(incidents, params, config, polygons=polygons)
    located = int(located_rows(incidents).sum())
    run.summary = {"method": params.method, "incidents": len(incidents), "located": located, **run.summary}
    if "harm" in incidents.attrs:  # how the incidents were weighted, for messages and sidecars
        run.summary["harm"] = incidents.attrs["harm"].sentence()
    return run


def run_parameters(run: HotspotRun) -> dict[str, object]:
    """Return the parameters a run used (bandwidth and cell size as chosen), not other methods' ones.

    Parameters
    ----------
    run : HotspotRun
        A finished run.

    Returns
    -------
    dict
        ``method``, ``definition`` (in words), the method's own parameters and the
        run's summary, for export sidecars.
    """
    chosen = {k: v for k, v in asdict(run.params).items() if k in METHOD_PARAMETERS[run.params.method]}
    return {"method": run.params.method, "definition": run.params.describe(), **chosen, **run.summary}
