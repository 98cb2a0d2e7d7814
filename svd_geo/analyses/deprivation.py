"""Violence by deprivation: incidents per 1,000 residents in each decile of the IMD or its Crime domain.

Each incident counts in the decile of its LSOA (2011 LSOAs, the store's: the
English Indices of Deprivation 2019, whose deciles are national, 1 the most
deprived tenth of England's LSOAs).  Residents are the registered population of
the study area's LSOAs.  A rate's 95% interval is exact for a Poisson count
(Garwood 1936, through the chi-squared distribution); the rate ratio of the most
deprived decile to the least deprived one present has the exact interval that
conditions on their total, which is then binomial (Clopper-Pearson).

Where the incidents are weighted by harm, each decile also gets its harm and harm
per 1,000 residents, and the ratio of the extremes' harm rates.  These have no
interval: a sum of weights is not a Poisson count, and the counts' intervals do
not carry over to it.

References
----------
Garwood, F. (1936) Fiducial limits for the Poisson distribution. Biometrika 28: 437-442.
Clopper, C. J. and Pearson, E. S. (1934) The use of confidence or fiducial limits
illustrated in the case of the binomial. Biometrika 26: 404-413.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from svd_geo.base.coords import parse_numbers
from svd_geo.base.errors import EmptySelectionError
from svd_geo.select.filters import View, is_suppressed, shown_count
from svd_geo.select.points import harm_weights

if TYPE_CHECKING:
    from svd_geo.base.config import Config

DOMAINS = {
    ("imd", 2019): (
        "imd-2019",
        "Index of Multiple Deprivation (IMD) Decile",
        "Index of Multiple Deprivation 2019",
    ),
    ("crime", 2019): (
        "iod-2019-domains",
        "Crime Decile (where 1 is most deprived 10% of LSOAs)",
        "Crime domain of the Indices of Deprivation 2019",
    ),
    ("imd", 2025): ("imd-2025-ashfield-mansfield", "IMD_decile", "Index of Multiple Deprivation 2025"),
    ("crime", 2025): (
        "imd-2025-ashfield-mansfield",
        "Crime_decile",
        "Crime domain of the Indices of Deprivation 2025",
    ),
}
"""``(--domain, --imd)``: the registered table, its decile column, and its name in words."""
COLUMNS = ["decile", "lsoas", "residents", "incidents", "rate_per_1k", "rate_low", "rate_high"]
"""One row per decile: how many LSOAs and residents, the incidents, the rate and its 95% interval."""
HARM_COLUMNS = ["harm", "harm_per_1k"]
"""Added to :data:`COLUMNS` when the incidents are weighted by harm: the decile's harm and its rate."""


@dataclass(frozen=True)
class RateRatio:
    """The rate of the most deprived decile against the least deprived one present.

    Attributes
    ----------
    most, least : int
        The two deciles compared.
    ratio, low, high : float
        The rate ratio and its exact 95% interval.
    """

    most: int
    least: int
    ratio: float
    low: float
    high: float

    def sentence(self, what: str) -> str:
        """Say the ratio, e.g. for a caption or the briefing.

        Parameters
        ----------
        what : str
            The index, e.g. "Index of Multiple Deprivation 2019".

        Returns
        -------
        str
            E.g. "By the Index of Multiple Deprivation 2019, residents of decile 1 (most deprived)
            ... 3.2 times (95% interval 2.9 to 3.6) the rate in decile 9.".
        """
        if np.isnan(self.ratio):
            return f"By the {what}, too few incidents to compare decile {self.most} with decile {self.least}."
        return (
            f"By the {what}, decile {self.most} (the most deprived present) has {self.ratio:.1f} times "
            f"(95% interval {self.low:.1f} to {self.high:.1f}) the rate of decile {self.least} "
            "(the least deprived present)."
        )


