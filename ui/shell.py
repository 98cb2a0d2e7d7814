"""What surrounds every page: defaults, the shared sidebar, presentation styling, the page list."""

from __future__ import annotations

import streamlit as st

from svd_geo.base.config import store_label
from svd_geo.base.errors import SvdGeoError
from svd_geo.base.roles import may
from svd_geo.select.filters import View
from svd_geo.store.backends import AnyStore
from svd_geo.views.common import area_choices
from ui import state as ui_state
from ui.auth import session_account, session_store, sign_out_button
from ui.cache import get_config, store_summary
from ui.errors import show_error
from ui.filters import current_view, render_filters

_SHELL_SEEN = "_shell_seen"
_SHELL_DRAWN = "_shell_drawn"
PRESENTATION_CSS = """<style>
.stApp { font-size: 1.25rem; }
.stApp h1 { font-size: 3rem !important; font-weight: 800 !important; }
.stApp p, .stApp label, .stApp li { color: #000 !important; font-size: 1.2rem !important; }
.stApp table, .stApp th, .stApp td { font-size: 20px !important; color: #000 !important; }
.stApp [data-testid="stCaptionContainer"], .stApp [data-testid="stCaptionContainer"] p
  { font-size: 18px !important; color: #222 !important; }
.stApp .svd-legend { font-size: 20px !important; }
.stApp .svd-legend span { width: 20px !important; height: 20px !important; }
[data-testid="stMetricValue"] { font-size: 3rem !important; }
</style>"""


def render_shell() -> None:
    """Set session defaults, draw the shared sidebar and, in meetings, the large high-contrast style."""
    for key, value in ui_state.DEFAULTS.items():
        st.session_state.setdefault(key, value)
    st.session_state[_SHELL_DRAWN] = True
    account = session_account()  # until someone signs in, the sign-in form is all there is
    with st.sidebar:
        st.markdown("### svd-geo")
        st.caption("Serious Violence Duty hotspot analysis")
        if get_config().auth != "none":
            st.caption(f"Signed in: {account.user} ({account.role})")
            sign_out_button()
        try:
            store = session_store()
            summary = store_summary(store.path, store.version())
            st.caption(f"Store: {store_label(store.path)} · {summary.incidents:,} incidents")
            if summary.synthetic:
                st.warning("SYNTHETIC demo data is loaded: not real incidents.", icon="⚠️")
            render_filters(summary, area_choices(get_config()))
        except SvdGeoError as err:
            show_error(err)
    if st.session_state[ui_state.KEY_PRESENT]:
        st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)  # our own constant CSS, no user text


def page_list() -> list[st.Page]:
    """Return the pages; the Data page (upload, removal) is left out in presentation mode and for a viewer."""
    pages = [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/map.py", title="Map", icon=":material/map:"),
        st.Page("pages/hotspots.py", title="Hotspots", icon=":material/local_fire_department:"),
        st.Page("pages/trends.py", title="Trends", icon=":material/trending_up:"),
        st.Page("pages/interventions.py", title="Interventions", icon=":material/shield:"),
    ]
    if not st.session_state[ui_state.KEY_PRESENT] and may(session_account().role, "analyst"):
        pages.append(st.Page("pages/data.py", title="Data", icon=":material/database:"))
    return pages


def require_entrypoint() -> None:
    """Make sure the shell surrounds a page that Streamlit ran on its own.

    Streamlit still treats a folder named ``pages/`` as the old multipage layout
    until ``st.navigation`` has run once, so a first visit straight to a page's
    URL (and every AppTest run) runs the page alone, without app.py.  Then
    switch the old layout off so later runs go through app.py.  On a session's
    first run nothing can be lost, so rerun at once (through app.py, with its
    page list); later, rerunning would drop the widget action that caused the
    run, so draw the shell here instead.
    """
    from streamlit.runtime.pages_manager import PagesManager

    first_run = not st.session_state.get(_SHELL_SEEN)
    st.session_state[_SHELL_SEEN] = True
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if first_run:
            st.rerun()
        render_shell()
        return
    # Several first visits at once: another session switched the old layout off while this
    # session's first run was already running the page alone, without app.py's shell.
    if first_run and not st.session_state.get(_SHELL_DRAWN):
        st.rerun()


def start_analysis_page(title: str) -> tuple[AnyStore, str, View]:
    """Begin a page that analyses the store: shell, title, and guidance when the store is empty.

    Returns
    -------
    tuple
        The store, its version (the cache key) and the view the shared filters select.
    """
    require_entrypoint()
    st.title(title)
    store = session_store()
    version = store.version()
    if store_summary(store.path, version).incidents == 0:
        st.info("The store is empty: import partner data on the Data page, or run `svd-geo demo`.")
        st.stop()
    return store, version, current_view()


def require_role_for_page(needed: str, page: str) -> None:
    """Stop a page the session's role may not open, also when reached by its URL.

    Parameters
    ----------
    needed : str
        The least role that may open it.
    page : str
        The page's name, for the message.
    """
    role = session_account().role
    if not may(role, needed):
        st.error(f"Your role ({role}) may not open the {page} page; an {needed} can.")
        st.stop()
