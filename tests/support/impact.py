"""Helpers and fixtures for analyses/test_impact.py, views/test_interventions.py.

They build what those tests share: before/after on the demo store: the filters it follows, the records it leaves out, one result everywhere.
"""

from __future__ import annotations

import pandas as pd
import pytest

from svd_geo.store.backends import open_store


@pytest.fixture(scope="module")
def stored(demo_store_path):
    store = open_store(demo_store_path)
    return store.incidents(), store.interventions()


def _place(places: pd.DataFrame, words: str) -> int:
    return int(places.loc[places["name"].str.contains(words), "id"].iloc[0])
