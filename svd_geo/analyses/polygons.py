"""Hotspot polygons with their statistics: from a density surface, or around clusters."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.base.config import ANALYSIS_CRS
from svd_geo.base.schema import record_counts
from svd_geo.base.vocabulary import NEVER_AS_POINTS
from svd_geo.methods.grid import cell_index, north_up_transform
from svd_geo.methods.kde import DensitySurface
from svd_geo.methods.thresholds import threshold_value_km2
from svd_geo.select.filters import SMALL_COUNT
from svd_geo.select.points import point_xy

if TYPE_CHECKING:
    import geopandas as gpd

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TOP_CATEGORIES = 3
HOTSPOT_COLUMNS = [
    "hotspot_id", "name", "top_locations", "incidents", "harm", "share", "area_m2", "peak_density_km2",
    "mean_density_km2", "wards", "lsoas", "geometry",
]  # fmt: skip
CLUSTER_COLUMNS = [
    "cluster", "name", "top_locations", "incidents", "harm", "share", "area_m2", "first", "last",
    "top_categories", "peak_day", "peak_hour", "wards", "lsoas", "geometry",
]  # fmt: skip


def _harm(points: gpd.GeoDataFrame) -> pd.Series:
    return points["weight"].fillna(1.0) if "weight" in points else pd.Series(1.0, index=points.index)


def _areas_touched(polygons: npt.ArrayLike, areas: gpd.GeoDataFrame | None) -> list[str]:
    """Name, for each polygon, the areas it intersects ("; "-joined, sorted)."""
    shapes = np.asarray(polygons, dtype=object)
    if areas is None or areas.empty or len(shapes) == 0:
        return [""] * len(shapes)
    # The areas' spatial index is built once and kept with the (cached) boundaries.
    slots, hits = areas.sindex.query(shapes, predicate="intersects")
    names = areas["area_name"].to_numpy()
    touched: list[set[str]] = [set() for _ in range(len(shapes))]
    for slot, hit in zip(slots, hits, strict=True):
        touched[slot].add(str(names[hit]))
    return ["; ".join(sorted(found)) for found in touched]


def _place_names(polygons: npt.ArrayLike, areas: gpd.GeoDataFrame | None, *, named: int = 2) -> list[str]:
    """Name each polygon by the areas holding most of it, largest share first: "Portland / Carr Bank +2".

    "/" between names: ward names hold "&" themselves ("Sutton Central & New Cross").
    """
    import shapely

    shapes = np.asarray(polygons, dtype=object)
    if areas is None or areas.empty or len(shapes) == 0:
        return [""] * len(shapes)
    slots, hits = areas.sindex.query(shapes, predicate="intersects")
    overlap = shapely.area(shapely.intersection(shapes[slots], areas.geometry.to_numpy()[hits]))
    names = areas["area_name"].to_numpy()
    shares: list[dict[str, float]] = [{} for _ in range(len(shapes))]
    for slot, hit, size in zip(slots, hits, overlap, strict=True):
        name = str(names[hit])
        shares[slot][name] = shares[slot].get(name, 0.0) + float(size)
    labels = []
    for found in shares:
        ranked = sorted(found, key=lambda n: (-found[n], n))
        more = f" +{len(ranked) - named}" if len(ranked) > named else ""
        labels.append(" / ".join(ranked[:named]) + more)
    return labels


def _ranked_places(groups: npt.NDArray[np.int64], points: gpd.GeoDataFrame, min_named: int) -> pd.DataFrame:
    """Each group's place texts (police.uk's "On or near ...") held by ``min_named`` or more, most first.

    A street that few incidents name is left out: a meeting must not learn of
    one or two incidents at one address from a hotspot's name.
    """
    if "place" not in points:
        return pd.DataFrame(columns=["group", "count", "place"])
    # Counted on the texts' numbers: a million analysed rows hold a few thousand places.
    codes, texts = pd.factorize(points["place"])
    texts = pd.Index(texts).astype(object)
    named = (codes >= 0) & np.isin(codes, np.flatnonzero(texts != ""))
    width = max(len(texts), 1)
    pairs = (
        pd.Series(record_counts(points)[named])
        .groupby(np.asarray(groups)[named].astype(np.int64) * width + codes[named])
        .sum()
        .astype(np.int64)
    )
    pairs = pairs[pairs >= min_named]
    ranked = pd.DataFrame({"group": pairs.index // width, "count": pairs.to_numpy(),
                           "place": texts[pairs.index % width]})  # fmt: skip
    return ranked.sort_values(["group", "count", "place"], ascending=[True, False, True])


TOP_LOCATIONS = 3
"""How many street locations a hotspot or cluster lists."""


def _top_locations(ranked: pd.DataFrame, groups: npt.ArrayLike) -> list[str]:
    """List each group's top street locations with their counts: "On or near Westgate (45); ..."."""
    top = ranked.groupby("group", sort=False).head(TOP_LOCATIONS)
    said = pd.Series([f"{p} ({n:,})" for p, n in zip(top["place"], top["count"], strict=True)])
    listed = said.groupby(top["group"].to_numpy(), sort=False).agg("; ".join).to_dict()
    return [listed.get(group, "") for group in np.asarray(groups)]


