"""svd-geo dashboard: Streamlit entry point (page config, shared sidebar, navigation)."""

from __future__ import annotations

import streamlit as st

from ui.cache import get_config, start_warm_up
from ui.shell import page_list, render_shell
from ui.state import KEY_PRESENT

# A meeting's link (?mode=present) opens with the sidebar folded away, the map and tables wider.
presenting = st.query_params.get("mode") == "present" or bool(st.session_state.get(KEY_PRESENT))
st.set_page_config(
    page_title="svd-geo: Serious Violence Duty hotspots", layout="wide",
    initial_sidebar_state="collapsed" if presenting else "auto",
)  # fmt: skip
render_shell()
st.navigation(page_list()).run()
start_warm_up(get_config())  # after the first page is drawn, so it does not slow that page down
