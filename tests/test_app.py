"""The app as a whole (app.py): navigation, the sidebar, every page on an empty store."""

from __future__ import annotations

import pytest

from tests.support.app import run_app, texts


@pytest.mark.parametrize(
    "page", ["pages/overview.py", "pages/hotspots.py", "pages/trends.py", "pages/interventions.py"]
)
def test_analysis_pages_on_empty_store(app_env, page):
    at = run_app(page)
    assert "The store is empty" in texts(at)