def _with_places(names: list[str], groups: npt.ArrayLike, ranked: pd.DataFrame) -> list[str]:
    """Add each group's most frequent place to its area names: "Portland / Carr Bank: On or near Westgate"."""
    places = ranked.drop_duplicates("group").set_index("group")["place"]
    labelled = []
    for name, group in zip(names, np.asarray(groups), strict=True):
        place = str(places.get(group, ""))
        labelled.append(f"{name}: {place}" if name and place else name or place)
    return labelled


def _regions(
    surface: DensitySurface, mask: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.int32]]:
    """Dissolve the 8-connected regions of masked cells into polygons, and label each cell.

    GDAL's polygonize finds the regions (rasterio) and burning the polygons back
    numbers the cells (a polygon of whole cells holds exactly the cells whose
    centres it contains). scipy.ndimage.label would do the labelling, but its
    import alone took 0.4 s of every command-line run.

    Returns
    -------
    tuple
        The polygons (one per region, valid), and per cell the number of its region
        from 1 (0 outside), in the surface's south-first row order.
    """
    import rasterio.features
    import shapely

    transform = north_up_transform(surface.grid)
    north_up = mask[::-1].astype(np.uint8)
    shapes = rasterio.features.shapes(north_up, mask=north_up > 0, transform=transform, connectivity=8)
    # union_all makes a region that touches itself at a corner a valid (multi)polygon.
    polygons = np.array([shapely.union_all([shapely.geometry.shape(g)]) for g, _ in shapes], dtype=object)
    if len(polygons) == 0:
        return polygons, np.zeros(mask.shape, dtype=np.int32)
    burned = rasterio.features.rasterize(
        zip(polygons, range(1, len(polygons) + 1), strict=True), out_shape=mask.shape,
        transform=transform, fill=0, dtype=np.int32,
    )  # fmt: skip
    labels: npt.NDArray[np.int32] = burned[::-1]
    return polygons, labels


def density_hotspots(
    surface: DensitySurface,
    points: gpd.GeoDataFrame,
    *,
    threshold: str = "p95",
    wards: gpd.GeoDataFrame | None = None,
    lsoas: gpd.GeoDataFrame | None = None,
    min_named: int = SMALL_COUNT,
    total: float | None = None,
) -> gpd.GeoDataFrame:
    """Dissolve the cells above a threshold into hotspot polygons with statistics.

    Parameters
    ----------
    surface : DensitySurface
        The density of ``points``.
    points : geopandas.GeoDataFrame
        The incidents (points in EPSG:27700; optional ``weight``), or incidents grouped
        by grid cell (a point in each cell, with ``records``).
    threshold : str
        ``pNN`` percentile of non-zero cells, or ``meanNx`` multiple of their mean.
    wards, lsoas : geopandas.GeoDataFrame, optional
        Boundaries whose names are listed for each hotspot it touches.
    min_named : int, optional
        Fewest records that may name a street in a hotspot's name (the small-count threshold).
    total : float, optional
        How many incidents the shares are of: those in ``points`` by default (give it when
        ``points`` holds only the hotspots' cells).

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`HOTSPOT_COLUMNS`, largest incident count first (then harm, then peak).
    """
    import geopandas as gpd
    import shapely

    cut = threshold_value_km2(surface, threshold)
    polygons, labels = _regions(surface, surface.density_km2 >= cut)
    found = len(polygons)
    if found == 0:
        return gpd.GeoDataFrame(columns=HOTSPOT_COLUMNS, geometry="geometry", crs=ANALYSIS_CRS)
    ids = np.arange(1, found + 1)
    # Only the labelled cells matter; ndimage.maximum would sort the whole grid.
    inside = labels > 0
    cell_labels, cell_values = labels[inside], surface.density_km2[inside]
    peak = np.full(found + 1, -np.inf)
    np.maximum.at(peak, cell_labels, cell_values)
    mean = np.bincount(cell_labels, weights=cell_values, minlength=found + 1) / np.maximum(
        np.bincount(cell_labels, minlength=found + 1), 1
    )
    peak, mean = peak[1:], mean[1:]
    # A hotspot is a union of whole cells, so the incidents in it are those whose cell it labels.
    cell = cell_index(surface.grid, *point_xy(points))
    point_labels = np.where(cell >= 0, labels.ravel()[np.maximum(cell, 0)], 0)
    records = record_counts(points)
    counts = np.bincount(point_labels, weights=records, minlength=found + 1)[1:].astype(np.int64)
    weights = _harm(points).to_numpy(dtype=float) * records
    harm = np.bincount(point_labels, weights=weights, minlength=found + 1)[1:]
    ranked = _ranked_places(point_labels, points, min_named)
    result = gpd.GeoDataFrame(
        {
            "hotspot_id": ids,
            "name": _with_places(_place_names(polygons, wards), ids, ranked),
            "top_locations": _top_locations(ranked, ids),
            "incidents": counts,
            "harm": harm,
            "share": counts / max(records.sum() if total is None else total, 1),
            "area_m2": shapely.area(polygons),
            "peak_density_km2": np.asarray(peak, dtype=float),
            "mean_density_km2": np.asarray(mean, dtype=float),
            "wards": _areas_touched(polygons, wards),
            "lsoas": _areas_touched(polygons, lsoas),
        },
        geometry=polygons,
        crs=ANALYSIS_CRS,
    )
    ranks = ["incidents", "harm", "peak_density_km2"]
    ordered = result.sort_values(ranks, ascending=False, kind="stable").reset_index(drop=True)
    ordered["hotspot_id"] = np.arange(1, len(ordered) + 1)
    return ordered


