"""Map page: choropleth, hotspots, interventions and (analyst view) points."""

from __future__ import annotations

import folium
import streamlit as st
from streamlit_folium import st_folium

from svd_geo.outputs.maps import SCHEMES, legend_html
from svd_geo.views.map import LAYER_LABELS, LAYERS, feature_summary
from ui import state as keys
from ui.cache import map_layers as cached_map_layers
from ui.cache import map_options, stable_base_map
from ui.errors import or_stop
from ui.hotspots import current_definition
from ui.shell import start_analysis_page

store, version, view = start_analysis_page("Map")
left, middle, right = st.columns(3)
levels, measures = ["ward", "lsoa"], ["count", "rate"]
level = left.radio(
    "Areas", levels, index=levels.index(keys.MAP_DEFAULT_LEVEL), key=keys.KEY_MAP_LEVEL,
    horizontal=True, format_func=str.upper,
)  # fmt: skip
measure = middle.radio(
    "Measure",
    measures,
    index=measures.index(keys.MAP_DEFAULT_MEASURE),
    key=keys.KEY_MAP_MEASURE,
    horizontal=True,
    format_func={"count": "Incidents", "rate": "Per 1,000 residents"}.__getitem__,
)
scheme = right.selectbox(
    "Classes", list(SCHEMES), index=list(SCHEMES).index(keys.MAP_DEFAULT_SCHEME), key=keys.KEY_MAP_SCHEME
)
offered = [layer for layer in LAYERS if not (view.presentation and layer == "points")]
layers = st.multiselect(
    "Layers",
    offered,
    default=list(keys.MAP_DEFAULT_LAYERS),
    key=keys.KEY_MAP_LAYERS,
    format_func=LAYER_LABELS.__getitem__,
)
options = map_options(level, measure, scheme, layers)
map_layers = or_stop(cached_map_layers, store.path, version, view, options, current_definition())
shown, beside = st.columns([3, 1])
with shown:
    result = st_folium(
        stable_base_map(),
        key=keys.KEY_MAP,
        height=620,
        use_container_width=True,
        feature_group_to_add=map_layers.groups,
        layer_control=folium.LayerControl(collapsed=False),
        returned_objects=["last_active_drawing"],
    )
with beside:
    st.subheader("Selected")
    drawing = (result or {}).get("last_active_drawing") or {}
    picked = feature_summary(drawing.get("properties"), map_layers.areas, view)
    if picked is None:
        st.text("Click an area, a hotspot or an intervention place on the map.")
    else:
        for label, text in picked.items():
            st.text(f"{label}: {text}")
    for title, rows, _ in map_layers.legends:
        st.markdown(legend_html(title, rows), unsafe_allow_html=True)  # escaped by legend_html
for note in map_layers.notes:
    st.caption(note)
st.caption(f"Counting {view.describe()}.")
