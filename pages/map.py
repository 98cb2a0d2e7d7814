"""Map page: choropleth, hotspots, interventions and (analyst view) points."""

from __future__ import annotations

import streamlit as st

from svd_geo.outputs.breaks import SCHEMES
from svd_geo.outputs.maps import legend_html
from svd_geo.views.map import BASEMAPS, LAYER_LABELS, LAYERS, feature_summary
from svd_geo.views.unreported import unreported_caption, unreported_group
from ui import state as keys
from ui.cache import map_layers as cached_map_layers
from ui.cache import map_options, unreported_areas
from ui.errors import or_stop
from ui.hotspots import current_definition
from ui.present import streamed_map, table
from ui.shell import start_analysis_page

store, version, view = start_analysis_page("Map")
left, middle, right, far = st.columns(4)
level = left.radio("Areas", keys.MAP_LEVELS, key=keys.KEY_MAP_LEVEL, horizontal=True, format_func=str.upper)
measure = middle.radio(
    "Measure", keys.MAP_MEASURES, key=keys.KEY_MAP_MEASURE, horizontal=True,
    format_func={"count": "Incidents", "rate": "Per 1,000 residents"}.__getitem__,
)  # fmt: skip
scheme = right.selectbox("Classes", list(SCHEMES), key=keys.KEY_MAP_SCHEME)
basemap = far.selectbox("Basemap", list(BASEMAPS), key=keys.KEY_MAP_BASEMAP, format_func=BASEMAPS.__getitem__)
offered = [layer for layer in LAYERS if not (view.presentation and layer == "points")]
st.session_state[keys.KEY_MAP_LAYERS] = [x for x in st.session_state[keys.KEY_MAP_LAYERS] if x in offered]
layers = st.multiselect("Layers", offered, key=keys.KEY_MAP_LAYERS, format_func=LAYER_LABELS.__getitem__)
options = map_options(level, measure, scheme, layers)
map_layers = or_stop(cached_map_layers, store.path, version, view, options, current_definition())
shown, beside = st.columns([3, 1])
with shown:
    result = streamed_map(
        keys.KEY_MAP, 620, map_layers.groups, basemap=basemap, returned=("last_active_drawing",)
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
st.subheader("Violence the police never hear of")
unreported = or_stop(unreported_areas, store.path, version, view, level)
group, (title, rows) = unreported_group(unreported, view)
shown, beside = st.columns([3, 1])
with shown:
    streamed_map(keys.KEY_UNREPORTED_MAP, 420, [group], basemap=basemap)
beside.markdown(legend_html(title, rows), unsafe_allow_html=True)  # escaped by legend_html
st.caption(unreported_caption(unreported, view))
table(unreported.shown(view).head(15))