def _peaks(groups: pd.Series, values: pd.Series, names: tuple[str, ...] | None) -> pd.Series:
    """Most frequent value per group, as a name or an "HH:00" label ("" for no data)."""
    if values.empty:
        return pd.Series(dtype=object)
    counts = pd.DataFrame({"group": groups.to_numpy(), "value": values.to_numpy()}).value_counts()
    top = counts.reset_index().sort_values(["group", "count", "value"], ascending=[True, False, True])
    first = top.drop_duplicates("group").set_index("group")["value"]
    return first.map(lambda v: names[int(v)] if names else f"{int(v):02d}:00")


def _top_categories(groups: pd.Series, categories: pd.Series) -> pd.Series:
    counts = pd.DataFrame({"group": groups.to_numpy(), "category": categories.to_numpy()}).value_counts()
    ranked = counts.reset_index().sort_values(["group", "count", "category"], ascending=[True, False, True])
    top = ranked.groupby("group").head(TOP_CATEGORIES)
    labels = top["category"].astype(str) + " (" + top["count"].astype(str) + ")"
    return labels.groupby(top["group"].to_numpy()).agg("; ".join)


def _hulls(
    groups: npt.NDArray[np.int64], x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], buffer_m: float
) -> npt.NDArray[np.object_]:
    """Return a buffered concave hull per group, all groups at once."""
    import shapely

    # One vertex per distinct (group, place): snap points repeat thousands of times.
    frame = pd.DataFrame({"group": groups, "x": x, "y": y}).drop_duplicates()
    frame = frame.sort_values("group", kind="stable")
    _, index = np.unique(frame["group"].to_numpy(), return_inverse=True)
    clouds = shapely.multipoints(np.column_stack([frame["x"], frame["y"]]), indices=index)
    hulls: npt.NDArray[np.object_] = shapely.buffer(shapely.concave_hull(clouds, ratio=0.5), buffer_m)
    return hulls


