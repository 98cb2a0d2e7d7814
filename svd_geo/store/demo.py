"""Seeded synthetic multi-partner demo data for Ashfield and Mansfield.

Everything here is invented (SYNTHETIC).  It is shaped like real partner data
so the product can be shown and tested: police.uk-style snapped points,
ambulance call-outs, emergency department (ISTV) attendances with only an
LSOA, council ASB reports in British National Grid and youth-service contacts
by ward.  Violence concentrates in the five town centres, peaks on Friday and
Saturday nights and in summer, drifts slowly upward, and one hotspot emerges
in the last six months.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.base.config import ANALYSIS_CRS, DISPLAY_CRS, PROJECT_ROOT, Config
from svd_geo.base.coords import transformer

if TYPE_CHECKING:
    import geopandas as gpd

    from svd_geo.store.geopackage import GeoPackageStore

FloatArray = npt.NDArray[np.float64]

DEMO_INTERVENTIONS = PROJECT_ROOT / "data" / "demo_interventions.geojson"
FIRST_MONTH = pd.Timestamp("2024-01-01")
MONTHS = 30
EMERGING_MONTHS = 6


@dataclass(frozen=True)
class Town:
    """A town centre: where night-time violence concentrates."""

    name: str
    lon_deg: float
    lat_deg: float
    share: float
    spread_m: float


TOWNS = (
    Town("Mansfield", -1.1975, 53.1440, 0.36, 260.0),
    Town("Sutton-in-Ashfield", -1.2616, 53.1253, 0.22, 230.0),
    Town("Hucknall", -1.2002, 53.0384, 0.17, 220.0),
    Town("Kirkby-in-Ashfield", -1.2447, 53.0988, 0.14, 200.0),
    Town("Mansfield Woodhouse", -1.1945, 53.1685, 0.11, 180.0),
)
EMERGING = Town("Emerging: Bellamy Road estate, Mansfield", -1.1690, 53.1318, 1.0, 140.0)
SOURCE_SHARES = {"police": 0.45, "ambulance": 0.15, "ed": 0.10, "council": 0.20, "youth": 0.10}
TOWN_CENTRE_SHARE = 0.55
EMERGING_SHARE = 0.06
NIGHT_SHARE = 0.6
SNAP_POINTS_PER_TOWN = 120
SNAP_POINTS_BACKGROUND = 2500
NEAREST_AREA_M = 5000.0


def _bng(lon_deg: FloatArray, lat_deg: FloatArray) -> tuple[FloatArray, FloatArray]:
    easting, northing = transformer(DISPLAY_CRS, ANALYSIS_CRS).transform(lon_deg, lat_deg)
    return np.asarray(easting), np.asarray(northing)


def _wgs84(easting_m: FloatArray, northing_m: FloatArray) -> tuple[FloatArray, FloatArray]:
    lon, lat = transformer(ANALYSIS_CRS, DISPLAY_CRS).transform(easting_m, northing_m)
    return np.asarray(lon), np.asarray(lat)


def _uniform_in(area: object, size: int, rng: np.random.Generator) -> tuple[FloatArray, FloatArray]:
    """Draw points uniformly inside a polygon by rejection from its bounds."""
    import shapely

    minx, miny, maxx, maxy = shapely.bounds(area)
    xs: list[FloatArray] = []
    ys: list[FloatArray] = []
    kept = 0
    while kept < size:
        x = rng.uniform(minx, maxx, size * 2)
        y = rng.uniform(miny, maxy, size * 2)
        inside = shapely.contains_xy(area, x, y)
        xs.append(x[inside])
        ys.append(y[inside])
        kept += int(inside.sum())
    return np.concatenate(xs)[:size], np.concatenate(ys)[:size]


def _around(town: Town, size: int, rng: np.random.Generator) -> tuple[FloatArray, FloatArray]:
    cx, cy = _bng(np.array([town.lon_deg]), np.array([town.lat_deg]))
    return cx[0] + rng.normal(0, town.spread_m, size), cy[0] + rng.normal(0, town.spread_m, size)


def _month_weights() -> FloatArray:
    months = np.arange(MONTHS)
    calendar_month = (FIRST_MONTH.month - 1 + months) % 12 + 1
    seasonal = 1 + 0.18 * np.cos(2 * np.pi * (calendar_month - 7) / 12)
    trend = 1 + 0.008 * months
    weights: FloatArray = seasonal * trend
    return weights / float(weights.sum())


def _random_times(
    month_index: npt.NDArray[np.int64], night: npt.NDArray[np.bool_], rng: np.random.Generator
) -> pd.DatetimeIndex:
    """Return a date-time per incident: Friday/Saturday nights for night-time ones."""
    size = len(month_index)
    starts = FIRST_MONTH + pd.to_timedelta(0, unit="D")
    month_start = pd.DatetimeIndex([starts + pd.DateOffset(months=int(m)) for m in range(MONTHS)])
    days_in = month_start.days_in_month.to_numpy()
    day = (rng.random(size) * days_in[month_index]).astype(int)
    base = month_start[month_index] + pd.to_timedelta(day, unit="D")
    # Daytime profile: rising through the afternoon to an early-evening peak.
    day_hours = np.arange(24)
    day_profile = np.exp(-0.5 * ((day_hours - 17) / 4.5) ** 2) + 0.05
    hour = rng.choice(24, size=size, p=day_profile / day_profile.sum())
    # Night-time economy: move to the nearest Friday or Saturday, 21:00 to 03:00.
    weekday = base.day_of_week.to_numpy()
    target = np.where(rng.random(size) < 0.5, 4, 5)
    shift = np.where(night, (target - weekday) % 7, 0)
    night_hours = np.array([21, 22, 23, 24, 25, 26])
    hour = np.where(night, rng.choice(night_hours, size=size, p=[0.1, 0.2, 0.25, 0.22, 0.15, 0.08]), hour)
    minute = rng.integers(0, 60, size)
    stamps = base + pd.to_timedelta(shift, unit="D") + pd.to_timedelta(hour * 60 + minute, unit="min")
    last = month_start[-1] + pd.DateOffset(months=1) - pd.Timedelta(minutes=1)
    return pd.DatetimeIndex(np.minimum(stamps.to_numpy(), last.to_datetime64()))


@dataclass(frozen=True)
class TrueIncidents:
    """Where and when synthetic incidents happened, before partners record them."""

    easting_m: FloatArray
    northing_m: FloatArray
    occurred: pd.DatetimeIndex
    town_centre: npt.NDArray[np.bool_]


def simulate_incidents(size: int, districts: object, rng: np.random.Generator) -> TrueIncidents:
    """Simulate incident places and times.

    Parameters
    ----------
    size : int
        Number of incidents.
    districts : shapely geometry
        The study area in EPSG:27700; background incidents fall inside it.
    rng : numpy.random.Generator
        Seeded generator.

    Returns
    -------
    TrueIncidents
        Locations in EPSG:27700 metres and date-times.
    """
    component = rng.choice(
        3, size=size, p=[TOWN_CENTRE_SHARE, 1 - TOWN_CENTRE_SHARE - EMERGING_SHARE, EMERGING_SHARE]
    )
    easting = np.empty(size)
    northing = np.empty(size)
    centre = component == 0
    towns = rng.choice(len(TOWNS), size=int(centre.sum()), p=[t.share for t in TOWNS])
    centre_rows = np.flatnonzero(centre)
    for index, town in enumerate(TOWNS):
        rows = centre_rows[towns == index]
        easting[rows], northing[rows] = _around(town, len(rows), rng)
    background = np.flatnonzero(component == 1)
    easting[background], northing[background] = _uniform_in(districts, len(background), rng)
    emerging = np.flatnonzero(component == 2)
    easting[emerging], northing[emerging] = _around(EMERGING, len(emerging), rng)
    month_index = rng.choice(MONTHS, size=size, p=_month_weights())
    late = MONTHS - EMERGING_MONTHS + rng.choice(EMERGING_MONTHS, size=size, p=np.arange(1, 7) / 21)
    month_index = np.where(component == 2, late, month_index)
    night = centre & (rng.random(size) < NIGHT_SHARE)
    return TrueIncidents(easting, northing, _random_times(month_index, night, rng), centre)


def _snap_points(districts: object, rng: np.random.Generator) -> tuple[FloatArray, FloatArray]:
    xs, ys = [], []
    for town in TOWNS:
        x, y = _around(town, SNAP_POINTS_PER_TOWN, rng)
        xs.append(x)
        ys.append(y)
    x, y = _uniform_in(districts, SNAP_POINTS_BACKGROUND, rng)
    return np.concatenate([*xs, x]), np.concatenate([*ys, y])


def _pick(options: dict[str, float], size: int, rng: np.random.Generator) -> npt.NDArray[np.str_]:
    names = list(options)
    weights = np.array(list(options.values()))
    return np.asarray(rng.choice(names, size=size, p=weights / weights.sum()))


def _police_frame(
    truth: TrueIncidents,
    rows: npt.NDArray[np.int64],
    districts: object,
    lsoa: gpd.GeoDataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    from scipy.spatial import cKDTree

    from svd_geo.sources.areas import join_points

    snap_x, snap_y = _snap_points(districts, rng)
    _, nearest = cKDTree(np.column_stack([snap_x, snap_y])).query(
        np.column_stack([truth.easting_m[rows], truth.northing_m[rows]])
    )
    x, y = snap_x[nearest], snap_y[nearest]
    lon, lat = _wgs84(x, y)
    import geopandas as gpd

    codes = join_points(gpd.GeoSeries(gpd.points_from_xy(x, y), crs=ANALYSIS_CRS), lsoa, 50.0)
    names = codes.map(lsoa.set_index("area_code")["area_name"])
    size = len(rows)
    return pd.DataFrame(
        {
            "Crime ID": [f"{v:016x}" for v in rng.integers(0, 2**63, size)],
            "Month": truth.occurred[rows].strftime("%Y-%m"),
            "Reported by": "Nottinghamshire Police",
            "Falls within": "Nottinghamshire Police",
            "Longitude": np.round(lon, 6),
            "Latitude": np.round(lat, 6),
            "Location": "On or near Synthetic Street",
            "LSOA code": codes.fillna("").to_numpy(),
            "LSOA name": names.fillna("").to_numpy(),
            "Crime type": _pick(
                {
                    "Violence and sexual offences": 70,
                    "Public order": 14,
                    "Possession of weapons": 5,
                    "Robbery": 5,
                    "Drugs": 6,
                },
                size,
                rng,
            ),
            "Last outcome category": "",
            "Context": "SYNTHETIC demo data",
        }
    )


def _ambulance_frame(
    truth: TrueIncidents, rows: npt.NDArray[np.int64], rng: np.random.Generator
) -> pd.DataFrame:
    lon, lat = _wgs84(
        truth.easting_m[rows] + rng.normal(0, 15, len(rows)),
        truth.northing_m[rows] + rng.normal(0, 15, len(rows)),
    )
    return pd.DataFrame(
        {
            "incident_datetime": truth.occurred[rows].strftime("%Y-%m-%d %H:%M"),
            "latitude": np.round(lat, 6),
            "longitude": np.round(lon, 6),
            "call_category": _pick(
                {"Assault / sexual assault": 85, "Stab / gunshot / penetrating trauma": 15},
                len(rows),
                rng,
            ),
        }
    )


def _true_area_codes(truth: TrueIncidents, rows: npt.NDArray[np.int64], areas: gpd.GeoDataFrame) -> pd.Series:
    """Return the area each true location lies in (the nearest, for the few just outside)."""
    import geopandas as gpd

    from svd_geo.sources.areas import join_points

    points = gpd.GeoSeries(
        gpd.points_from_xy(truth.easting_m[rows], truth.northing_m[rows]), crs=ANALYSIS_CRS
    )
    return join_points(points, areas, NEAREST_AREA_M)


def _ed_frame(
    truth: TrueIncidents,
    rows: npt.NDArray[np.int64],
    lsoa: gpd.GeoDataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    codes = _true_area_codes(truth, rows, lsoa)
    attended = truth.occurred[rows] + pd.to_timedelta(rng.integers(20, 180, len(rows)), unit="min")
    return pd.DataFrame(
        {
            "Attendance Date": attended.strftime("%d/%m/%Y"),
            "Attendance Time": attended.strftime("%H:%M"),
            "Incident LSOA": codes.fillna("").to_numpy(),
            "Assault Type": "Assault",
            "Weapon or Means": _pick(
                {
                    "Body part (fist or feet)": 60,
                    "Blunt object": 12,
                    "Knife or sharp object": 10,
                    "Glass or bottle": 10,
                    "Other": 8,
                },
                len(rows),
                rng,
            ),
            "Location Type": _pick(
                {"Street": 45, "Pub or club": 25, "Home": 20, "Other": 10}, len(rows), rng
            ),
        }
    )


def _council_frame(
    truth: TrueIncidents, rows: npt.NDArray[np.int64], rng: np.random.Generator
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Report Date": truth.occurred[rows].strftime("%d/%m/%Y"),
            "Easting": np.round(truth.easting_m[rows] + rng.normal(0, 10, len(rows))).astype(int),
            "Northing": np.round(truth.northing_m[rows] + rng.normal(0, 10, len(rows))).astype(int),
            "ASB Category": _pick(
                {
                    "Rowdy or nuisance behaviour": 50,
                    "Street drinking": 20,
                    "Drug-related ASB": 20,
                    "Vehicle-related nuisance": 10,
                },
                len(rows),
                rng,
            ),
        }
    )


def _youth_frame(
    truth: TrueIncidents,
    rows: npt.NDArray[np.int64],
    wards: gpd.GeoDataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    codes = _true_area_codes(truth, rows, wards)
    return pd.DataFrame(
        {
            "Contact Date": truth.occurred[rows].strftime("%Y-%m-%d"),
            "Ward Code": codes.fillna("").to_numpy(),
            "Contact Type": _pick(
                {"Detached youth work": 50, "Knife crime education": 20, "Diversion referral": 30},
                len(rows),
                rng,
            ),
        }
    )


def write_demo_files(
    out_dir: Path, config: Config, *, seed: int = 2022, incidents: int = 20_000
) -> dict[str, Path]:
    """Write the synthetic partner files, one per source.

    Parameters
    ----------
    out_dir : Path
        Folder for the files (created).
    config : Config
        Settings for finding the boundaries.
    seed : int
        Seed: the same seed gives byte-identical files.
    incidents : int
        Total incidents across partners.

    Returns
    -------
    dict of str to Path
        Source to file written.
    """
    from svd_geo.sources.boundaries import load_boundaries

    rng = np.random.default_rng(seed)
    district_shapes = load_boundaries("district", config, vintage=2024)
    study_area = district_shapes.union_all()
    lsoa = load_boundaries("lsoa", config, vintage=config.lsoa_vintage)
    wards = load_boundaries("ward", config, vintage=config.ward_vintage)
    truth = simulate_incidents(incidents, study_area, rng)
    source = rng.choice(list(SOURCE_SHARES), size=incidents, p=list(SOURCE_SHARES.values()))
    frames: dict[str, Callable[[npt.NDArray[np.int64]], pd.DataFrame]] = {
        "police": lambda r: _police_frame(truth, r, study_area, lsoa, rng),
        "ambulance": lambda r: _ambulance_frame(truth, r, rng),
        "ed": lambda r: _ed_frame(truth, r, lsoa, rng),
        "council": lambda r: _council_frame(truth, r, rng),
        "youth": lambda r: _youth_frame(truth, r, wards, rng),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, build in frames.items():
        rows = np.flatnonzero(source == name)
        rows = rows[np.argsort(truth.occurred[rows].to_numpy(), kind="stable")]
        path = out_dir / f"SYNTHETIC-{name}.csv"
        build(rows).to_csv(path, index=False, lineterminator="\n")
        written[name] = path
    return written


def read_interventions(path: Path) -> gpd.GeoDataFrame:
    """Read intervention places from a GeoJSON file into EPSG:27700.

    The file needs ``name``, ``partner``, ``type``, ``start_date``, ``end_date``
    and ``notes`` properties; ``synthetic`` marks invented places.
    """
    from svd_geo.base.errors import DataValidationError
    from svd_geo.sources.boundaries import read_vector, to_analysis_crs
    from svd_geo.store.geopackage import INTERVENTION_COLUMNS

    frame = to_analysis_crs(read_vector(path), name=path.name)
    missing = [c for c in INTERVENTION_COLUMNS if c not in frame.columns and c != "synthetic"]
    if missing:
        msg = f"{path.name}: intervention properties missing: {', '.join(missing)}; add them."
        raise DataValidationError(msg)
    if "synthetic" not in frame.columns:
        frame["synthetic"] = False
    frame["synthetic"] = frame["synthetic"].fillna(False).astype(bool)
    for column in INTERVENTION_COLUMNS[:-1]:
        frame[column] = frame[column].astype("string").fillna("")
    return frame


def build_demo_store(
    store: GeoPackageStore,
    config: Config,
    *,
    out_dir: Path,
    seed: int = 2022,
    incidents: int = 20_000,
) -> list[dict[str, object]]:
    """Write the demo files and import them, with the demo interventions, as synthetic.

    Returns
    -------
    list of dict
        One import summary per partner file.
    """
    from svd_geo.partner.ingest import prepare_import

    summaries = []
    for source, path in write_demo_files(out_dir, config, seed=seed, incidents=incidents).items():
        prepared = prepare_import(path, source, config)
        result = store.add_import(prepared, synthetic=True)
        summaries.append(
            {
                **prepared.summary,
                "import_id": result.import_id,
                "already_imported": result.already_imported,
            }
        )
    if store.counts()["interventions"] == 0:
        store.add_interventions(read_interventions(DEMO_INTERVENTIONS))
    return summaries
