"""svd_geo.cli.common."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "command",
    [["info"], ["remove", "1"], ["interventions", "list"], ["interventions", "remove", "1"],
     ["hotspots", "--method", "kde", "--out", "x.gpkg"]],
)  # fmt: skip
def test_reading_commands_refuse_a_missing_store_and_create_none(run, command, tmp_path):
    missing = tmp_path / "nowhere.gpkg"
    refused = run(*command, "--store", str(missing), expect=2)
    assert "no store there" in refused.stderr and "svd-geo demo" in refused.stderr
    assert not missing.exists()


@pytest.mark.parametrize("command", ["trends", "unreported"])
def test_commands_that_count_records_offer_no_harm_weights(run, command):
    assert "--harm" not in run(command, "--help").stdout
    assert "unrecognized arguments: --harm" in run(command, "--harm", "css", expect=2).stderr
    assert "--harm" in run("repeats", "--help").stdout
