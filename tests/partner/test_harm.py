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