@dataclass(frozen=True)
class DeprivationRates:
    """Rates per 1,000 residents by decile, and the ratio of the extremes.

    Attributes
    ----------
    domain : str
        ``imd`` or ``crime``.
    title : str
        The index in words.
    table : pandas.DataFrame
        :data:`COLUMNS` (and :data:`HARM_COLUMNS` when weighted), decile 1 (most deprived) first.
    ratio : RateRatio
        Most deprived against least deprived decile present.
    left_out : int
        Incidents with no LSOA of the study area (or no registered population), not counted.
    harm_ratio : float or None
        The extremes' ratio of harm per resident; None when the incidents are not weighted.
    """

    domain: str
    title: str
    table: pd.DataFrame
    ratio: RateRatio
    left_out: int
    harm_ratio: float | None = None

    def harm_sentence(self) -> str:
        """Say the extremes' ratio of harm per resident, or nothing when the incidents are not weighted.

        Returns
        -------
        str
            E.g. "Weighted by harm, decile 1 has 4.2 times the harm per resident of decile 10
            (no interval: harm is not a count).", or "".
        """
        if self.harm_ratio is None:
            return ""
        if not np.isfinite(self.harm_ratio):
            return "Weighted by harm, too little harm to compare the extremes."
        return (
            f"Weighted by harm, decile {self.ratio.most} has {self.harm_ratio:.1f} times the harm per "
            f"resident of decile {self.ratio.least} (no interval: harm is not a count)."
        )

    def withheld(self, view: View) -> np.ndarray:
        """Return the deciles whose count the view must not show (with the residents a rate gives it back).

        Parameters
        ----------
        view : View
            Presentation mode and the small-count threshold.

        Returns
        -------
        numpy.ndarray of bool
            One per row of ``table``.
        """
        return np.array([is_suppressed(n, view) for n in self.table["incidents"]], dtype=bool)

    def shown(self, view: View) -> pd.DataFrame:
        """Return the table as a page or the briefing shows it, small counts and their rates suppressed.

        Parameters
        ----------
        view : View
            Presentation mode and the small-count threshold.

        Returns
        -------
        pandas.DataFrame
            Decile (1 the most deprived), LSOAs, residents, incidents, the rate per
            1,000 residents and its 95% interval (and, when weighted, harm per 1,000
            residents), as text.
        """
        table, withheld = self.table, self.withheld(view)
        rate = [f"{r:,.1f} ({lo:,.1f} to {hi:,.1f})" for r, lo, hi in
                table[["rate_per_1k", "rate_low", "rate_high"]].itertuples(index=False)]  # fmt: skip
        shown = pd.DataFrame({
            "decile": [f"{d}{' (most deprived)' if d == 1 else ''}" for d in table["decile"]],
            "LSOAs": table["lsoas"], "residents": [f"{r:,.0f}" for r in table["residents"]],
            "incidents": [shown_count(n, view) for n in table["incidents"]],
            "per 1,000 residents (95% interval)": np.where(withheld, "suppressed", rate),
        })  # fmt: skip
        if "harm_per_1k" in table:
            harm = [f"{h:,.1f}" for h in table["harm_per_1k"]]
            shown["harm per 1,000 residents"] = np.where(withheld, "suppressed", harm)
        return shown


