"""svd_geo.cli.main."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("command", ["demo", "ingest", "info", "remove", "boundaries"])
def test_every_command_has_help(run, command):
    assert "usage: svd-geo" in run(command, "--help").stdout
