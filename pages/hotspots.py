"""Hotspots page: choose a method, see and rank its hotspots, check them, download them."""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

import ui_state as keys
from svd_geo.dashboard import build_class_map, hotspot_download, hotspot_sidecar, select_view
from svd_geo.errors import SvdGeoError
from svd_geo.evaluation import sweep
from svd_geo.export import EXPORT_FORMATS, data_sources, export_metadata, generated_now, store_inputs
from svd_geo.maps import add_polygons
from svd_geo.uploads import escape_markdown
from ui_cache import get_config, hotspot_run, incidents
from ui_cache import map_view as cached_map_view
from ui_hotspots import choose_params
from ui_shell import start_analysis_page

store, version, view = start_analysis_page("Hotspots")
config = get_config()
selected = select_view(incidents(store.path, version), view, get_config())
params = choose_params()
method = params.method
try:
    run = hotspot_run(store.path, version, view, params)
except SvdGeoError as err:
    st.error(escape_markdown(str(err)))
    st.stop()
st.caption(f"{method}: {len(run.layer):,} results from {len(selected):,} incidents ({view.describe()}).")
if method == "gistar":
    fmap = build_class_map(run.layer, column="class", title="Gi* class", config=config)
else:
    fmap = cached_map_view(store.path, version, view, (("layers", ("areas",)),)).fmap
    add_polygons(fmap, run.layer, name="Result", colour="#d7191c", fields={"incidents": "Incidents"})
st_folium(fmap, key=keys.KEY_HS_MAP, height=480, use_container_width=True, returned_objects=[])
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
