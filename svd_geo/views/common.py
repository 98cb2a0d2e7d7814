"""What every dashboard page shares: the sidebar's area choices and the area tables of a view.

Presentation mode (partnership meetings) is enforced in the views, not only in
page code: counts below the threshold show as "<5", and the maps
(:mod:`svd_geo.views.map`) never draw points in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from svd_geo.base.config import Config
from svd_geo.base.schema import count_records, record_counts
from svd_geo.select.filters import View, is_suppressed, shown_count, ward_districts
from svd_geo.sources.areas import area_population

if TYPE_CHECKING:
    import geopandas as gpd


@dataclass(frozen=True)
class AreaChoices:
    """Districts and wards the sidebar offers: ``{code: name}`` and the district of each ward."""

    districts: dict[str, str]
    wards: dict[str, str]
    ward_district: dict[str, str]


@lru_cache(maxsize=4)
def area_choices(config: Config) -> AreaChoices:
    """Return the study area's districts and its wards (the configured ward vintage), by name.

    Parameters
    ----------
    config : Config
        Where the boundaries are.

    Returns
    -------
    AreaChoices
        District and ward names by code, and each ward's district.
    """
    from svd_geo.sources.areas import study_context
    from svd_geo.sources.boundaries import load_boundaries

    districts = load_boundaries("district", config).sort_values("area_name")
    wards = study_context(config)[0].sort_values("area_name")
    return AreaChoices(
        dict(zip(districts["area_code"], districts["area_name"], strict=True)),
        dict(zip(wards["area_code"], wards["area_name"], strict=True)),
        dict(zip(wards["area_code"], wards["district_code"], strict=True)),
    )


def warm_lookups(config: Config) -> None:
    """Read the boundaries and populations the pages look up, so a first option change is not the one to pay.

    Each lookup is cached per config for the life of the process; the dashboard runs
    this once in a background thread when it starts.

    Parameters
    ----------
    config : Config
        Where the boundaries and populations are.
    """
    from svd_geo.sources.areas import study_area_m2, study_context

    for level in ("ward", "lsoa"):
        area_population(level, config)
    area_choices(config)
    ward_districts(config)
    study_area_m2(config)
    study_context(config)


def area_table(incidents: pd.DataFrame, level: str, view: View, config: Config) -> gpd.GeoDataFrame:
    """Count incidents per ward or LSOA (area-only records included).

    Parameters
    ----------
    incidents : pandas.DataFrame
        The view's incidents, one per row or grouped (with ``records``).
    level : {"ward", "lsoa"}
        The areas.
    view : View
        Presentation mode and the small-count threshold.
    config : Config
        Where the boundaries and populations are.

    Returns
    -------
    geopandas.GeoDataFrame
        Areas with ``count``, ``rate_per_1k`` (where population is registered;
        NaN elsewhere), and as displayed ``shown`` (the count), ``shown_rate`` and
        ``shown_rank`` (both "suppressed" where the count is: with the population
        a rate gives the count back), largest first; with a harm weighting also
        ``harm``, the ranking's order.
    """
    from svd_geo.sources.areas import study_context

    wards, lsoas = study_context(config)  # read once per config, as every map asks
    areas = wards if level == "ward" else lsoas
    code_column = "ward_code" if level == "ward" else "lsoa_code"
    counts = count_records(incidents, code_column)  # a grouped frame (a store that counts in SQL) too
    table = areas.copy()
    table["count"] = counts.reindex(table["area_code"]).fillna(0).to_numpy(dtype=float)
    population = area_population(level, config)
    table["population"] = population.reindex(table["area_code"]).to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["rate_per_1k"] = table["count"] / table["population"] * 1000
    table["shown"] = [shown_count(c, view) for c in table["count"]]
    rank_by = "count"
    if view.harm != "count":
        weights = incidents["weight"].astype(float).fillna(1.0).to_numpy() * record_counts(incidents)
        harm = pd.Series(weights).groupby(incidents[code_column].to_numpy()).sum()
        table["harm"] = harm.reindex(table["area_code"]).fillna(0).to_numpy(dtype=float).round(1)
        rank_by = "harm"
    table = table.sort_values(rank_by, ascending=False, kind="stable").reset_index(drop=True)
    withheld = np.array([is_suppressed(c, view) for c in table["count"]], dtype=bool)
    rates = ["not registered" if np.isnan(r) else f"{r:,.1f}" for r in table["rate_per_1k"]]
    table["shown_rate"] = np.where(withheld, "suppressed", rates)
    table["shown_rank"] = np.where(
        withheld, "suppressed", [f"{i + 1} of {len(table)}" for i in range(len(table))]
    )
    if "harm" in table:  # a small count's harm, with its offence's weight, gives the count back
        table["harm"] = table["harm"].mask(withheld)
    return table
