"""Cached wrappers around svd_geo for the pages (the only module that caches).

Every cached function takes the store's ``data_version`` explicitly so a
change to the store invalidates it.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st

from svd_geo.analyses.at_scale import (
    store_coverage_run,
    store_density,
    store_kde_run,
    store_point_sample,
    store_selector,
    view_groups,
)
from svd_geo.analyses.coverage import Coverage, run_coverage
from svd_geo.analyses.deprivation import DeprivationRates, deprivation_rates
from svd_geo.analyses.evaluate import sweep
from svd_geo.analyses.params import HotspotParams
from svd_geo.analyses.rates import (
    RATE_BANDWIDTH_M,
    RATE_CELL_SIZE_M,
    RateSurface,
    rate_surface,
    rates_of_density,
)
from svd_geo.analyses.repeats import repeat_locations
from svd_geo.analyses.run import HotspotRun, run_hotspots
from svd_geo.analyses.unreported import Unreported, unreported_violence
from svd_geo.base.config import Config
from svd_geo.base.errors import SvdGeoError
from svd_geo.base.speed import start_in_background
from svd_geo.outputs.briefing import build_briefing
from svd_geo.outputs.metadata import data_sources, export_metadata, generated_now, store_inputs
from svd_geo.select.filters import View, select_view
from svd_geo.sources.tables import licence_table
from svd_geo.store.backends import counting_store, open_store, store_exists
from svd_geo.store.postgis import PostGISStore
from svd_geo.store.postgis_columns import BYTES_PER_ROW, ColumnCounts, IncidentColumns
from svd_geo.store.postgis_snapshot import load_columns
from svd_geo.store.summary import StoreSummary, summarise_store
from svd_geo.views.common import warm_lookups
from svd_geo.views.hotspots import REPEAT_MIN_INCIDENTS
from svd_geo.views.interventions import before_after_lines, coverage_download
from svd_geo.views.map import POINT_CAP, MapLayers, base_map, build_map_layers, density_params
from svd_geo.views.overview import Overview, build_overview, overview_of
from svd_geo.views.trends import TrendsView, build_trends_view, timed_sources
from ui.state import (
    MAP_DEFAULT_BASEMAP,
    MAP_DEFAULT_LAYERS,
    MAP_DEFAULT_LEVEL,
    MAP_DEFAULT_MEASURE,
    MAP_DEFAULT_SCHEME,
)

MapOptions = tuple[tuple[str, Any], ...]
COUNTED_BY = ("ward_code", "lsoa_code", "source", "category")
"""What the map's area table and the unreported comparison count by, at county scale."""
OVERVIEW_MAP_OPTIONS: MapOptions = (("layers", ("areas", "hotspots", "interventions", "labels")),)


def get_config() -> Config:
    # Not cached: cheap, and the environment (SVD_GEO_STORE) may change between runs.
    return Config()


@st.cache_resource(show_spinner=False, max_entries=4)  # shared and read-only, like the data below
def store_summary(store_path: Path, data_version: str) -> StoreSummary:
    return summarise_store(open_store(store_path))


@st.cache_data(show_spinner=False)
def rejected_rows(store_path: Path, data_version: str, import_id: int) -> pd.DataFrame:
    return open_store(store_path).rejected(import_id)


# Data and results are cached as shared resources, not copied: st.cache_data would unpickle
# a fresh copy on every call (about 0.4 s for 100,000 incidents, more for a density surface).
# Pages only read them: filters return new frames, and pandas' copy-on-write keeps those
# apart from the cached ones.
@st.cache_resource(show_spinner=False, max_entries=2)
def incidents(store_path: Path, data_version: str) -> gpd.GeoDataFrame:
    return open_store(store_path).incidents()


@st.cache_resource(show_spinner=False, max_entries=4)
def interventions(store_path: Path, data_version: str) -> gpd.GeoDataFrame:
    return open_store(store_path).interventions()


@st.cache_data(show_spinner=False)
def boundary_sources(_config: Config, registry_path: Path) -> pd.DataFrame:
    return licence_table(_config)


def map_options(level: str, measure: str, scheme: str, layers: list[str] | tuple[str, ...]) -> MapOptions:
    """The Map page's choices as the cache key :func:`map_layers` takes."""
    return (("level", level), ("measure", measure), ("scheme", scheme), ("layers", tuple(layers)))


def map_layers(
    store_path: Path, data_version: str, view: View, options: MapOptions, definition: HotspotParams
) -> MapLayers:
    # Layers that draw neither hotspots nor density do not depend on the definition: one
    # cache entry serves every definition (the Hotspots page's choropleth under a new slider value).
    if not {"hotspots", "density"} & set(dict(options).get("layers", ())):
        definition = HotspotParams()
    # streamlit-folium renders (and so changes) what it is given: each run gets its own copy.
    return copy.deepcopy(_shared_map_layers(store_path, data_version, view, options, definition))


