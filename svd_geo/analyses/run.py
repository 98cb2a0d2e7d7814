"""Run a hotspot method on selected incidents and write its result.

This is what ``svd-geo hotspots`` and the Hotspots page call: one entry point
per method family, all in EPSG:27700 metres.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.analyses.params import METHOD_PARAMETERS, HotspotParams
from svd_geo.base.config import ANALYSIS_CRS, Config
from svd_geo.base.coords import require_analysis_crs
from svd_geo.base.errors import DataValidationError
from svd_geo.base.vocabulary import METHODS
from svd_geo.select import point_incidents, point_xy

if TYPE_CHECKING:
    import geopandas as gpd

    from svd_geo.methods.kde import DensitySurface

Method = Literal["kde", "dbscan", "hdbscan", "gistar"]
RASTER_SUFFIXES = (".tif", ".tiff")


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


@lru_cache(maxsize=4)
def study_context(config: Config) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Wards and LSOAs of the study area, read once per config (callers only read them)."""
    from svd_geo.sources.boundaries import load_boundaries

    wards = load_boundaries("ward", config, vintage=config.ward_vintage)
    lsoas = load_boundaries("lsoa", config, vintage=config.lsoa_vintage)
    return wards, lsoas


def _harm_weights(points: gpd.GeoDataFrame) -> npt.NDArray[np.float64] | None:
    if "weight" not in points or points["weight"].isna().all():
        return None
    weights: npt.NDArray[np.float64] = points["weight"].fillna(1.0).to_numpy(dtype=np.float64)
    return weights


def run_kde(
    incidents: gpd.GeoDataFrame, params: HotspotParams, config: Config, *, polygons: bool = True
) -> HotspotRun:
    """Estimate density and dissolve the cells above the threshold into hotspots.

    With ``polygons`` False the hotspots are still found (and counted) but not
    named by the wards and LSOAs they touch.
    """
    from svd_geo.analyses.polygons import density_hotspots
    from svd_geo.methods.kde import compute_kde, threshold_value_km2

    points = point_incidents(incidents, columns=["weight"])
    x, y = point_xy(points)
    surface = compute_kde(
        x, y, weights=_harm_weights(points), kernel=params.kernel,
        bandwidth_m=params.bandwidth_m, cell_size_m=params.cell_size_m,
    )  # fmt: skip
    wards, lsoas = study_context(config) if polygons else (None, None)
    layer = density_hotspots(surface, points, threshold=params.threshold, wards=wards, lsoas=lsoas)
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
    """Cluster point incidents with DBSCAN or HDBSCAN and draw the clusters (unless ``polygons`` is False)."""
    import geopandas as gpd

    from svd_geo.analyses.polygons import CLUSTER_COLUMNS, cluster_polygons
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
        layer = cluster_polygons(points, labels, buffer_m=buffer_m, wards=wards, lsoas=lsoas)
    else:
        layer = gpd.GeoDataFrame(columns=CLUSTER_COLUMNS, geometry="geometry", crs=ANALYSIS_CRS)
    rows = incidents.attrs.get("rows")
    # Every input row gets a line; rows with no point (or set aside on reading) are not in a cluster.
    by_row = pd.DataFrame({"row": points.get("row", points.index), "cluster": labels})
    if rows is not None:
        by_row = (
            by_row.set_index("row").reindex(range(rows), fill_value=NOISE).rename_axis("row").reset_index()
        )
    clusters = len(np.unique(labels[labels != NOISE]))
    summary = {"clusters": clusters, "noise": int((labels == NOISE).sum()), "points": len(points)}
    return HotspotRun(params, layer, labels=by_row, summary=summary)


