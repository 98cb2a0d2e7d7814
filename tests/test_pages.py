"""The pages stay thin: widgets and layout, every computation cached in ui.cache."""

from __future__ import annotations

import re

import pytest

from svd_geo.base.config import PROJECT_ROOT

PAGES = sorted((PROJECT_ROOT / "pages").glob("*.py"))
# Library calls that compute: a page reaches them only through ui.cache.
UNCACHED = (
    "select_view",
    "sweep",
    "before_after",
    "run_hotspots",
    "run_coverage",
    "run_trends",
    "seasonality",
)


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_a_page_is_at_most_80_lines_and_computes_nothing_itself(page):
    text = page.read_text()
    assert len(text.splitlines()) <= 80
    assert [name for name in UNCACHED if re.search(rf"(?<![\w.]){name}\b", text)] == []
    assert "st.error(" not in text  # ui.errors shows library errors, escaped
