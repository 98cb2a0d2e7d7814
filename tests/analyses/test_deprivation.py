"""svd_geo.analyses.deprivation: rates by decile with exact intervals, checked by hand and by inversion."""

from __future__ import annotations

import glob
import json

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq
from scipy.stats import binom

from svd_geo.analyses.deprivation import deprivation_rates, poisson_interval, rate_ratio
from svd_geo.select.filters import View
from tests.support.cli import summary_of


def test_poisson_intervals_are_the_published_exact_ones():
    # Garwood's limits as tabulated (e.g. Ulm 1990): 0 -> (0, 3.689); 1 -> (0.0253, 5.572); 10 -> (4.795, 18.39).
    low, high = poisson_interval(np.array([0, 1, 10]))
    assert low == pytest.approx([0.0, 0.0253, 4.7954], abs=1e-4)
    assert high == pytest.approx([3.6889, 5.5716, 18.3904], abs=1e-4)


def test_the_rate_ratio_interval_inverts_the_binomial_tails():
    got = rate_ratio(20, 1000.0, 10, 2000.0)
    assert got.ratio == pytest.approx(4.0)
    n, share = 30, 1000 / 3000  # given 30 in all, the first count is binomial(30, RR a / (RR a + b))

    def p_of(ratio: float) -> float:
        return ratio * share / (ratio * share + (1 - share))

    low = brentq(lambda r: binom.sf(19, n, p_of(r)) - 0.025, 0.01, 100)  # P(X >= 20) = 2.5%
    high = brentq(lambda r: binom.cdf(20, n, p_of(r)) - 0.025, 0.01, 100)  # P(X <= 20) = 2.5%
    assert (got.low, got.high) == pytest.approx((low, high), rel=1e-6)
    assert np.isnan(rate_ratio(0, 1000.0, 5, 1000.0).ratio)


@pytest.fixture(scope="module")
def three_lsoas(session_config):
    """Three study-area LSOAs of different IMD deciles, their deciles and residents read from the mirror."""
    imd = pd.read_csv(
        glob.glob(f"{session_config.mirror_dir}/**/File_1_-_IMD2019*", recursive=True)[0], dtype=str
    )
    people = pd.read_csv(
        glob.glob(f"{session_config.mirror_dir}/**/population_mid2020_lsoa11_*", recursive=True)[0]
    )
    imd = imd.set_index("LSOA code (2011)")["Index of Multiple Deprivation (IMD) Decile"].astype(int)
    people = people.set_index("lsoa11_code")["total_population"]
    codes = [imd[people.index].idxmin(), imd[people.index].idxmax(), people.index[5]]
    return codes, imd[codes].tolist(), people[codes].tolist()


def test_rates_per_decile_count_the_incidents_of_its_lsoas_over_their_residents(session_config, three_lsoas):
    codes, deciles, residents = three_lsoas
    incidents = pd.DataFrame(
        {"lsoa_code": [codes[0]] * 30 + [codes[1]] * 6 + [codes[2]] * 9 + ["", "W01000001"]}
    )
    result = deprivation_rates(incidents, session_config)
    table = result.table.set_index("decile")
    most, least = deciles[0], deciles[1]
    assert result.left_out == 2 and table["incidents"].sum() == 45
    assert set(table.index) == set(range(min(table.index), max(table.index) + 1)) and most == table.index[0]
    # The most deprived decile's residents are its LSOAs' together, not just the one with incidents.
    assert table.loc[most, "residents"] >= residents[0]
    expected = table.loc[most, "incidents"] / table.loc[most, "residents"] * 1000
    assert table.loc[most, "rate_per_1k"] == pytest.approx(expected)
    assert table.loc[most, "rate_low"] < expected < table.loc[most, "rate_high"]
    assert (result.ratio.most, result.ratio.least) == (most, table.index[-1])
    if table.index[-1] == least:
        assert result.ratio.ratio == pytest.approx(expected / table.loc[least, "rate_per_1k"])
    assert "the most deprived present" in result.ratio.sentence(result.title)


def test_weighted_incidents_add_each_deciles_harm_per_resident_and_its_ratio(session_config, three_lsoas):
    codes, deciles, _ = three_lsoas
    incidents = pd.DataFrame({
        "lsoa_code": [codes[0]] * 4 + [codes[1]] * 2 + ["W01000001"],
        "weight": [10.0, 10.0, 2.0, np.nan, 3.0, 1.0, 50.0],  # a missing weight counts 1
    })  # fmt: skip
    result = deprivation_rates(incidents, session_config)
    table = result.table.set_index("decile")
    most, least = table.loc[deciles[0]], table.loc[deciles[1]]
    assert (most["incidents"], most["harm"]) == (4, 23.0) and least["harm"] == 4.0
    assert most["harm_per_1k"] == pytest.approx(23.0 / most["residents"] * 1000)
    if table.index[-1] == deciles[1]:
        assert result.harm_ratio == pytest.approx(most["harm_per_1k"] / least["harm_per_1k"])
        assert f"{result.harm_ratio:.1f} times the harm per resident" in result.harm_sentence()
    assert "harm per 1,000 residents" in result.shown(View())
    unweighted = deprivation_rates(incidents.drop(columns="weight"), session_config)
    assert "harm" not in unweighted.table and unweighted.harm_ratio is None and not unweighted.harm_sentence()
    assert unweighted.table["rate_per_1k"].tolist() == result.table["rate_per_1k"].tolist()