def area_units(params: HotspotParams, config: Config, points: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the areas Gi* runs on: wards, LSOAs, hexagons, square cells or a user's boundary file."""
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
        from svd_geo.analyses.evaluate import study_region

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


def area_values(
    incidents: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, params: HotspotParams
) -> tuple[pd.Series, int]:
    """Sum incidents (or their weights) per area; return the sums and how many fell in none.

    Ward and LSOA units use the incidents' codes, so area-only records count; other
    units place points by spatial join.
    """
    import geopandas as gpd

    harm = incidents["weight"].fillna(1.0) if "weight" in incidents else pd.Series(1.0, index=incidents.index)
    code_column = {"ward": "ward_code", "lsoa": "lsoa_code"}.get(params.areas)
    if code_column:
        codes = incidents[code_column].astype("string")
    else:
        points = point_incidents(incidents)
        joined = gpd.sjoin(points[["geometry"]], areas[["area_code", "geometry"]], predicate="within")
        joined = joined[~joined.index.duplicated(keep="first")]
        codes = joined["area_code"].reindex(incidents.index).astype("string")
    known = codes.isin(areas["area_code"]).fillna(False).to_numpy(dtype=bool)
    sums = harm[known].groupby(codes[known].to_numpy()).sum()
    return sums, int((~known).sum())


def run_gistar(incidents: gpd.GeoDataFrame, params: HotspotParams, config: Config) -> HotspotRun:
    """Count incidents per area and compute Gi* hot and cold spots."""
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
        :func:`draws_polygons`): clustering then leaves the layer empty, and KDE
        does not name areas. Gi* always has its areas.

    Raises
    ------
    DataValidationError
        For an unknown method.
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
    run.summary = {"method": params.method, "incidents": len(incidents), **run.summary}
    return run


def draws_polygons(path: Path, method: str) -> bool:
    """Whether the output file ``path`` holds hotspot polygons (a GeoTIFF or cluster labels do not)."""
    name = path.name.lower()
    if name.endswith(RASTER_SUFFIXES):
        return False
    return not (name.endswith(".csv") and method in ("dbscan", "hdbscan"))


def write_raster(surface: DensitySurface, path: Path) -> Path:
    """Write a density surface as a float32 GeoTIFF in EPSG:27700 (incidents per km²)."""
    import rasterio

    from svd_geo.methods.kde import north_up_transform

    transform = north_up_transform(surface.grid)
    # Tiles compress in parallel, and the floating-point predictor makes a smooth surface
    # smaller (12% on the benchmark's); QGIS and ArcGIS read both.
    profile = {
        "driver": "GTiff", "width": surface.grid.nx, "height": surface.grid.ny, "count": 1,
        "dtype": "float32", "crs": ANALYSIS_CRS, "transform": transform, "compress": "deflate",
        "predictor": 3, "tiled": True, "blockxsize": 256, "blockysize": 256, "num_threads": "ALL_CPUS",
    }  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(path, "w", **profile) as raster:
        raster.write(surface.density_km2[::-1].astype(np.float32), 1)
        raster.update_tags(
            units="incidents per km2", kernel=surface.kernel, bandwidth_m=str(surface.bandwidth_m)
        )
    return path


GISTAR_CSV_COLUMNS = ["area_code", "count", "z", "p", "p_fdr", "class"]


def write_hotspot_output(run: HotspotRun, path: Path, metadata: dict[str, object] | None = None) -> Path:
    """Write a run's result in the format the file name gives, with its metadata sidecar.

    ``.tif``: the KDE surface; ``.gpkg``, ``.shp.zip``, ``.geojson``: the polygons;
    ``.csv``: ``row, cluster`` per input row (DBSCAN, HDBSCAN), Gi* statistics per
    area, or the KDE hotspots with WKT.  With ``metadata`` (see
    :func:`svd_geo.outputs.files.export_metadata`) a ``FILE.metadata.json`` is written too.
    """
    generated = None if metadata is None else str(metadata["generated"])
    written = _write_hotspot_file(run, path, generated)
    if metadata is not None:
        from svd_geo.outputs.files import write_sidecar

        write_sidecar(written, {**metadata, "parameters": run_parameters(run), "rows": len(run.layer)})
    return written


def run_parameters(run: HotspotRun) -> dict[str, object]:
    """Return the parameters a run used (bandwidth and cell size as chosen), not other methods' ones."""
    chosen = {k: v for k, v in asdict(run.params).items() if k in METHOD_PARAMETERS[run.params.method]}
    return {"method": run.params.method, "definition": run.params.describe(), **chosen, **run.summary}


def _write_hotspot_file(run: HotspotRun, path: Path, generated: str | None) -> Path:
    from svd_geo.outputs.files import write_csv_table, write_export

    name = path.name.lower()
    if name.endswith(RASTER_SUFFIXES):
        if run.surface is None:
            msg = f"{path.name}: a GeoTIFF holds a density surface; use --method kde, or a vector output."
            raise DataValidationError(msg)
        return write_raster(run.surface, path)
    if name.endswith(".csv") and run.labels is not None:
        write_csv_table(run.labels[["row", "cluster"]], path)
        return path
    if name.endswith(".csv") and run.params.method == "gistar":
        write_csv_table(run.layer[GISTAR_CSV_COLUMNS], path)
        return path
    layer_name = {"kde": "kde_hotspots", "dbscan": "dbscan_clusters", "hdbscan": "hdbscan_clusters"}
    layer = layer_name.get(run.params.method, "gistar_areas")
    return write_export({layer: run.layer}, path, generated=generated)


