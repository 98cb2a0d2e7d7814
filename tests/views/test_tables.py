"""svd_geo.views.tables."""

from __future__ import annotations

import pytest

from svd_geo.analyses.params import HotspotParams
from svd_geo.analyses.run import run_hotspots
from svd_geo.select.filters import View
from svd_geo.store.backends import open_store
from svd_geo.views.tables import GISTAR_ORDER, hotspot_table


@pytest.fixture(scope="module")
def incidents(demo_store_path):
    return open_store(demo_store_path).incidents()


def test_gistar_table_ranks_hot_spots_first_by_z_and_names_before_codes(incidents, session_config):
    run = run_hotspots(incidents, HotspotParams(method="gistar"), session_config)
    table = hotspot_table(run, View(), limit=10_000)
    assert list(table.columns)[:2] == ["area", "code"]
    ranks = table["class"].map(GISTAR_ORDER.index).tolist()
    assert ranks == sorted(ranks) and table["class"].iloc[0].startswith("hot")
    hot = table[table["class"] == table["class"].iloc[0]]
    assert hot["z"].tolist() == sorted(hot["z"], reverse=True)


@pytest.mark.parametrize("method", ["kde", "dbscan"])
def test_hotspot_table_is_for_a_person(incidents, session_config, method):
    run = run_hotspots(incidents, HotspotParams(method=method), session_config)
    table = hotspot_table(run, View())
    assert (
        list(table.columns)[:4] == ["hotspot", "where", "top streets", "wards"]
        and (table["wards"] != "").all()
    )
    named = table["top streets"] != ""  # a street with its count, or none (fewer than 5 records name it)
    assert table.loc[named, "top streets"].str.fullmatch(r"(.+ \([\d,]+\)(; )?)+").all()
    first_ward = table["where"].iloc[0].split(" / ")[0].split(" +")[0]
    assert (table["where"] != "").all() and first_ward in table["wards"].iloc[0].split("; ")
    assert table["share of incidents"].str.fullmatch(r"\d+\.\d%").all()
    assert "area (ha)" in table and "area_m2" not in table
    assert "harm" not in table  # no weights: harm would only repeat the count
    counts = table["incidents"].str.replace(",", "").astype(int).tolist()
    assert counts == sorted(counts, reverse=True)


def test_harm_appears_once_weights_are_applied(incidents, session_config):
    weighted = incidents.assign(weight=incidents["category"].map(lambda c: 3.0 if "Violence" in c else 1.0))
    run = run_hotspots(weighted, HotspotParams(), session_config)
    assert "harm" in hotspot_table(run, View())


def test_forecast_accuracy_leads_with_one_sentence_then_a_short_table(incidents, session_config):
    from svd_geo.analyses.evaluate import sweep
    from svd_geo.views.tables import accuracy_words

    result = sweep(incidents, HotspotParams(), {"method": ["kde"]}, session_config)
    sentence, table = accuracy_words(result)
    best = result.iloc[0]
    assert sentence.startswith(f"Kernel density captured {best['hit_rate']:.0%} of the test period's")
    assert f"PAI {best['pai']:.1f}, against {best['baseline_pai']:.1f}" in sentence
    assert list(table.columns) == ["measure", "this definition", "last period's counts"] and len(table) == 6
