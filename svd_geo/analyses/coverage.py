"""Coverage and gaps: which hotspots the intervention places reach, and which they miss.

The place-based question: of the hotspot area, the incidents and the harm in
hotspots, what share lies inside places where an intervention ran during the
period?  Hotspots with less than ``min_covered_share`` of their incidents
covered are *uncovered*, ranked by incidents or harm.  Intervention places with
fewer incidents per km² than the study area as a whole hold *little violence*.
Only incidents with a point take part: an LSOA-only record cannot be placed
inside or outside a polygon.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.analyses.members import first_polygon, hotspot_members, hotspot_polygons
from svd_geo.base.coords import distinct_points, require_analysis_crs
from svd_geo.base.schema import RECORDS, record_counts
from svd_geo.methods.grid import M2_PER_KM2

if TYPE_CHECKING:
    import geopandas as gpd

    from svd_geo.analyses.params import HotspotParams
    from svd_geo.analyses.run import HotspotRun
    from svd_geo.base.config import Config

RANK_BY = ("incidents", "harm")
STATUS_COLOURS = {"uncovered": "#b2182b", "partly covered": "#ef8a62", "covered": "#2166ac"}
"""Colour of each coverage status on maps (ColorBrewer RdBu ends, readable with colour-blindness)."""
HOTSPOT_COLUMNS = [
    "hotspot_id", "name", "incidents", "harm", "area_m2", "covered_area_m2", "area_covered_share",
    "incidents_covered", "incidents_covered_share", "harm_covered_share", "covered_by", "status",
    "wards", "geometry",
]  # fmt: skip
PLACE_COLUMNS = [
    "id", "name", "partner", "type", "start_date", "end_date", "area_m2", "incidents_inside",
    "harm_inside", "incidents_per_km2", "hotspot_area_share", "little_violence", "geometry",
]  # fmt: skip


@dataclass
class Coverage:
    """Coverage of hotspots by intervention places.

    Attributes
    ----------
    overall : dict
        Shares of hotspot area, incidents and harm inside intervention places.
    hotspots : geopandas.GeoDataFrame
        One row per hotspot (:data:`HOTSPOT_COLUMNS`), ``status`` covered,
        partly covered or uncovered.
    uncovered : geopandas.GeoDataFrame
        The uncovered hotspots, most incidents (or harm) first.
    places : geopandas.GeoDataFrame
        One row per intervention place (:data:`PLACE_COLUMNS`).
    """

    overall: dict[str, float]
    hotspots: gpd.GeoDataFrame
    uncovered: gpd.GeoDataFrame
    places: gpd.GeoDataFrame


@dataclass(frozen=True)
class _WeightedPoints:
    """Incidents with a point: each one's distinct point, its harm, and how many it stands for (grouped)."""

    codes: npt.NDArray[np.int64]
    xy_m: npt.NDArray[np.float64]
    harm: npt.NDArray[np.float64]
    records: npt.NDArray[np.float64]

    def per_point(self, values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Sum a value of each incident over the incidents standing on each distinct point."""
        return np.bincount(self.codes, weights=values, minlength=len(self.xy_m)).astype(float)


def _weighted_points(incidents: gpd.GeoDataFrame) -> _WeightedPoints:
    """Give each incident with a point its distinct point (snap points repeat thousands of times)."""
    from svd_geo.select.points import point_incidents, point_xy

    located = point_incidents(incidents, columns=["weight", RECORDS])
    codes, xy = distinct_points(*point_xy(located))
    harm = located["weight"].fillna(1.0).to_numpy(float) if "weight" in located else np.ones(len(located))
    records = record_counts(located)
    return _WeightedPoints(codes, xy, harm * records, records)


def _sums_by(
    groups: npt.NDArray[np.int64], points: _WeightedPoints, size: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Incidents and harm in each group, from the group of each incident (-1 for none)."""
    held = groups >= 0
    counts = np.bincount(groups[held], weights=points.records[held], minlength=size).astype(float)
    harm = np.bincount(groups[held], weights=points.harm[held], minlength=size).astype(float)
    return counts, harm


def _sums_inside(
    polygons: gpd.GeoSeries, points: _WeightedPoints
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Incidents and harm inside each polygon (edge included); polygons may overlap."""
    import shapely

    tree = shapely.STRtree(polygons.to_numpy())
    point_index, polygon_index = tree.query(shapely.points(points.xy_m), predicate="intersects")
    size = len(polygons)
    on_point = points.per_point(points.records)[point_index]
    harm_on_point = points.per_point(points.harm)[point_index]
    counts = np.bincount(polygon_index, weights=on_point, minlength=size)
    harm = np.bincount(polygon_index, weights=harm_on_point, minlength=size)
    return counts.astype(float), harm.astype(float)


def _names(hotspots: gpd.GeoDataFrame) -> npt.NDArray[np.object_] | str:
    """Each hotspot's name: a hotspot's or cluster's own, or a Gi* area's."""
    for column in ("name", "area_name"):
        if column in hotspots:
            names: npt.NDArray[np.object_] = hotspots[column].astype(object).to_numpy()
            return names
    return ""


def _share(part: float, whole: float) -> float:
    return float(part / whole) if whole else float("nan")


def _covered_by(hotspots: gpd.GeoSeries, places: gpd.GeoDataFrame) -> list[str]:
    import shapely

    tree = shapely.STRtree(places.geometry.to_numpy())
    hotspot_index, place_index = tree.query(hotspots.to_numpy(), predicate="intersects")
    names: list[list[str]] = [[] for _ in range(len(hotspots))]
    for h, p in zip(hotspot_index, place_index, strict=True):
        names[h].append(str(places["name"].iloc[p]))
    return ["; ".join(sorted(set(n))) for n in names]


def coverage(
    hotspots: gpd.GeoDataFrame,
    incidents: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    *,
    study_area_m2: float,
    rank_by: str = "incidents",
    min_covered_share: float = 0.1,
    members: npt.NDArray[np.int64] | None = None,
    study_records: float | None = None,
) -> Coverage:
    """Measure how far intervention places cover hotspots.

    Parameters
    ----------
    hotspots : geopandas.GeoDataFrame
        Hotspot polygons in EPSG:27700 (KDE areas, cluster hulls, or hot Gi* areas).
    incidents : geopandas.GeoDataFrame
        Incidents of the period in EPSG:27700; those without a point are left out.
        Or those incidents grouped by point (with ``records``).
    places : geopandas.GeoDataFrame
        Intervention places active in the period, in EPSG:27700.
    study_area_m2 : float
        Area of the study area, for the incidents per km² places are compared with.
    rank_by : {"incidents", "harm"}
        Order of the uncovered hotspots.
    min_covered_share : float, default 0.1
        A hotspot with less than this share of its incidents inside places is uncovered.
    members : numpy.ndarray of int64, optional
        For each incident with a point (in order), the position of its hotspot in
        ``hotspots``, -1 for none: the run's own rule (:func:`hotspot_members`), so
        the counts are the hotspot layer's.  By default an incident is in the first
        hotspot whose polygon holds it, edge included.
    study_records : float, optional
        How many incidents with a point the view holds, when ``incidents`` are only those
        that may be in a hotspot or a place (a store that counts in SQL); by default, theirs.

    Returns
    -------
    Coverage
        Overall shares, per-hotspot coverage, uncovered hotspots and per-place figures.
    """
    import geopandas as gpd
    import shapely

    for frame, what in ((hotspots, "hotspots"), (incidents, "incidents"), (places, "intervention places")):
        require_analysis_crs(frame, f"{what} for coverage")
    if rank_by not in RANK_BY:
        msg = f"rank_by must be one of {', '.join(RANK_BY)}, not {rank_by!r}."
        raise ValueError(msg)
    points = _weighted_points(incidents)
    covered = shapely.union_all(places.geometry.to_numpy()) if len(places) else shapely.Polygon()
    # A point on a place's edge is in the place (as in the place figures).
    covered_points = shapely.intersects(shapely.points(points.xy_m), covered)[points.codes]
    geoms = hotspots.geometry.reset_index(drop=True)
    if members is None:
        members = first_polygon(geoms.to_numpy(), points.xy_m)[points.codes]
    elif len(members) != len(points.codes):
        msg = f"coverage: {len(members)} members given for {len(points.codes)} incidents with a point."
        raise ValueError(msg)
    counts, harm = _sums_by(members, points, len(geoms))
    counts_covered, harm_covered = _sums_by(np.where(covered_points, members, -1), points, len(geoms))
    covered_part = gpd.GeoSeries(shapely.intersection(geoms.to_numpy(), covered), crs=hotspots.crs)
    table = gpd.GeoDataFrame(
        {
            "hotspot_id": np.arange(1, len(geoms) + 1),
            "incidents": counts.astype(np.int64),
            "harm": harm,
            "area_m2": geoms.area.to_numpy(),
            "covered_area_m2": covered_part.area.to_numpy(),
            "incidents_covered": counts_covered.astype(np.int64),
            "covered_by": _covered_by(geoms, places) if len(places) else [""] * len(geoms),
            "wards": hotspots["wards"].to_numpy() if "wards" in hotspots else "",
            "name": _names(hotspots),
        },
        geometry=geoms.to_numpy(),
        crs=hotspots.crs,
    )
    table["area_covered_share"] = table["covered_area_m2"] / table["area_m2"]
    table["incidents_covered_share"] = np.where(counts > 0, counts_covered / np.maximum(counts, 1), 0.0)
    table["harm_covered_share"] = np.where(harm > 0, harm_covered / np.where(harm > 0, harm, 1), 0.0)
    table["status"] = np.select(
        [table["incidents_covered_share"] >= 0.5, table["incidents_covered_share"] >= min_covered_share],
        ["covered", "partly covered"],
        "uncovered",
    )
    table = table[HOTSPOT_COLUMNS]
    uncovered = table[table["status"] == "uncovered"].sort_values(
        [rank_by, "hotspot_id"], ascending=[False, True], kind="stable"
    )
    overall = {
        "hotspots": float(len(table)),
        "hotspot_area_m2": float(table["area_m2"].sum()),
        "area_covered_share": _share(table["covered_area_m2"].sum(), table["area_m2"].sum()),
        "incidents_in_hotspots": float(counts.sum()),
        "incidents_covered_share": _share(counts_covered.sum(), counts.sum()),
        "harm_covered_share": _share(harm_covered.sum(), harm.sum()),
        "uncovered_hotspots": float(len(uncovered)),
        "min_covered_share": float(min_covered_share),
    }
    study_per_km2 = (points.records.sum() if study_records is None else study_records) / (
        study_area_m2 / M2_PER_KM2
    )
    return Coverage(overall, table, uncovered, _place_figures(places, points, geoms, study_per_km2))


def _place_figures(
    places: gpd.GeoDataFrame, points: _WeightedPoints, hotspots: gpd.GeoSeries, study_per_km2: float
) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import shapely

    geoms = places.geometry.reset_index(drop=True)
    counts, harm = _sums_inside(geoms, points)
    area_m2 = geoms.area.to_numpy()
    hot = shapely.union_all(hotspots.to_numpy()) if len(hotspots) else shapely.Polygon()
    in_hotspots = shapely.area(shapely.intersection(geoms.to_numpy(), hot))
    per_km2 = counts / (area_m2 / M2_PER_KM2)
    frame = pd.DataFrame(places.drop(columns="geometry")).reset_index(drop=True)
    if "id" not in frame:
        frame["id"] = np.arange(1, len(frame) + 1)
    frame = frame.assign(
        area_m2=area_m2,
        incidents_inside=counts.astype(np.int64),
        harm_inside=harm,
        incidents_per_km2=per_km2,
        hotspot_area_share=in_hotspots / area_m2,
        little_violence=per_km2 < study_per_km2,
    )
    return gpd.GeoDataFrame(frame, geometry=geoms.to_numpy(), crs=places.crs)[PLACE_COLUMNS]


def run_coverage(
    incidents: gpd.GeoDataFrame,
    params: HotspotParams,
    config: Config,
    places: gpd.GeoDataFrame,
    *,
    rank_by: str = "incidents",
    min_covered_share: float = 0.1,
    run: HotspotRun | None = None,
    dates: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    study_records: float | None = None,
) -> tuple[HotspotRun, Coverage]:
    """Find hotspots in the incidents and measure their coverage by places active in the period.

    The period runs from the first to the last selected incident; places whose
    dates overlap it count.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The selected incidents, EPSG:27700 (or grouped by point, with ``run`` and ``dates``).
    params : HotspotParams
        The hotspot definition.
    config : Config
        Where the boundaries are.
    places : geopandas.GeoDataFrame
        Intervention places.
    rank_by : {"incidents", "harm"}
        How uncovered hotspots are ranked.
    min_covered_share : float
        A hotspot with less than this share of its incidents inside places is uncovered.
    run : HotspotRun, optional
        The hotspots of ``params`` on these incidents, when already found (the
        dashboard's map draws the same run).
    dates : tuple of pandas.Timestamp, optional
        The first and last incident's dates, when ``incidents`` are grouped by point
        without them (a store that counts in SQL).
    study_records : float, optional
        How many incidents with a point the view holds, when ``incidents`` are only
        those that may be in a hotspot or a place.

    Returns
    -------
    tuple of HotspotRun and Coverage
        The hotspots and their coverage.
    """
    from svd_geo.analyses.run import run_hotspots
    from svd_geo.partner.interventions import active_in
    from svd_geo.sources.areas import study_area_m2

    if run is None:
        run = run_hotspots(incidents, params, config)
    first, last = dates if dates is not None else (incidents["occurred"].min(), incidents["occurred"].max())
    start, end = first.normalize(), last.normalize() + pd.Timedelta(days=1)
    active = active_in(places, start, end)
    result = coverage(
        hotspot_polygons(run), incidents, active, members=hotspot_members(run, incidents),
        study_area_m2=study_area_m2(config), rank_by=rank_by, min_covered_share=min_covered_share,
        study_records=study_records,
    )  # fmt: skip
    result.overall["places_active"] = float(len(active))
    return run, result
