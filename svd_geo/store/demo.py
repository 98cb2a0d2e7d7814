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
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.base.config import ANALYSIS_CRS, PROJECT_ROOT, Config
from svd_geo.store.simulation import (
    TrueIncidents,
    pick_weighted,
    simulate_incidents,
    snap_points,
    to_wgs84,
)

if TYPE_CHECKING:
    import geopandas as gpd

    from svd_geo.store.backends import AnyStore


DEMO_INTERVENTIONS = PROJECT_ROOT / "data" / "demo_interventions.geojson"


SOURCE_SHARES = {"police": 0.45, "ambulance": 0.15, "ed": 0.10, "council": 0.20, "youth": 0.10}
NEAREST_AREA_M = 5000.0
SNAP_POINTS_A_STREET = 4


def _police_frame(
    truth: TrueIncidents,
    rows: npt.NDArray[np.int64],
    districts: object,
    lsoa: gpd.GeoDataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    from scipy.spatial import cKDTree

    from svd_geo.sources.areas import join_points

    snap_x, snap_y = snap_points(districts, rng)
    _, nearest = cKDTree(np.column_stack([snap_x, snap_y])).query(
        np.column_stack([truth.easting_m[rows], truth.northing_m[rows]])
    )
    x, y = snap_x[nearest], snap_y[nearest]
    lon, lat = to_wgs84(x, y)
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
            # Invented streets, a few snap points each, named so no one takes them for real ones.
            "Location": [f"On or near Demo Street {n // SNAP_POINTS_A_STREET + 1}" for n in nearest],
            "LSOA code": codes.fillna("").to_numpy(),
            "LSOA name": names.fillna("").to_numpy(),
            "Crime type": pick_weighted(
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
    lon, lat = to_wgs84(
        truth.easting_m[rows] + rng.normal(0, 15, len(rows)),
        truth.northing_m[rows] + rng.normal(0, 15, len(rows)),
    )
    return pd.DataFrame(
        {
            "incident_datetime": truth.occurred[rows].strftime("%Y-%m-%d %H:%M"),
            "latitude": np.round(lat, 6),
            "longitude": np.round(lon, 6),
            "call_category": pick_weighted(
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
            "Weapon or Means": pick_weighted(
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
            "Location Type": pick_weighted(
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
            "ASB Category": pick_weighted(
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
            "Contact Type": pick_weighted(
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

    Parameters
    ----------
    path : Path
        A GeoJSON file of places.

    Returns
    -------
    geopandas.GeoDataFrame
        The places, EPSG:27700.
    """
    from svd_geo.base.errors import DataValidationError
    from svd_geo.sources.boundaries import to_analysis_crs
    from svd_geo.sources.vectors import read_vector
    from svd_geo.store.protocol import INTERVENTION_COLUMNS

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
    store: AnyStore,
    config: Config,
    *,
    out_dir: Path,
    seed: int = 2022,
    incidents: int = 20_000,
) -> list[dict[str, object]]:
    """Write the demo files and import them, with the demo interventions, as synthetic.

    Parameters
    ----------
    store : AnyStore
        Where to import.
    config : Config
        Where the boundaries are.
    out_dir : Path
        Where the SYNTHETIC partner files are written.
    seed : int
        The random seed.
    incidents : int
        Incidents across all partners.

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