def poisson_interval(count: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Return the exact (Garwood) interval of Poisson counts.

    Parameters
    ----------
    count : numpy.ndarray
        Observed counts.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    tuple of numpy.ndarray
        Lower and upper limits of the mean (the lower is 0 for a count of 0).
    """
    from scipy.stats import chi2

    counts = np.asarray(count, dtype=float)
    alpha = 1 - level
    low = np.where(counts > 0, chi2.ppf(alpha / 2, 2 * counts) / 2, 0.0)
    high = chi2.ppf(1 - alpha / 2, 2 * counts + 2) / 2
    return low, high


def rate_ratio(
    count_a: int, people_a: float, count_b: int, people_b: float, level: float = 0.95
) -> RateRatio:
    """Return the ratio of two Poisson rates with its exact conditional interval.

    Given their total, the first count is binomial with ``p = RR a / (RR a + b)``
    (a and b the populations); the Clopper-Pearson interval of ``p`` gives RR's.

    Parameters
    ----------
    count_a, count_b : int
        The two counts.
    people_a, people_b : float
        Their populations.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    RateRatio
        The ratio and its interval (deciles 0 and 0: set them on the result); NaN when
        either count is 0.
    """
    from scipy.stats import binomtest

    if count_a == 0 or count_b == 0:
        return RateRatio(0, 0, float("nan"), float("nan"), float("nan"))
    interval = binomtest(count_a, count_a + count_b).proportion_ci(confidence_level=level, method="exact")
    scale = people_b / people_a
    ratio = (count_a / people_a) / (count_b / people_b)
    high = float("inf") if interval.high >= 1 else interval.high / (1 - interval.high) * scale
    return RateRatio(0, 0, ratio, interval.low / (1 - interval.low) * scale, high)


@lru_cache(maxsize=8)
def lsoa_deciles(domain: str, edition: int, config: Config) -> pd.Series:
    """Return the decile of every LSOA the edition lists by the IMD or its Crime domain.

    Parameters
    ----------
    domain : {"imd", "crime"}
        Which index.
    edition : {2019, 2025}
        The Indices of Deprivation 2019 (2011 LSOAs, all of England) or 2025 (2021 LSOAs).
    config : Config
        Where the registered tables are.

    Returns
    -------
    pandas.Series
        Decile (1 the most deprived) by LSOA code.
    """
    from svd_geo.sources.registry import load_registry
    from svd_geo.sources.tables import read_table_entry

    table_id, column, _ = DOMAINS[domain, edition]
    entry = load_registry(config)[table_id]
    table = read_table_entry(entry, config)
    deciles = parse_numbers(table[column]).astype("Int64")
    return pd.Series(deciles.to_numpy(), index=table[entry.code_field].str.strip().to_numpy())


def _lsoa_2021(incidents: pd.DataFrame, config: Config) -> tuple[pd.Series, pd.Series]:
    """Each incident's 2021 LSOA, and the residents of each 2021 LSOA.

    A point is placed in the 2021 boundaries; an area-only record takes its 2011
    LSOA's one 2021 successor, and none where that LSOA was split.  No 2021
    populations are registered: a 2021 LSOA has its 2011 parents' mid-2020 residents,
    a split parent's shared equally among its parts.
    """
    import geopandas as gpd

    from svd_geo.sources.areas import area_population, lsoa_lookup
    from svd_geo.sources.boundaries import load_boundaries

    lookup = lsoa_lookup(config)
    parts = lookup.groupby("lsoa11_code")["lsoa21_code"].transform("size")
    people = area_population("lsoa", config).reindex(lookup["lsoa11_code"]).to_numpy() / parts.to_numpy()
    residents = pd.Series(people, index=lookup["lsoa21_code"].to_numpy()).groupby(level=0).sum(min_count=1)
    successor = lookup[parts == 1].set_index("lsoa11_code")["lsoa21_code"]
    codes = incidents["lsoa_code"].astype("string").map(successor)
    located = incidents.geometry.notna() & ~incidents.geometry.is_empty if "geometry" in incidents else None
    if located is not None and located.any():
        areas = load_boundaries("lsoa", config, vintage=2021)[["area_code", "geometry"]]
        placed = gpd.sjoin(incidents.loc[located, ["geometry"]], areas, predicate="intersects")
        placed = placed[~placed.index.duplicated(keep="first")]
        codes = codes.where(~located, placed["area_code"].reindex(incidents.index).astype("string"))
    return codes, residents


def deprivation_rates(
    incidents: pd.DataFrame, config: Config, *, domain: str = "imd", edition: int = 2019
) -> DeprivationRates:
    """Count incidents per 1,000 residents in each deprivation decile of the study area's LSOAs.

    Parameters
    ----------
    incidents : pandas.DataFrame
        The selected incidents, with ``lsoa_code`` (2011) and, for the 2025 edition,
        their points; with ``weight`` when weighted by harm (1 where missing).
    config : Config
        Where the boundaries, populations and deprivation tables are.
    domain : {"imd", "crime"}, default "imd"
        The index: the IMD or its Crime domain.
    edition : {2019, 2025}, default 2019
        The Indices of Deprivation 2019 on the 2011 LSOAs, or 2025 on the 2021 ones.

    Returns
    -------
    DeprivationRates
        The rates with exact intervals, and the ratio of the extremes.

    Raises
    ------
    EmptySelectionError
        When no incident is in an LSOA of the study area with a population.
    """
    from svd_geo.sources.areas import area_population, study_context

    if edition == 2019:
        _, lsoas = study_context(config)  # the LSOAs (of the store's vintage, 2011) of the study area
        population = area_population("lsoa", config).reindex(lsoas["area_code"].unique()).dropna()
        codes = incidents["lsoa_code"].astype("string")
    else:
        codes, population = _lsoa_2021(incidents, config)
        population = population.dropna()
    deciles = lsoa_deciles(domain, edition, config).reindex(population.index).dropna().astype(int)
    weights = harm_weights(incidents)
    harm = None if weights is None else pd.Series(weights, index=codes.index).groupby(codes).sum()
    return _rates(codes, harm, population[deciles.index], deciles, DOMAINS[domain, edition][2], domain)


def _rates(
    codes: pd.Series,
    harm: pd.Series | None,
    population: pd.Series,
    deciles: pd.Series,
    title: str,
    domain: str,
) -> DeprivationRates:
    """Rates by decile from each incident's LSOA (and each LSOA's harm), the residents and deciles."""
    in_area = codes.value_counts().reindex(deciles.index).fillna(0)
    left_out = int(len(codes) - in_area.sum())
    if in_area.sum() == 0:
        msg = "no incident is in an LSOA of the study area with a registered population; widen the filters."
        raise EmptySelectionError(msg)
    frame = pd.DataFrame({"decile": deciles, "residents": population, "incidents": in_area})
    frame["harm"] = np.nan if harm is None else harm.reindex(deciles.index).fillna(0.0)
    table = frame.groupby("decile").agg(
        lsoas=("residents", "size"), residents=("residents", "sum"), incidents=("incidents", "sum"),
        harm=("harm", "sum"),
    )  # fmt: skip
    table = table.reset_index().astype({"incidents": int})
    low, high = poisson_interval(table["incidents"].to_numpy())
    per = 1000 / table["residents"].to_numpy()
    table["rate_per_1k"] = table["incidents"] * per
    table["rate_low"], table["rate_high"] = low * per, high * per
    table["harm_per_1k"] = table["harm"] * per
    most, least = table.iloc[0], table.iloc[-1]
    ratio = rate_ratio(int(most["incidents"]), most["residents"], int(least["incidents"]), least["residents"])
    ratio = RateRatio(int(most["decile"]), int(least["decile"]), ratio.ratio, ratio.low, ratio.high)
    if harm is None:
        return DeprivationRates(domain, title, table[COLUMNS], ratio, left_out)
    with np.errstate(divide="ignore", invalid="ignore"):
        harm_ratio = float(np.float64(most["harm_per_1k"]) / np.float64(least["harm_per_1k"]))
    return DeprivationRates(domain, title, table[COLUMNS + HARM_COLUMNS], ratio, left_out, harm_ratio)
