"""Hotspots page: choose a method, see and rank its hotspots, check them, download them."""

from __future__ import annotations

from functools import partial

import streamlit as st

from svd_geo.base.errors import SvdGeoError
from svd_geo.outputs.files import EXPORT_FORMATS
from svd_geo.outputs.maps import legend_html
from svd_geo.outputs.metadata import data_sources, export_metadata, generated_now, store_inputs
from svd_geo.views.data import escape_markdown
from svd_geo.views.hotspots import hotspot_download, hotspot_sidecar, repeats_section, used_sentence
from svd_geo.views.map import hotspot_group
from svd_geo.views.tables import accuracy_words, hotspot_table
from ui import state as keys
from ui.auth import audited
from ui.cache import accuracy_sweep, get_config, hotspot_run, repeats
from ui.cache import map_layers as cached_map_layers
from ui.errors import or_stop, show_error
from ui.hotspots import choose_params
from ui.present import streamed_map, table
from ui.shell import start_analysis_page

store, version, view = start_analysis_page("Hotspots")
config = get_config()
params = choose_params()
method = params.method
run = or_stop(hotspot_run, store.path, version, view, params)
st.caption(
    f"This is the session's hotspot definition: the Map, Overview and Interventions pages use it. "
    f"{params.describe().capitalize()}: {len(run.layer):,} {'areas' if method == 'gistar' else 'hotspots'}. "
    f"{used_sentence(run)} Counting {view.describe()}."
)
# Gi* colours the areas themselves; the other methods draw over the ward choropleth.
base_layers = cached_map_layers(
    store.path, version, view, (("layers", () if method == "gistar" else ("areas",)),), params
)
result_group, (legend_title, legend_rows, _) = hotspot_group(run, view)
shown, beside = st.columns([4, 1])
with shown:
    streamed_map(keys.KEY_HS_MAP, 480, [*base_layers.groups, result_group])
for title, rows, _ in base_layers.legends:
    beside.markdown(legend_html(title, rows), unsafe_allow_html=True)  # escaped by legend_html
beside.markdown(legend_html(legend_title, legend_rows), unsafe_allow_html=True)
st.subheader("Ranked")
st.caption(f"Hotspots: {params.describe()}.")
table(hotspot_table(run, view))
if st.toggle("Check forecast accuracy (fit on 12 months, test on the next 3)", key=keys.KEY_HS_ACCURACY):
    try:
        sentence, figures = accuracy_words(accuracy_sweep(store.path, version, view, params))
        st.markdown(escape_markdown(sentence))
        table(figures)
    except SvdGeoError as err:
        show_error(err)
st.subheader("Repeat locations")
caption, repeated = repeats_section(or_stop(repeats, store.path, version, view), view)
st.caption(caption)
table(repeated)
if not view.presentation:
    metadata = export_metadata(
        what=f"hotspots ({params.describe()})", parameters={}, filters=view.describe(),
        sources=data_sources(config, store_inputs(store.path)), generated=generated_now(),
    )  # fmt: skip
    offered = {k: v for k, v in EXPORT_FORMATS.items() if k != ".tif" or run.surface is not None}
    for column, (suffix, label) in zip(st.columns(len(offered) + 1), offered.items(), strict=False):
        name = f"hotspots-{method}{suffix}"
        column.download_button(
            label, audited(store, name, partial(hotspot_download, run, suffix, view)), file_name=name,
            key=f"dl{suffix}",
        )  # fmt: skip
    st.download_button(
        "Metadata (JSON)", hotspot_sidecar(run, view, metadata), file_name=f"hotspots-{method}.metadata.json"
    )