@st.cache_resource(show_spinner=False, max_entries=16)
def _shared_map_layers(
    store_path: Path, data_version: str, view: View, options: MapOptions, definition: HotspotParams
) -> MapLayers:
    layers = dict(options).get("layers", ())
    # The hotspots and the density come from the view's cached runs, which do not depend
    # on the map's options: changing an option reuses them, and the coverage tables count
    # the same hotspots.
    hotspots = hotspot_run(store_path, data_version, view, definition) if "hotspots" in layers else None
    density = (
        hotspot_run(store_path, data_version, view, density_params(definition)).surface
        if "density" in layers else None
    )  # fmt: skip
    selected = _counted(store_path, data_version, view)
    rates = _rates(store_path, data_version, view) if "rates" in layers else None
    counting = _counting(store_path, data_version)
    points = (
        store_point_sample(counting, view, get_config(), POINT_CAP)
        if counting is not None and "points" in layers else None
    )  # fmt: skip
    return build_map_layers(
        selected, view, get_config(), interventions=interventions(store_path, data_version),
        hotspots=hotspots, density=density, rates=rates, points=points, **dict(options),
    )  # fmt: skip


def _rates(store_path: Path, data_version: str, view: View) -> RateSurface:
    counting = _counting(store_path, data_version)
    if counting is None:
        return rate_surface(_selected(store_path, data_version, view), get_config())
    params = HotspotParams(bandwidth_m=RATE_BANDWIDTH_M, cell_size_m=RATE_CELL_SIZE_M)
    return rates_of_density(store_density(counting, view, params, get_config()), get_config())


def stable_base_map(basemap: str = MAP_DEFAULT_BASEMAP, *, presentation: bool = False) -> folium.Map:
    # The same map (same element ids, so the same script) on every run: the Map page's
    # frame then stays, and only the layers are redrawn when the view changes.
    return copy.deepcopy(_shared_base_map(get_config(), basemap, presentation))


@st.cache_resource(show_spinner=False)
def _shared_base_map(_config: Config, basemap: str, presentation: bool) -> folium.Map:
    return base_map(_config, basemap=basemap, large_type=presentation)


# One selection per view, shared by the map, its density and every analysis of that view.
@st.cache_resource(show_spinner=False, max_entries=4)
def _selected(store_path: Path, data_version: str, view: View) -> gpd.GeoDataFrame:
    return select_view(incidents(store_path, data_version), view, get_config())


def _counting(store_path: Path, data_version: str) -> PostGISStore | ColumnCounts | None:
    counting = counting_store(open_store(store_path))
    if counting is None:
        return None
    columns = _columns(store_path, data_version)
    return counting if columns is None else ColumnCounts(counting, columns)


# One version's columns at a time, shared by every session: the next import replaces them.
# Asked only of a PostGIS store, whose path is its URL.
@st.cache_resource(show_spinner=False, max_entries=1)
def _columns(store_path: Path, data_version: str) -> IncidentColumns | None:
    if (
        store_summary(store_path, data_version).incidents * BYTES_PER_ROW
        > get_config().columns_mb * 1_000_000
    ):
        return None
    return load_columns(str(store_path))


# At county scale a store that counts in SQL (PostGIS) groups a view's incidents for the map
# and bins them for its density; the rows are never read, so the server's memory stays flat.
@st.cache_resource(show_spinner=False, max_entries=4)
def _counted(store_path: Path, data_version: str, view: View) -> pd.DataFrame:
    counting = _counting(store_path, data_version)
    if counting is None:
        return _selected(store_path, data_version, view)
    return view_groups(counting, view, get_config(), COUNTED_BY)


@st.cache_resource(show_spinner=False, max_entries=16)
def hotspot_run(store_path: Path, data_version: str, view: View, params: HotspotParams) -> HotspotRun:
    counting = _counting(store_path, data_version)
    if counting is not None and params.method == "kde":
        return store_kde_run(counting, view, params, get_config())
    return run_hotspots(_selected(store_path, data_version, view), params, get_config())


@st.cache_data(show_spinner=False, max_entries=8)
def accuracy_sweep(store_path: Path, data_version: str, view: View, params: HotspotParams) -> pd.DataFrame:
    return sweep(_selected(store_path, data_version, view), params, {"method": [params.method]}, get_config())


@st.cache_resource(show_spinner=False, max_entries=8)
def overview(store_path: Path, data_version: str, view: View) -> Overview:
    counting = _counting(store_path, data_version)
    if counting is not None:
        return overview_of(store_selector(counting, get_config()), view, get_config())
    return build_overview(incidents(store_path, data_version), view, get_config())


