"""The shared sidebar: filters every page uses, mirrored in the URL (widgets only)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import ui_state as keys
from svd_geo.dashboard import View
from svd_geo.ingest import SOURCE_LABELS, SOURCES
from svd_geo.summary import StoreSummary

_LIST_KEYS = (keys.KEY_SOURCES, keys.KEY_CATEGORIES)


def restore_from_url() -> None:
    """Seed the filters from the URL once per session, so a pasted link reopens the view."""
    if st.session_state.get("_restored"):
        return
    params = st.query_params
    for key in _LIST_KEYS:
        if key in params:
            st.session_state[key] = params.get_all(key)
    for key in (keys.KEY_DATE_FROM, keys.KEY_DATE_TO):
        if key in params:
            try:
                st.session_state[key] = dt.date.fromisoformat(params[key])
            except ValueError:
                st.session_state[key] = None
    st.session_state[keys.KEY_PRESENT] = params.get("mode") == "present" or st.session_state[keys.KEY_PRESENT]
    st.session_state["_restored"] = True


def mirror_to_url() -> None:
    """Write the current filters into the URL."""
    state = st.session_state
    query = {key: state[key] for key in _LIST_KEYS if state[key]}
    for key in (keys.KEY_DATE_FROM, keys.KEY_DATE_TO):
        if state[key]:
            query[key] = state[key].isoformat()
    if state[keys.KEY_PRESENT]:
        query["mode"] = "present"
    st.query_params.from_dict(query)


def render_filters(summary: StoreSummary) -> None:
    """Draw the shared filters; :func:`current_view` reads what they select."""
    restore_from_url()
    categories = sorted(summary.by_category["category"].unique()) if not summary.by_category.empty else []
    st.session_state[keys.KEY_CATEGORIES] = [
        c for c in st.session_state[keys.KEY_CATEGORIES] if c in categories
    ]
    st.toggle(
        "Presentation mode (meetings)",
        key=keys.KEY_PRESENT,
        help="Large type, aggregated layers only, small counts shown as <5.",
    )
    st.multiselect(
        "Partner sources",
        SOURCES,
        key=keys.KEY_SOURCES,
        format_func=SOURCE_LABELS.__getitem__,
        placeholder="All partners",
    )
    st.multiselect("Categories", categories, key=keys.KEY_CATEGORIES, placeholder="All categories")
    first, last = summary.period or (None, None)
    st.date_input("From", key=keys.KEY_DATE_FROM, min_value=first, max_value=last, format="YYYY-MM-DD")
    st.date_input("To", key=keys.KEY_DATE_TO, min_value=first, max_value=last, format="YYYY-MM-DD")
    mirror_to_url()


def current_view() -> View:
    """Return the view the shared filters select (read from session state by every page)."""
    state = {key: st.session_state.get(key, default) for key, default in keys.DEFAULTS.items()}
    return View(
        sources=tuple(state[keys.KEY_SOURCES]),
        categories=tuple(state[keys.KEY_CATEGORIES]),
        date_from=state[keys.KEY_DATE_FROM].isoformat() if state[keys.KEY_DATE_FROM] else None,
        date_to=state[keys.KEY_DATE_TO].isoformat() if state[keys.KEY_DATE_TO] else None,
        presentation=bool(state[keys.KEY_PRESENT]),
    )
