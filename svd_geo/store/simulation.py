"""Where and when the SYNTHETIC demo incidents happen: towns, snap points, seasons and times.

Everything here is invented.  Violence concentrates in the five town centres,
peaks on Friday and Saturday nights and in summer, drifts slowly upward, and one
hotspot emerges in the last six months.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from svd_geo.base.config import ANALYSIS_CRS, DISPLAY_CRS
from svd_geo.base.coords import transformer

FloatArray = npt.NDArray[np.float64]


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


TOWN_CENTRE_SHARE = 0.55


EMERGING_SHARE = 0.06


NIGHT_SHARE = 0.6


SNAP_POINTS_PER_TOWN = 120


SNAP_POINTS_BACKGROUND = 2500


def _bng(lon_deg: FloatArray, lat_deg: FloatArray) -> tuple[FloatArray, FloatArray]:
    easting, northing = transformer(DISPLAY_CRS, ANALYSIS_CRS).transform(lon_deg, lat_deg)
    return np.asarray(easting), np.asarray(northing)


def to_wgs84(easting_m: FloatArray, northing_m: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Return longitude and latitude (degrees) of British National Grid points (metres).

    Parameters
    ----------
    easting_m, northing_m : numpy.ndarray
        British National Grid coordinates.

    Returns
    -------
    tuple of numpy.ndarray
        Longitudes and latitudes.
    """
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


def snap_points(districts: object, rng: np.random.Generator) -> tuple[FloatArray, FloatArray]:
    """Return invented police.uk-style snap points: a few per town centre, many over the districts.

    Parameters
    ----------
    districts : shapely geometry
        The study area, EPSG:27700.
    rng : numpy.random.Generator
        The seeded generator.

    Returns
    -------
    tuple of numpy.ndarray
        Eastings and northings in metres.
    """
    xs, ys = [], []
    for town in TOWNS:
        x, y = _around(town, SNAP_POINTS_PER_TOWN, rng)
        xs.append(x)
        ys.append(y)
    x, y = _uniform_in(districts, SNAP_POINTS_BACKGROUND, rng)
    return np.concatenate([*xs, x]), np.concatenate([*ys, y])


def pick_weighted(options: dict[str, float], size: int, rng: np.random.Generator) -> npt.NDArray[np.str_]:
    """Draw ``size`` names from ``options`` with the given shares.

    Parameters
    ----------
    options : dict of str to float
        Names and their shares.
    size : int
        How many to draw.
    rng : numpy.random.Generator
        The seeded generator.

    Returns
    -------
    numpy.ndarray of str
        The names drawn.
    """
    names = list(options)
    weights = np.array(list(options.values()))
    return np.asarray(rng.choice(names, size=size, p=weights / weights.sum()))