def cluster_polygons(
    points: gpd.GeoDataFrame,
    labels: npt.NDArray[np.int64],
    *,
    buffer_m: float,
    wards: gpd.GeoDataFrame | None = None,
    lsoas: gpd.GeoDataFrame | None = None,
    min_named: int = SMALL_COUNT,
) -> gpd.GeoDataFrame:
    """Draw a buffered concave hull around each cluster, with its statistics.

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        Clustered incidents (points in EPSG:27700, ``occurred``, ``occurred_precision``, ``category``).
    labels : numpy.ndarray
        Cluster per incident, -1 for noise.
    buffer_m : float
        Buffer around each hull, so a cluster on one snap point still has an area.
    wards, lsoas : geopandas.GeoDataFrame, optional
        Boundaries whose names are listed for each cluster it touches.
    min_named : int, optional
        Fewest records that may name a street in a cluster's name (the small-count threshold).

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`CLUSTER_COLUMNS`, largest first; day and hour only from incidents with a time.
    """
    import geopandas as gpd

    keep = labels >= 0
    if not keep.any():
        return gpd.GeoDataFrame(columns=CLUSTER_COLUMNS, geometry="geometry", crs=ANALYSIS_CRS)
    clustered = points[keep]
    group = pd.Series(labels[keep], index=clustered.index, name="cluster")
    harm = _harm(clustered)
    stats = (
        pd.DataFrame({"cluster": group, "harm": harm, "occurred": clustered["occurred"]})
        .groupby("cluster")
        .agg(
            incidents=("harm", "size"),
            harm=("harm", "sum"),
            first=("occurred", "min"),
            last=("occurred", "max"),
        )
    )
    timed = clustered["occurred_precision"].to_numpy() == "datetime"
    when = clustered.loc[timed, "occurred"]
    stats["top_categories"] = _top_categories(group, clustered["category"])
    stats["peak_day"] = _peaks(group[timed], when.dt.day_of_week, DAY_NAMES).reindex(stats.index).fillna("")
    stats["peak_hour"] = _peaks(group[timed], when.dt.hour, None).reindex(stats.index).fillna("")
    stats["share"] = stats["incidents"] / max(len(points), 1)
    hulls = _hulls(group.to_numpy(), *point_xy(clustered), buffer_m)
    result = gpd.GeoDataFrame(stats.reset_index(), geometry=hulls, crs=ANALYSIS_CRS)
    result["area_m2"] = result.area
    result["wards"] = _areas_touched(result.geometry, wards)
    result["lsoas"] = _areas_touched(result.geometry, lsoas)
    names = _place_names(result.geometry.to_numpy(), wards)
    ranked = _ranked_places(labels[keep], clustered, min_named)
    result["name"] = _with_places(names, result["cluster"], ranked)
    result["top_locations"] = _top_locations(ranked, result["cluster"])
    ordered = result[CLUSTER_COLUMNS].sort_values("incidents", ascending=False, kind="stable")
    return ordered.reset_index(drop=True)


def cluster_labels(
    points: gpd.GeoDataFrame,
    labels: npt.NDArray[np.int64],
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    rows: int | None,
) -> pd.DataFrame:
    """Return a line per row: its cluster, the record's own id (where kept) and its point to the metre.

    With ``rows`` (an input file's data rows) every row gets a line; rows with no point
    (or set aside on reading) are in no cluster and have no point.  Columns built as
    arrow and integer arrays: a column of a million Python NAs took 0.4 s.

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        The clustered incidents (each with a point), with ``row`` for an input file.
    labels : numpy.ndarray
        Each point's cluster, -1 for noise.
    x, y : numpy.ndarray
        The points' eastings and northings, metres.
    rows : int or None
        The input file's data rows, or None for the store's incidents.

    Returns
    -------
    pandas.DataFrame
        ``row, cluster, id, easting_m, northing_m``.
    """
    import pyarrow as pa

    from svd_geo.methods.clusters import NOISE

    found = np.asarray(points.get("row", points.index), dtype=np.int64)
    # Each point's line: its own row of the input file, or its place in the store's frame.
    size = rows if rows is not None else len(found)
    at = found if rows is not None else np.arange(len(found))
    cluster = np.full(size, NOISE, dtype=np.int64)
    cluster[at] = labels
    missing = np.ones(size, dtype=bool)
    # Health and youth records keep their cluster but never their point or id in a file.
    missing[at] = points["source"].isin(NEVER_AS_POINTS).to_numpy() if "source" in points else False

    def metres(values: npt.NDArray[np.float64]) -> pd.api.extensions.ExtensionArray:
        whole = np.zeros(size, dtype=np.int64)
        whole[at] = np.round(values)
        return pd.arrays.IntegerArray(whole, missing.copy())

    if "external_id" in points:
        ids = pd.Series(pd.NA, index=range(size), dtype="string")
        ids.iloc[at] = points["external_id"].astype("string").to_numpy()
        id_column = ids.mask(missing).array
    else:
        id_column = pd.arrays.ArrowStringArray(pa.nulls(size, pa.large_string()))
    return pd.DataFrame({
        "row": found if rows is None else np.arange(size), "cluster": cluster, "id": id_column,
        "easting_m": metres(x), "northing_m": metres(y),
    })  # fmt: skip