@st.cache_resource(show_spinner=False, max_entries=8)
def deprivation(store_path: Path, data_version: str, view: View, spec: str) -> DeprivationRates:
    domain, edition = spec.split(":")
    selected = _selected(store_path, data_version, view)
    return deprivation_rates(selected, get_config(), domain=domain, edition=int(edition))


@st.cache_resource(show_spinner=False, max_entries=8)
def unreported_areas(store_path: Path, data_version: str, view: View, level: str) -> Unreported:
    return unreported_violence(_counted(store_path, data_version, view), get_config(), level=level)


@st.cache_resource(show_spinner=False, max_entries=8)
def repeats(store_path: Path, data_version: str, view: View) -> pd.DataFrame:
    selected = _selected(store_path, data_version, view)
    return repeat_locations(selected, get_config(), min_incidents=REPEAT_MIN_INCIDENTS)


@st.cache_resource(show_spinner=False, max_entries=8)
def trends_view(store_path: Path, data_version: str, view: View, areas: str) -> TrendsView | None:
    selected = _selected(store_path, data_version, view)
    if selected.empty:
        return None
    timed = timed_sources(incidents(store_path, data_version))
    return build_trends_view(selected, get_config(), areas=areas, timed_sources=timed)


@st.cache_resource(show_spinner=False, max_entries=8)
def coverage_run(
    store_path: Path, data_version: str, view: View, params: HotspotParams
) -> tuple[HotspotRun, Coverage]:
    run = hotspot_run(store_path, data_version, view, params)
    places = interventions(store_path, data_version)
    counting = _counting(store_path, data_version)
    if counting is not None and params.method == "kde":
        return store_coverage_run(counting, view, run, places, get_config())
    return run_coverage(_selected(store_path, data_version, view), params, get_config(), places, run=run)


@st.cache_data(show_spinner=False, max_entries=16)
def coverage_files(
    store_path: Path, data_version: str, view: View, params: HotspotParams, suffix: str
) -> tuple[bytes, bytes]:
    """The coverage layers in one format and their metadata sidecar, built once for both buttons."""
    run, result = coverage_run(store_path, data_version, view, params)
    metadata = export_metadata(
        what=f"coverage of hotspots ({params.describe()}) by intervention places", parameters={},
        filters=view.describe(), sources=data_sources(get_config(), store_inputs(store_path)),
        generated=generated_now(),
    )  # fmt: skip
    return coverage_download(run, result, suffix, view, metadata)


@st.cache_data(show_spinner=False, max_entries=32)
def before_after_text(
    store_path: Path, data_version: str, view: View, place_id: int, include_own: bool
) -> list[str]:
    return before_after_lines(
        incidents(store_path, data_version), interventions(store_path, data_version), place_id, view,
        get_config(), include_own=include_own,
    )  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=4)
def briefing_html(store_path: Path, data_version: str, period: View, definition: HotspotParams) -> str:
    # Hotspots and coverage count the period; the trend and before/after need every date.
    history = _selected(store_path, data_version, replace(period, date_from=None, date_to=None))
    return build_briefing(
        _selected(store_path, data_version, period), interventions(store_path, data_version),
        get_config(), params=definition, generated=generated_now(), filters=period.describe(),
        inputs=store_inputs(store_path), history=history,
    )  # fmt: skip


def warm_first_views() -> None:
    """Build what a first visitor sees, before anyone visits: Overview and Map in the default view.

    Called by the launcher (scripts/serve.py) before the server opens. The caches it
    fills are the ones the pages read, so the first map after a start comes from memory.
    """
    config = get_config()
    if not store_exists(config.store_path):
        return
    store = open_store(config.store_path)
    version = store.version()
    if store_summary(store.path, version).incidents == 0:
        return
    view, definition = View(), HotspotParams()
    _shared_base_map(config, MAP_DEFAULT_BASEMAP, False)
    defaults = map_options(MAP_DEFAULT_LEVEL, MAP_DEFAULT_MEASURE, MAP_DEFAULT_SCHEME, MAP_DEFAULT_LAYERS)
    period = overview(store.path, version, view).periods.window(view)
    _shared_map_layers(store.path, version, period, OVERVIEW_MAP_OPTIONS, definition)
    _shared_map_layers(store.path, version, view, defaults, definition)
    if not interventions(store.path, version).empty:
        coverage_run(store.path, version, period, definition)


def _warm(config: Config) -> None:
    with contextlib.suppress(SvdGeoError):  # the pages report a missing boundary or population file
        warm_lookups(config)


@st.cache_resource(show_spinner=False)
def start_warm_up(_config: Config) -> threading.Thread:
    """Start reading boundaries and populations in the background, once per server process."""
    return start_in_background(_warm, _config, name="svd-geo-warm-up")
