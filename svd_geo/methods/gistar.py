"""Getis-Ord Gi* hot and cold spots on areas: wards, LSOAs, hexagons or a user's file.

Neighbours come from libpysal's Graph.  Published boundaries are often
generalised so that neighbouring polygons no longer share edges exactly (plain
queen contiguity finds no neighbours at all among the 2011 LSOAs in the
mirror), so contiguity is "fuzzy": polygons within ``tolerance_m`` of each
other are neighbours.  Areas left with no neighbours (islands) are reported
and left out of the analysis, never silently analysed.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.base.config import ANALYSIS_CRS
from svd_geo.base.coords import require_analysis_crs
from svd_geo.base.errors import DataValidationError, EmptySelectionError

if TYPE_CHECKING:
    import geopandas as gpd
    from libpysal.graph import Graph

FloatArray = npt.NDArray[np.float64]
CONFIDENCE_LEVELS = ((0.01, "99%"), (0.05, "95%"), (0.10, "90%"))
NOT_SIGNIFICANT = "not significant"
_NEIGHBOURS = re.compile(r"^(queen|rook|knn:(?P<k>\d+)|distance:(?P<m>\d+(?:\.\d+)?))$")
# A rook neighbour shares more than a corner: boundary within the tolerance longer than this many tolerances.
ROOK_SHARED_TOLERANCES = 4.0


@dataclass(frozen=True)
class Neighbours:
    """A neighbour rule parsed from ``queen``, ``rook``, ``knn:K`` or ``distance:M``."""

    kind: str
    k: int = 0
    distance_m: float = 0.0


def parse_neighbours(text: str) -> Neighbours:
    """Parse a neighbour rule; raise a clear error for anything else.

    Parameters
    ----------
    text : str
        ``queen``, ``rook``, ``knn:K`` or ``distance:M``.

    Returns
    -------
    Neighbours
        The rule and its number.

    Raises
    ------
    DataValidationError
        For anything else.
    """
    match = _NEIGHBOURS.match(text.strip().lower())
    if match is None:
        msg = f"neighbours {text!r}: write queen, rook, knn:K (e.g. knn:6) or distance:M (metres)."
        raise DataValidationError(msg)
    if match["k"] is not None:
        return Neighbours("knn", k=int(match["k"]))
    if match["m"] is not None:
        return Neighbours("distance", distance_m=float(match["m"]))
    return Neighbours(match[1])


def _rook_pairs(geoms: gpd.GeoSeries, queen: Graph, tolerance_m: float) -> Graph:
    import shapely
    from libpysal.graph import Graph

    adjacency = queen.adjacency.reset_index()
    pairs = adjacency[adjacency["weight"] > 0]
    focal = geoms.loc[pairs["focal"]].buffer(tolerance_m).to_numpy()
    neighbour = geoms.loc[pairs["neighbor"]].boundary.to_numpy()
    shared = shapely.length(shapely.intersection(neighbour, focal))
    kept = pairs[shared > ROOK_SHARED_TOLERANCES * tolerance_m]
    alone = geoms.index.difference(kept["focal"])
    focal_ids = np.concatenate([kept["focal"].to_numpy(), alone.to_numpy()])
    neighbour_ids = np.concatenate([kept["neighbor"].to_numpy(), alone.to_numpy()])
    weight = np.concatenate([np.ones(len(kept)), np.zeros(len(alone))])
    return Graph.from_arrays(focal_ids, neighbour_ids, weight)


def _near_pairs(geoms: gpd.GeoSeries, tolerance_m: float) -> Graph:
    """Neighbours: polygons within ``tolerance_m`` of each other (fuzzy queen contiguity).

    One GEOS ``dwithin`` query on an STRtree, instead of libpysal's fuzzy
    contiguity, which buffers every polygon first and is several times slower.
    """
    import shapely
    from libpysal.graph import Graph

    ids = geoms.index.to_numpy()
    values = geoms.to_numpy()
    left, right = shapely.STRtree(values).query(values, predicate="dwithin", distance=tolerance_m)
    pairs = left != right
    alone = np.setdiff1d(np.arange(len(ids)), left[pairs])
    focal = np.concatenate([ids[left[pairs]], ids[alone]])
    neighbour = np.concatenate([ids[right[pairs]], ids[alone]])
    weight = np.concatenate([np.ones(pairs.sum()), np.zeros(len(alone))])
    return Graph.from_arrays(focal, neighbour, weight)


def build_graph(areas: gpd.GeoDataFrame, rule: Neighbours, *, tolerance_m: float) -> Graph:
    """Build the neighbour graph of areas indexed by ``area_code``.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Polygons in EPSG:27700 with an ``area_code`` column.
    rule : Neighbours
        queen and rook are fuzzy within ``tolerance_m``; knn and distance use centroids.
    tolerance_m : float
        Gap between polygons still counted as touching, in metres.

    Returns
    -------
    libpysal.graph.Graph
        Binary neighbour graph; islands have no neighbours.
    """
    from libpysal.graph import Graph

    require_analysis_crs(areas, "areas to find neighbours in metres")
    geoms = areas.set_index("area_code").geometry
    if rule.kind in ("queen", "rook"):
        queen = _near_pairs(geoms, tolerance_m)
        return queen if rule.kind == "queen" else _rook_pairs(geoms, queen, tolerance_m)
    centroids = geoms.centroid
    if rule.kind == "knn":
        if rule.k >= len(geoms):
            msg = f"knn:{rule.k} needs more than {rule.k} areas; there are {len(geoms)}."
            raise DataValidationError(msg)
        return Graph.build_knn(centroids, k=rule.k)
    return Graph.build_distance_band(centroids, threshold=rule.distance_m)


def _lattice(region: object, step_x: float, step_y: float, *, pad: int) -> tuple[np.ndarray, np.ndarray]:
    """Column and row numbers of a lattice covering a region's bounds (plus ``pad`` cells)."""
    import shapely

    minx, miny, maxx, maxy = shapely.bounds(region)
    cols = np.arange(math.floor(minx / step_x) - pad, math.ceil(maxx / step_x) + pad)
    rows = np.arange(math.floor(miny / step_y) - pad, math.ceil(maxy / step_y) + pad)
    col, row = (a.ravel() for a in np.meshgrid(cols, rows))
    return col, row


