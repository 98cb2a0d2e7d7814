"""svd-geo dashboard: Streamlit entry point (routing and the shared sidebar)."""

from __future__ import annotations

import streamlit as st

import ui_state
from svd_geo.errors import SvdGeoError
from svd_geo.uploads import escape_markdown
from ui_cache import get_store, store_summary

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
    except SvdGeoError as err:
        st.error(escape_markdown(str(err)))

navigation = st.navigation([st.Page("pages/data.py", title="Data", icon="🗂️", default=True)])
navigation.run()
