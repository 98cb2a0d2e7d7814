"""Cached wrappers around svd_geo for the pages (the only module that caches).

Every cached function takes the store's ``data_version`` explicitly so a
change to the store invalidates it.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from svd_geo.boundaries import attribution_text, licence_table
from svd_geo.config import Config
from svd_geo.store import GeoPackageStore, open_store
from svd_geo.summary import StoreSummary, summarise_store


def get_config() -> Config:
    # Not cached: cheap, and the environment (SVD_GEO_STORE) may change between runs.
    return Config()


def get_store() -> GeoPackageStore:
    return open_store(get_config().store_path)


@st.cache_data(show_spinner=False)
def store_summary(store_path: Path, data_version: str) -> StoreSummary:
    return summarise_store(open_store(store_path))


@st.cache_data(show_spinner=False)
def rejected_rows(store_path: Path, data_version: str, import_id: int) -> pd.DataFrame:
    return open_store(store_path).rejected(import_id)


@st.cache_data(show_spinner=False, max_entries=4)
def incidents(store_path: Path, data_version: str) -> gpd.GeoDataFrame:
    return open_store(store_path).incidents()


@st.cache_data(show_spinner=False, max_entries=4)
def interventions(store_path: Path, data_version: str) -> gpd.GeoDataFrame:
    return open_store(store_path).interventions()


@st.cache_data(show_spinner=False)
def attribution(registry_path: Path) -> str:
    return attribution_text(get_config())


@st.cache_data(show_spinner=False)
def boundary_sources(_config: Config, registry_path: Path) -> pd.DataFrame:
    return licence_table(_config)
