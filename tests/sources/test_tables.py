"""svd_geo.sources.tables."""

from __future__ import annotations

import pandas as pd
import pytest

from svd_geo.base.coords import parse_numbers
from svd_geo.sources.registry import load_registry
from svd_geo.sources.tables import read_table_entry


def test_statistics_tables_read_thousands_separators_and_bom(config):
    entry = load_registry(config)["imd-2019"]
    table = read_table_entry(entry, config)
    assert entry.code_field in table.columns  # the byte-order mark is gone from the first header
    ranks = parse_numbers(table["Index of Multiple Deprivation (IMD) Rank"])
    assert len(table) == 32844
    assert ranks.notna().all() and ranks.max() == 32844
    population = load_registry(config)["population-2015"]
    totals = parse_numbers(read_table_entry(population, config)[population.value_field])
    assert totals.sum() == pytest.approx(54_786_327, rel=0.01)
    assert pd.api.types.is_float_dtype(totals)
