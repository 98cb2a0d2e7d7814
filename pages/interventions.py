"""Interventions page: coverage of hotspots by intervention places, gaps, before/after; manage places."""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from svd_geo.base.errors import SvdGeoError
from svd_geo.outputs.files import data_sources, export_metadata, generated_now, store_inputs
from svd_geo.views.data import escape_markdown
from svd_geo.views.interventions import (
    COVERAGE_FORMATS,
    before_after_lines,
    build_coverage_map,
    coverage_download,
    places_table,
    uncovered_table,
)
from ui import state as keys
from ui.cache import coverage_run, get_config, incidents, interventions
from ui.hotspots import current_definition
from ui.places import render_drawn, render_edit_remove, render_import
from ui.shell import start_analysis_page

store, version, view = start_analysis_page("Interventions")
if st.session_state[keys.KEY_PLACES_MESSAGE]:
    st.success(st.session_state[keys.KEY_PLACES_MESSAGE])
if st.session_state[keys.KEY_PLACES_REJECTED] is not None and len(st.session_state[keys.KEY_PLACES_REJECTED]):
    st.dataframe(st.session_state[keys.KEY_PLACES_REJECTED], hide_index=True)
params = current_definition()
try:
    run, result = coverage_run(store.path, version, view, params)
except SvdGeoError as err:
    st.error(escape_markdown(str(err)))
    st.stop()
overall = result.overall
first, second, third, fourth = st.columns(4)
first.metric("Hotspot area covered", f"{overall['area_covered_share']:.0%}")
second.metric("Incidents in hotspots covered", f"{overall['incidents_covered_share']:.0%}")
third.metric("Harm in hotspots covered", f"{overall['harm_covered_share']:.0%}")
fourth.metric("Uncovered hotspots", int(overall["uncovered_hotspots"]))
st.caption(
    f"{int(overall['hotspots'])} hotspots ({params.describe()}; choose on the Hotspots page); "
    f"{int(overall['places_active'])} "
    f"intervention places active in the period. Counting {view.describe()}; incidents with a point only."
)
drawing = st_folium(
    build_coverage_map(result, get_config(), view=view), key=keys.KEY_PLACES_MAP, height=520,
    use_container_width=True, returned_objects=[] if view.presentation else ["all_drawings"],
)  # fmt: skip
if drawing and drawing.get("all_drawings"):
    st.session_state[keys.KEY_PLACES_DRAWN] = drawing["all_drawings"][-1]["geometry"]
st.subheader("Uncovered hotspots, most incidents first")
st.dataframe(uncovered_table(result, view), hide_index=True)
st.subheader("Intervention places")
st.dataframe(places_table(result, view), hide_index=True)
places = interventions(store.path, version)
if not places.empty:
    st.subheader("Did it change?")
    names = dict(zip(places["id"], places["name"], strict=True))
    chosen = st.selectbox(
        "Intervention", list(names), key=keys.KEY_BEFORE_AFTER, format_func=names.__getitem__
    )
    for line in before_after_lines(
        incidents(store.path, version), places[places["id"] == chosen].iloc[0], view
    ):
        st.text(line)
if view.presentation:
    st.stop()
st.subheader("Download coverage")
metadata = export_metadata(
    what="coverage of hotspots by intervention places", parameters={}, filters=view.describe(),
    sources=data_sources(get_config(), store_inputs(store.path)), generated=generated_now(),
)  # fmt: skip
for column, (suffix, label) in zip(st.columns(len(COVERAGE_FORMATS)), COVERAGE_FORMATS.items(), strict=True):
    layers = partial(coverage_download, run, result, suffix, view, metadata)
    column.download_button(label, lambda f=layers: f()[0], file_name=f"coverage{suffix}", key=f"cov{suffix}")
    column.download_button(
        "metadata",
        lambda f=layers: f()[1],
        file_name=f"coverage{suffix}.metadata.json",
        key=f"covmeta{suffix}",
    )
st.subheader("Add and manage places")
render_drawn(store)
render_import(store)
render_edit_remove(store, places)
