"""svd-geo dashboard: Streamlit entry point (routing and the shared sidebar)."""

from __future__ import annotations

import streamlit as st

import ui_state
from svd_geo.errors import SvdGeoError
from svd_geo.uploads import escape_markdown
from ui_cache import get_store, store_summary
from ui_filters import render_filters

PRESENTATION_CSS = """<style>
.stApp { font-size: 1.25rem; }
.stApp h1 { font-size: 3rem !important; font-weight: 800 !important; }
.stApp p, .stApp label, .stApp li { color: #000 !important; font-size: 1.2rem !important; }
</style>"""

st.set_page_config(page_title="svd-geo: Serious Violence Duty hotspots", layout="wide")
for key, value in ui_state.DEFAULTS.items():
    st.session_state.setdefault(key, value)

with st.sidebar:
    st.markdown("### svd-geo")
    st.caption("Serious Violence Duty hotspot analysis")
    try:
        store = get_store()
        summary = store_summary(store.path, store.version())
        st.caption(f"Store: {store.path.name} · {summary.incidents:,} incidents")
        if summary.synthetic:
            st.warning("SYNTHETIC demo data is loaded: not real incidents.", icon="⚠️")
        render_filters(summary)
    except SvdGeoError as err:
        st.error(escape_markdown(str(err)))

if st.session_state[ui_state.KEY_PRESENT]:
    st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)  # our own constant CSS, no user text
pages = [st.Page("pages/map.py", title="Map", icon=":material/map:", default=True)]
if not st.session_state[ui_state.KEY_PRESENT]:
    pages.append(
        st.Page("pages/data.py", title="Data", icon=":material/database:")
    )  # upload and removal: analysts only
navigation = st.navigation(pages)
navigation.run()
