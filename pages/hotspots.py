"""Hotspots page: choose a method, see and rank its hotspots, check them, download them."""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

import ui_state as keys
from svd_geo.dashboard import hotspot_download, hotspot_group, hotspot_sidecar, select_view
from svd_geo.errors import SvdGeoError
from svd_geo.evaluation import sweep
from svd_geo.export import EXPORT_FORMATS, data_sources, export_metadata, generated_now, store_inputs
from svd_geo.maps import legend_html
from svd_geo.uploads import escape_markdown
from ui_cache import get_config, hotspot_run, incidents, stable_base_map
from ui_cache import map_layers as cached_map_layers
from ui_hotspots import choose_params
from ui_shell import start_analysis_page

store, version, view = start_analysis_page("Hotspots")
config = get_config()
selected = select_view(incidents(store.path, version), view, config)
params = choose_params()
method = params.method
try:
    run = hotspot_run(store.path, version, view, params)
except SvdGeoError as err:
    st.error(escape_markdown(str(err)))
    st.stop()
st.caption(f"{method}: {len(run.layer):,} results from {len(selected):,} incidents ({view.describe()}).")
# Gi* colours the areas themselves; the other methods draw over the ward choropleth.
base_layers = cached_map_layers(
    store.path, version, view, (("layers", () if method == "gistar" else ("areas",)),)
)
result_group, class_legend = hotspot_group(run, view)
shown, beside = st.columns([4, 1])
with shown:
    st_folium(
        stable_base_map(), key=keys.KEY_HS_MAP, height=480, use_container_width=True,
        feature_group_to_add=[*base_layers.groups, result_group], returned_objects=[],
    )  # fmt: skip
for title, rows, _ in base_layers.legends:
    beside.markdown(legend_html(title, rows), unsafe_allow_html=True)  # escaped by legend_html
if class_legend:
    beside.markdown(legend_html("Gi* class", class_legend), unsafe_allow_html=True)
st.subheader("Ranked")
st.dataframe(run.layer.drop(columns="geometry").head(50), hide_index=True)
if st.toggle("Check forecast accuracy (fit on 12 months, test on the next 3)", key=keys.KEY_HS_ACCURACY):
    try:
        st.dataframe(sweep(selected, params, {"method": [method]}, config), hide_index=True)
    except SvdGeoError as err:
        st.text(str(err))
if not view.presentation:
    metadata = export_metadata(
        what="hotspots", parameters={}, filters=view.describe(),
        sources=data_sources(config, store_inputs(store.path)), generated=generated_now(),
    )  # fmt: skip
    offered = {k: v for k, v in EXPORT_FORMATS.items() if k != ".tif" or run.surface is not None}
    for column, (suffix, label) in zip(st.columns(len(offered) + 1), offered.items(), strict=False):
        column.download_button(
            label, partial(hotspot_download, run, suffix, view), file_name=f"hotspots-{method}{suffix}",
            key=f"dl{suffix}",
        )  # fmt: skip
    st.download_button(
        "Metadata (JSON)", hotspot_sidecar(run, view, metadata), file_name=f"hotspots-{method}.metadata.json"
    )
