"""Hotspots page: choose a method, see and rank its hotspots, check them, download them."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

import ui_state as keys
from svd_geo.dashboard import build_class_map, build_map_view, hotspot_download, select_view
from svd_geo.errors import SvdGeoError
from svd_geo.evaluation import sweep
from svd_geo.export import EXPORT_FORMATS
from svd_geo.maps import add_polygons
from svd_geo.uploads import escape_markdown
from ui_cache import get_config, hotspot_run, incidents
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
    fmap = build_map_view(selected, view, config, layers=("areas",)).fmap
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
    columns = st.columns(len(EXPORT_FORMATS))
    for column, (suffix, label) in zip(columns, EXPORT_FORMATS.items(), strict=True):
        if suffix == ".tif" and run.surface is None:
            continue
        column.download_button(
            label,
            hotspot_download(run, suffix, view),
            file_name=f"hotspots-{method}{suffix}",
            key=f"dl{suffix}",
        )
