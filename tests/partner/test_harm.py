"""svd_geo.partner.harm."""

from __future__ import annotations

import pandas as pd
import pytest


def test_cli_harm_weights(run, police_sample, tmp_path, write_csv):
    weights = write_csv("category,weight\nViolence and sexual offences,10\nRobbery,5\n", name="harm.csv")
    out = tmp_path / "harm.csv"
    run(
        "hotspots",
        str(police_sample),
        "--method",
        "gistar",
        "--weights",
        str(weights),
        "--permutations",
        "99",
        "--out",
        str(out),
    )
    raw = pd.read_csv(police_sample)
    expected = raw["Crime type"].map({"Violence and sexual offences": 10, "Robbery": 5}).fillna(1).sum()
    assert pd.read_csv(out)["count"].sum() == pytest.approx(expected)


def _records(**columns):
    import geopandas as gpd

    return gpd.GeoDataFrame(columns, geometry=[None] * len(next(iter(columns.values()))))


def test_a_record_is_weighted_by_its_code_then_its_category_then_counts_one(session_config):
    from svd_geo.partner.harm import weigh_incidents

    records = _records(
        category=["Violence and sexual offences", "Robbery", "Anti-social behaviour", "Robbery"],
        offence_code=["001/01", "", "", "999/99"],
        weight=[1.0, 2.0, float("nan"), 1.0],  # the second record stands for two incidents
    )
    weighted, how = weigh_incidents(records, "css", session_config)
    assert weighted["weight"].tolist() == pytest.approx([7973.393423, 2 * 799.6288702, 1.0, 799.6288702])
    assert (how.by_code, how.by_category, how.unweighted) == (1, 2, 1)
    assert how.sentence().endswith(
        "1 records weighted by offence code; 2 records weighted by category; 1 records had no weight and count 1."
    )
    assert how.as_metadata()["harm_table"].startswith("ONS Crime Severity Score")
    unweighted, counted = weigh_incidents(records, "count", session_config)
    assert unweighted is records and counted.sentence() == "Harm: each incident counts 1 (no harm weights)."


def test_an_unknown_harm_choice_names_the_choices(session_config):
    from svd_geo.base.errors import DataValidationError
    from svd_geo.partner.harm import weigh_incidents

    with pytest.raises(DataValidationError, match="choose count, css or cchi, or give a CSV"):
        weigh_incidents(_records(category=["Robbery"]), "severity", session_config)


def test_cli_harm_css_weights_gistar_and_says_so_in_its_sidecar(run, police_sample, tmp_path, session_config):
    import json

    from svd_geo.sources.harm import load_harm_table

    out = tmp_path / "gi.csv"
    result = run("hotspots", str(police_sample), "--method", "gistar", "--harm", "css", "--permutations", "99",
                 "--out", str(out), "--json")  # fmt: skip
    raw = pd.read_csv(police_sample)
    asb = int(
        (raw["Crime type"] == "Anti-social behaviour").sum()
    )  # ASB is no offence: the join has no weight
    assert asb > 0
    summary = json.loads(result.stdout)
    assert summary["harm"].startswith("Harm: ONS Crime Severity Score")
    assert summary["harm"].endswith(f"{asb:,} records had no weight and count 1.")
    sidecar = json.loads(out.with_name(out.name + ".metadata.json").read_text())
    assert (sidecar["harm"]["harm"], sidecar["harm"]["unweighted"]) == ("css", asb)
    weights = load_harm_table("css", session_config).by_category
    expected = raw["Crime type"].str.lower().map(weights).fillna(1.0).sum()
    assert pd.read_csv(out)["count"].sum() == pytest.approx(expected)
    assert (
        "Sherman" not in json.dumps(sidecar)
        and "Open Government Licence" in sidecar["harm"]["harm_attribution"]
    )