def _tiles(
    region: object, shapes: np.ndarray, col: np.ndarray, row: np.ndarray, prefix: str
) -> gpd.GeoDataFrame:
    """Keep the tiles that touch the region, coded ``<prefix>_r<row>c<col>``."""
    import geopandas as gpd
    import shapely

    keep = shapely.intersects(shapes, region)
    codes = [f"{prefix}_r{r}c{c}" for r, c in zip(row[keep], col[keep], strict=True)]
    return gpd.GeoDataFrame({"area_code": codes, "area_name": codes}, geometry=shapes[keep], crs=ANALYSIS_CRS)


def _check_size(size_m: float, what: str) -> None:
    if size_m <= 0:
        msg = f"{what} size must be positive metres, not {size_m}."
        raise DataValidationError(msg)


def hex_grid(region: object, size_m: float) -> gpd.GeoDataFrame:
    """Cover a region with flat-topped hexagons ``size_m`` across (centre to neighbouring centre).

    Parameters
    ----------
    region : shapely geometry
        The area to cover, EPSG:27700.
    size_m : float
        Centre-to-centre distance in metres.

    Returns
    -------
    geopandas.GeoDataFrame
        Hexagons intersecting the region, ``area_code`` like ``hex250_r12c40``, EPSG:27700.
    """
    import shapely

    _check_size(size_m, "hexagon")
    radius = size_m / math.sqrt(3)
    dx, dy = 1.5 * radius, size_m
    col, row = _lattice(region, dx, dy, pad=1)
    cx = col * dx
    cy = row * dy + np.where(col % 2 == 0, 0.0, dy / 2)
    angles = np.deg2rad(np.arange(0, 360, 60))
    rings = np.stack([cx[:, None] + radius * np.cos(angles), cy[:, None] + radius * np.sin(angles)], axis=-1)
    return _tiles(region, shapely.polygons(rings), col, row, f"hex{size_m:g}")


def square_grid(region: object, size_m: float) -> gpd.GeoDataFrame:
    """Cover a region with square cells ``size_m`` wide, edges on multiples of the size.

    Parameters
    ----------
    region : shapely geometry
        The area to cover, EPSG:27700.
    size_m : float
        Cell width in metres.

    Returns
    -------
    geopandas.GeoDataFrame
        Cells intersecting the region, ``area_code`` like ``grid250_r1440c1812``, EPSG:27700.
    """
    import shapely

    _check_size(size_m, "grid cell")
    col, row = _lattice(region, size_m, size_m, pad=0)
    cells = shapely.box(col * size_m, row * size_m, (col + 1) * size_m, (row + 1) * size_m)
    return _tiles(region, cells, col, row, f"grid{size_m:g}")


