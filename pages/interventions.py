"""Interventions page: coverage of hotspots by intervention places, gaps, before/after; manage places."""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from svd_geo.views.interventions import (
    BEFORE_AFTER_TERMS,
    COVERAGE_FORMATS,
    build_coverage_map,
    coverage_figures,
    places_table,
    uncovered_table,
)
from ui import state as keys
from ui.auth import audited
from ui.cache import before_after_text, coverage_files, coverage_run, get_config, interventions
from ui.errors import or_stop
from ui.hotspots import current_definition
from ui.places import render_drawn, render_edit_remove, render_import
from ui.present import map_height, table
from ui.shell import start_analysis_page

store, version, view = start_analysis_page("Interventions")
if st.session_state[keys.KEY_PLACES_MESSAGE]:
    st.success(st.session_state[keys.KEY_PLACES_MESSAGE])
if st.session_state[keys.KEY_PLACES_REJECTED] is not None and len(st.session_state[keys.KEY_PLACES_REJECTED]):
    table(st.session_state[keys.KEY_PLACES_REJECTED])
params = current_definition()
run, result = or_stop(coverage_run, store.path, version, view, params)
overall = result.overall
figures = coverage_figures(result)
for column, (label, value) in zip(st.columns(len(figures)), figures, strict=True):
    column.metric(label, value)
st.caption(
    f"{int(overall['hotspots'])} hotspots ({params.describe()}; choose on the Hotspots page); "
    f"{int(overall['places_active'])} "
    f"intervention places active in the period. Counting {view.describe()}; incidents with a point only."
)
coverage_map = build_coverage_map(result, get_config(), view=view, definition=params)
drawing = st_folium(
    coverage_map, key=keys.KEY_PLACES_MAP, height=map_height(520),
    use_container_width=True, returned_objects=[] if view.presentation else ["all_drawings"],
)  # fmt: skip
if drawing and drawing.get("all_drawings"):
    st.session_state[keys.KEY_PLACES_DRAWN] = drawing["all_drawings"][-1]["geometry"]
st.subheader("Uncovered hotspots, most incidents first")
table(uncovered_table(result, view))
st.subheader("Intervention places")
table(places_table(result, view))
places = interventions(store.path, version)
if not places.empty:
    st.subheader("Did it change?")
    names = dict(zip(places["id"], places["name"], strict=True))
    chosen = st.selectbox(
        "Intervention", list(names), key=keys.KEY_BEFORE_AFTER, format_func=names.__getitem__
    )
    own = st.checkbox("Count the intervention partner's own records too", key=keys.KEY_BEFORE_AFTER_OWN)
    verdict, *lines = before_after_text(store.path, version, view, chosen, own)
    st.info(verdict)
    st.text("\n".join(lines))
    st.caption(" ".join(BEFORE_AFTER_TERMS))
if view.presentation:
    st.stop()
st.subheader("Download coverage")
for column, (suffix, label) in zip(st.columns(len(COVERAGE_FORMATS)), COVERAGE_FORMATS.items(), strict=True):
    files = partial(coverage_files, store.path, version, view, params, suffix)
    made = audited(store, f"coverage{suffix}", lambda f=files: f()[0])
    column.download_button(label, made, file_name=f"coverage{suffix}", key=f"cov{suffix}")
    sidecar = f"coverage{suffix}.metadata.json"
    column.download_button("metadata", lambda f=files: f()[1], file_name=sidecar, key=f"covmeta{suffix}")
st.subheader("Add and manage places")
render_drawn(store)
render_import(store)
render_edit_remove(store, places)
