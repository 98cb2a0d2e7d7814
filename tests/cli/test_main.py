"""svd_geo.cli.main."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("command", ["demo", "ingest", "info", "audit", "remove", "boundaries"])
def test_every_command_has_help(run, command):
    assert "usage: svd-geo" in run(command, "--help").stdout


def test_the_command_line_reports_a_library_error_and_exits_2(capsys, tmp_path):
    from svd_geo.cli.main import EXIT_REFUSED, main

    missing = tmp_path / "nowhere.gpkg"
    assert main(["info", "--store", str(missing)]) == EXIT_REFUSED == 2
    assert "no store there" in capsys.readouterr().err