def classify(z: FloatArray, p: FloatArray) -> npt.NDArray[np.object_]:
    """Label areas "hot 99%" ... "cold 90%" or "not significant" from z and p.

    Parameters
    ----------
    z : numpy.ndarray
        Gi* z-scores.
    p : numpy.ndarray
        Their p-values.

    Returns
    -------
    numpy.ndarray of str
        The class of each area.
    """
    labels = np.full(len(z), NOT_SIGNIFICANT, dtype=object)
    for alpha, level in reversed(CONFIDENCE_LEVELS):
        significant = p <= alpha
        labels[significant & (z > 0)] = f"hot {level}"
        labels[significant & (z < 0)] = f"cold {level}"
    return labels


def getis_ord(
    areas: gpd.GeoDataFrame,
    values: pd.Series,
    rule: Neighbours,
    *,
    tolerance_m: float = 5.0,
    permutations: int = 999,
    seed: int = 0,
) -> gpd.GeoDataFrame:
    """Compute Gi* (each area its own neighbour) with a permutation test and FDR.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Polygons in EPSG:27700 with ``area_code``.
    values : pandas.Series
        Count or harm per area, indexed by ``area_code``; missing areas count 0.
    rule : Neighbours
        How neighbours are found.
    tolerance_m : float
        Contiguity tolerance for generalised boundaries, in metres.
    permutations : int
        Conditional permutations for the pseudo p-values.
    seed : int
        Seed of the permutations.

    Returns
    -------
    geopandas.GeoDataFrame
        Per area: ``area_code, count, z, p, p_fdr, class, class_fdr, neighbours,
        island``.  ``z`` is esda's analytic z-score (``Zs``), ``p`` the permutation
        pseudo p-value, ``p_fdr`` the Benjamini-Hochberg adjusted p.  Islands
        have no statistics.

    Raises
    ------
    EmptySelectionError
        When fewer than three areas have neighbours.

    References
    ----------
    .. Getis, A. and Ord, J. K. (1992). The analysis of spatial association by use of distance
       statistics. Geographical Analysis 24(3): 189-206.
    .. Ord, J. K. and Getis, A. (1995). Local spatial autocorrelation statistics: distributional
       issues and an application. Geographical Analysis 27(4): 286-306.
    .. Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate. Journal of the
       Royal Statistical Society B 57(1): 289-300.
    """
    from svd_geo.base.speed import import_esda

    import_esda()
    from esda.getisord import G_Local
    from scipy.stats import false_discovery_control

    graph = build_graph(areas, rule, tolerance_m=tolerance_m)
    cardinality = graph.cardinalities.reindex(areas["area_code"]).fillna(0).astype(int)
    islands = cardinality.index[cardinality.to_numpy() == 0]
    result = areas[["area_code", "area_name", "geometry"]].copy()
    result["count"] = values.reindex(areas["area_code"]).fillna(0).to_numpy(dtype=float)
    result["neighbours"] = cardinality.to_numpy()
    result["island"] = result["area_code"].isin(islands).to_numpy()
    connected = result[~result["island"]]
    if len(connected) < 3:
        msg = (
            f"Gi* needs at least three areas with neighbours; found {len(connected)} "
            f"({len(islands)} islands)."
        )
        raise EmptySelectionError(msg)
    # Binary: Gi* gives each area a self-weight of 1, then row-standardises.
    weights = (graph.subgraph(connected["area_code"].tolist()) if len(islands) else graph).transform("B")
    order = list(weights.unique_ids)
    y = connected.set_index("area_code")["count"].reindex(order).to_numpy()
    if np.ptp(y) == 0:
        msg = f"every area has the same value ({y[0]:g}); Gi* needs some variation to find hot or cold spots."
        raise EmptySelectionError(msg)
    with warnings.catch_warnings():
        # esda announces a future change of its default alternative; p_sim here is its
        # current folded (directed) pseudo p-value, as documented above.
        warnings.filterwarnings("ignore", message="The alternative hypothesis", category=DeprecationWarning)
        stat = G_Local(y, weights, transform="R", permutations=permutations, star=True, seed=seed, n_jobs=1)
    by_code = pd.DataFrame({"z": stat.Zs, "p": stat.p_sim}, index=order)
    z = by_code["z"].reindex(connected["area_code"]).to_numpy()
    p = by_code["p"].reindex(connected["area_code"]).to_numpy()
    p_fdr = false_discovery_control(p, method="bh")
    for column, data in (("z", z), ("p", p), ("p_fdr", p_fdr)):
        result[column] = np.nan
        result.loc[connected.index, column] = data
    result["class"] = "island"
    result.loc[connected.index, "class"] = classify(z, p)
    result["class_fdr"] = "island"
    result.loc[connected.index, "class_fdr"] = classify(z, p_fdr)
    return result
