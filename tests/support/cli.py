"""Helpers and fixtures for cli/test_analysis.py, cli/test_common.py, cli/test_data.py, cli/test_main.py, cli/test_places.py, outputs/test_metadata.py, outputs/test_results.py, partner/test_harm.py.

They build what those tests share: the svd-geo command, run through its installed entry point.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA

SVD_GEO = str(Path(sys.executable).parent / "svd-geo")


SAMPLE = DATA / "police_uk_20.csv"


@pytest.fixture
def run(config):
    env = {
        **os.environ,
        "SVD_GEO_MIRROR": str(config.mirror_dir),
        "SVD_GEO_CACHE": str(config.cache_dir),
        "SVD_GEO_OFFLINE": "1",
        "SVD_GEO_STORE": str(config.store_path),
    }

    def run(*args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([SVD_GEO, *args], capture_output=True, text=True, env=env, timeout=300)
        assert result.returncode == expect, result.stderr
        return result

    return run


def summary_of(run, *args: str) -> dict:
    """Run an svd-geo command with ``--json`` and return the summary it prints."""
    return json.loads(run(*args, "--json").stdout)