def test_svd_geo_deprivation_weighs_by_harm_when_asked(run, demo_store_path, tmp_path):
    out = tmp_path / "deprivation.csv"
    summary = summary_of(
        run, "deprivation", "--store", str(demo_store_path), "--harm", "css", "--out", str(out)
    )
    table = pd.read_csv(out)
    assert list(table.columns[-2:]) == ["harm", "harm_per_1k"] and summary["harm_ratio"] > 0
    assert summary["harm_ratio"] == pytest.approx(
        table["harm_per_1k"].iloc[0] / table["harm_per_1k"].iloc[-1], rel=1e-9
    )
    harm = json.loads(out.with_name(out.name + ".metadata.json").read_text())["harm"]
    assert harm["harm"] == "css" and "Crime Severity Score" in harm["harm_table"]


def test_svd_geo_deprivation_writes_the_table_and_its_sidecar(run, demo_store_path, tmp_path):
    out = tmp_path / "deprivation.csv"
    summary = summary_of(
        run, "deprivation", "--store", str(demo_store_path), "--domain", "crime", "--out", str(out)
    )
    table = pd.read_csv(out)
    assert list(table.columns) == [
        "decile",
        "lsoas",
        "residents",
        "incidents",
        "rate_per_1k",
        "rate_low",
        "rate_high",
    ]
    assert table["decile"].tolist() == sorted(table["decile"]) and table["incidents"].sum() > 0
    sidecar = json.loads(out.with_name(out.name + ".metadata.json").read_text())
    assert sidecar["domain"] == "Crime domain of the Indices of Deprivation 2019"
    assert sidecar["rate_ratio_low"] <= sidecar["rate_ratio"] <= sidecar["rate_ratio_high"]
    assert summary["deciles"][0]["decile"] == summary["most_deprived_decile"] == table["decile"].iloc[0]


def test_a_meeting_sees_no_small_count_nor_its_rate():
    from tests.support.deprivation import RATES

    table = RATES.shown(View(presentation=True))
    assert table["incidents"].tolist() == ["120", "<5", "30"]
    assert table["per 1,000 residents (95% interval)"].tolist()[1] == "suppressed"
    assert RATES.shown(View())["per 1,000 residents (95% interval)"].tolist()[1] == "0.6 (0.1 to 1.8)"


def test_the_2025_edition_places_points_in_2021_lsoas_and_shares_a_split_lsoas_residents(session_config):
    import geopandas as gpd

    mirror = session_config.mirror_dir
    lookup = pd.read_csv(mirror / "derived/lookup_lsoa11_lsoa21_ashfield_mansfield.csv")
    people = pd.read_csv(mirror / "derived/population_mid2020_lsoa11_ashfield_mansfield.csv").set_index(
        "lsoa11_code"
    )
    split = lookup[lookup["change_code"] == "S"]
    parent = split["lsoa11_code"].iloc[0]
    children = split.loc[split["lsoa11_code"] == parent, "lsoa21_code"].tolist()
    unchanged = lookup.loc[lookup["change_code"] == "U", "lsoa11_code"].iloc[0]
    areas = gpd.read_file(mirror / "derived/boundaries_lsoa21_ashfield_mansfield.geojson").to_crs(27700)
    inside = areas.set_index(areas.columns[0]).loc[children[0]].geometry.representative_point()
    incidents = gpd.GeoDataFrame(
        {"lsoa_code": [parent, parent, unchanged]}, geometry=[inside, None, None], crs=27700
    )  # the second is area-only in a split LSOA: which part is unknown
    result = deprivation_rates(incidents, session_config, edition=2025)
    assert result.left_out == 1 and result.table["incidents"].sum() == 2
    assert result.title == "Index of Multiple Deprivation 2025"
    imd25 = pd.read_csv(mirror / "derived/imd2025_lsoa21_ashfield_mansfield.csv").set_index("lsoa21_code")
    decile = imd25.loc[children[0], "IMD_decile"]
    row = result.table.set_index("decile").loc[decile]
    in_decile = imd25[imd25["IMD_decile"] == decile].index
    shares = lookup.groupby("lsoa11_code")["lsoa21_code"].transform("size")
    by_hand = people["total_population"].reindex(lookup["lsoa11_code"]).to_numpy() / shares.to_numpy()
    residents = (
        pd.Series(by_hand, index=lookup["lsoa21_code"]).groupby(level=0).sum().reindex(in_decile).sum()
    )
    assert row["residents"] == pytest.approx(residents)
    assert people.loc[parent, "total_population"] / len(children) == pytest.approx(
        pd.Series(by_hand, index=lookup["lsoa21_code"])[children[0]]
    )


def test_svd_geo_deprivation_reads_a_partners_file_placing_its_points(run, police_sample):
    summary = json.loads(run("deprivation", str(police_sample), "--json").stdout)
    assert sum(row["incidents"] for row in summary["deciles"]) + summary["left_out"] == 7565