@dataclass
class TrendsRun:
    """Monthly counts with their trend, the week-hour matrix and emerging hotspots.

    Attributes
    ----------
    monthly : pandas.DataFrame
        ``month, incidents`` (and the split column when asked).
    trend : dict
        Mann-Kendall test of the total monthly series.
    week_hour : pandas.DataFrame
        Day of week by hour, from records with a time.
    emerging : geopandas.GeoDataFrame
        Emerging hotspot category per area.
    summary : dict
        Figures for messages and ``--json``.
    """

    monthly: pd.DataFrame
    trend: dict[str, Any]
    week_hour: pd.DataFrame
    emerging: gpd.GeoDataFrame
    summary: dict[str, Any] = field(default_factory=dict)


def run_trends(
    incidents: gpd.GeoDataFrame, params: HotspotParams, config: Config, *, by: str | None = None
) -> TrendsRun:
    """Count incidents per month, test the trend, and find emerging hotspots per area.

    A last month the records stop part-way through is counted but left out of the
    trend test (``summary["latest_month_partial_to"]`` gives the last day).
    """
    from svd_geo.methods.gistar import build_graph, parse_neighbours
    from svd_geo.methods.trends import (
        emerging_hotspots,
        monthly_counts,
        partial_last_month,
        trend_test,
        week_hour_matrix,
    )

    monthly = monthly_counts(incidents, by=by)
    total = monthly.groupby("month")["incidents"].sum()
    partial_to = partial_last_month(incidents)
    # A month the extract stops part-way through would read as a fall: leave it out of the test.
    trend = trend_test(total.iloc[: -1 if partial_to is not None else None].to_numpy(dtype=float))
    areas = area_units(params, config, point_incidents(incidents))
    graph = build_graph(areas, parse_neighbours(params.neighbours), tolerance_m=params.tolerance_m)
    connected = graph.cardinalities[graph.cardinalities > 0].index
    per_month = _area_month_counts(incidents, areas, params)
    emerging = emerging_hotspots(
        per_month.reindex(connected, fill_value=0), graph.subgraph(list(connected)), areas=areas
    )
    summary = {
        "months": len(total),
        "latest_month_partial_to": None if partial_to is None else f"{partial_to:%Y-%m-%d}",
        "trend": trend,
        "timed_records": int(week_hour_matrix(incidents).attrs["timed"]),
        "areas": len(areas),
        "islands": int(len(areas) - len(connected)),
        "emerging": emerging["category"].value_counts().to_dict(),
    }
    return TrendsRun(monthly, trend, week_hour_matrix(incidents), emerging, summary)


def _area_month_counts(
    incidents: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, params: HotspotParams
) -> pd.DataFrame:
    month = incidents["occurred"].dt.to_period("M")
    months = pd.period_range(month.min(), month.max(), freq="M")
    columns = {}
    for period in months:
        values, _ = area_values(incidents[month == period], areas, params)
        columns[str(period)] = values
    return pd.DataFrame(columns).reindex(areas["area_code"]).fillna(0.0)


def write_trends_output(run: TrendsRun, path: Path) -> Path:
    """Write the trends in the format the file name gives.

    ``.gpkg`` holds emerging hotspots, monthly counts and the week-hour matrix as
    layers; ``.csv`` the emerging hotspot table; other vector formats the emerging
    hotspot polygons.
    """
    import pyogrio

    from svd_geo.outputs.files import write_csv_table, write_layer

    name = path.name.lower()
    table = pd.DataFrame(run.emerging.drop(columns="geometry"))
    if name.endswith(".csv"):
        write_csv_table(table, path)
        return path
    write_layer(run.emerging, path, layer="emerging_hotspots")
    if name.endswith(".gpkg"):
        monthly = run.monthly.assign(month=run.monthly["month"].dt.strftime("%Y-%m"))
        pyogrio.write_dataframe(monthly, path, layer="monthly_counts", append=False)
        week_hour = run.week_hour.rename(columns=lambda hour: f"h{hour:02d}").reset_index()
        pyogrio.write_dataframe(week_hour, path, layer="week_hour")
    return path
