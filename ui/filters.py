"""The shared sidebar: filters every page uses, mirrored in the URL (widgets only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from svd_geo.analyses.params import HotspotParams
from svd_geo.base.vocabulary import HARM_LABELS, SOURCE_LABELS
from svd_geo.outputs.breaks import SCHEMES
from svd_geo.partner.ingest import SOURCES
from svd_geo.select.filters import WEEKDAYS, View
from svd_geo.store.summary import StoreSummary
from svd_geo.views.common import AreaChoices
from svd_geo.views.map import BASEMAPS, LAYERS
from ui import state as keys
from ui.auth import session_account
from ui.cache import get_config
from ui.hotspots import current_definition

WEEKDAY_NUMBERS = {str(day) for day in range(7)}
_LIST_KEYS = (keys.KEY_SOURCES, keys.KEY_CATEGORIES, keys.KEY_DISTRICTS, keys.KEY_WARDS, keys.KEY_WEEKDAYS)


def restore_from_url() -> None:
    """Seed the filters from the URL once per session, so a pasted link reopens the view."""
    if st.session_state.get("_restored"):
        return
    params = st.query_params
    for key in _LIST_KEYS:
        if key in params:
            st.session_state[key] = params.get_all(key)
    days = [int(d) for d in st.session_state.get(keys.KEY_WEEKDAYS, []) if str(d) in WEEKDAY_NUMBERS]
    st.session_state[keys.KEY_WEEKDAYS] = days
    for key in (keys.KEY_DATE_FROM, keys.KEY_DATE_TO):
        if key in params:
            try:
                st.session_state[key] = dt.date.fromisoformat(params[key])
            except ValueError:
                st.session_state[key] = None
    if keys.KEY_HOURS in params:
        st.session_state[keys.KEY_HOURS] = _hours_from_text(params[keys.KEY_HOURS])
    if params.get(keys.KEY_HARM) in HARM_LABELS:
        st.session_state[keys.KEY_HARM] = params[keys.KEY_HARM]
    if keys.KEY_HOTSPOT_DEFINITION in params:
        st.session_state[keys.KEY_HOTSPOT_DEFINITION] = params[keys.KEY_HOTSPOT_DEFINITION]
    _restore_map_options(params)
    st.session_state[keys.KEY_PRESENT] = params.get("mode") == "present" or st.session_state[keys.KEY_PRESENT]
    st.session_state["_restored"] = True


# The Map page's options in a link: URL parameter -> (session key, the values it may take).
_MAP_OPTIONS = {
    "level": (keys.KEY_MAP_LEVEL, keys.MAP_LEVELS),
    "measure": (keys.KEY_MAP_MEASURE, keys.MAP_MEASURES),
    "classes": (keys.KEY_MAP_SCHEME, tuple(SCHEMES)),
    "basemap": (keys.KEY_MAP_BASEMAP, tuple(BASEMAPS)),
}


def _restore_map_options(params: Any) -> None:
    """Seed the Map page's options from a link, ignoring values it does not offer."""
    for name, (key, allowed) in _MAP_OPTIONS.items():
        if params.get(name) in allowed:
            st.session_state[key] = params[name]
    if "layers" in params:
        st.session_state[keys.KEY_MAP_LAYERS] = [x for x in params.get_all("layers") if x in LAYERS]


def _map_query() -> dict[str, Any]:
    """The Map page's options that differ from its defaults, as URL parameters."""
    state = st.session_state
    query: dict[str, Any] = {
        name: state[key] for name, (key, _) in _MAP_OPTIONS.items() if state[key] != keys.DEFAULTS[key]
    }
    if list(state[keys.KEY_MAP_LAYERS]) != list(keys.MAP_DEFAULT_LAYERS):
        query["layers"] = list(state[keys.KEY_MAP_LAYERS]) or ["none"]
    return query


def _hours_from_text(text: str) -> tuple[int, int]:
    """Read ``FIRST-END`` hours from a link; anything else means all hours."""
    first, _, end = text.partition("-")
    if first.isdigit() and end.isdigit() and 0 <= int(first) < int(end) <= 24:
        return int(first), int(end)
    return keys.ALL_HOURS


def mirror_to_url() -> None:
    """Write the current filters into the URL."""
    state = st.session_state
    query = {key: state[key] for key in _LIST_KEYS if state[key]}
    for key in (keys.KEY_DATE_FROM, keys.KEY_DATE_TO):
        if state[key]:
            query[key] = state[key].isoformat()
    if tuple(state[keys.KEY_HOURS]) != keys.ALL_HOURS:
        query[keys.KEY_HOURS] = "-".join(str(h) for h in state[keys.KEY_HOURS])
    definition = current_definition()
    if definition != HotspotParams():
        query[keys.KEY_HOTSPOT_DEFINITION] = definition.to_spec()
    if state[keys.KEY_HARM] != "count":
        query[keys.KEY_HARM] = state[keys.KEY_HARM]
    if state[keys.KEY_PRESENT]:
        query["mode"] = "present"
    st.query_params.from_dict({**query, **_map_query()})


def render_filters(summary: StoreSummary, choices: AreaChoices) -> None:
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
    _render_places(choices)
    st.multiselect(
        "Days of the week", list(range(7)), key=keys.KEY_WEEKDAYS, format_func=WEEKDAYS.__getitem__,
        placeholder="Every day", help="Records dated only to a month are left out when days are chosen.",
    )  # fmt: skip
    st.slider(
        "Hours", 0, 24, key=keys.KEY_HOURS,
        help="From the first hour to before the last; only records with a time count when narrowed.",
    )  # fmt: skip
    st.selectbox(
        "Harm", list(HARM_LABELS), key=keys.KEY_HARM, format_func=HARM_LABELS.__getitem__,
        help="Weight each incident by the harm of its offence: by its Home Office code where the partner "
        "gave one, else its police.uk category's median offence; others count 1.",
    )  # fmt: skip
    st.caption(f"Hotspots: {current_definition().describe()} (choose on the Hotspots page).")
    mirror_to_url()


def _render_places(choices: AreaChoices) -> None:
    st.session_state[keys.KEY_DISTRICTS] = [
        d for d in st.session_state[keys.KEY_DISTRICTS] if d in choices.districts
    ]
    names = choices.districts
    st.multiselect(
        "Districts",
        list(names),
        key=keys.KEY_DISTRICTS,
        format_func=names.__getitem__,
        placeholder="All districts",
    )
    districts = set(st.session_state[keys.KEY_DISTRICTS])
    offered = [w for w, d in choices.ward_district.items() if not districts or d in districts]
    st.session_state[keys.KEY_WARDS] = [w for w in st.session_state[keys.KEY_WARDS] if w in offered]
    st.multiselect(
        "Wards", offered, key=keys.KEY_WARDS, format_func=choices.wards.__getitem__, placeholder="All wards"
    )


def current_view() -> View:
    """Return the view the shared filters select (read from session state by every page)."""
    state = {key: st.session_state.get(key, default) for key, default in keys.DEFAULTS.items()}
    config = get_config()
    role = session_account().role
    return View(
        sources=tuple(state[keys.KEY_SOURCES]),
        categories=tuple(state[keys.KEY_CATEGORIES]),
        date_from=state[keys.KEY_DATE_FROM].isoformat() if state[keys.KEY_DATE_FROM] else None,
        date_to=state[keys.KEY_DATE_TO].isoformat() if state[keys.KEY_DATE_TO] else None,
        districts=tuple(state[keys.KEY_DISTRICTS]),
        wards=tuple(state[keys.KEY_WARDS]),
        weekdays=tuple(int(d) for d in state[keys.KEY_WEEKDAYS]),
        hours=None if tuple(state[keys.KEY_HOURS]) == keys.ALL_HOURS else tuple(state[keys.KEY_HOURS]),
        # A viewer sees presentation outputs only, whatever the toggle says.
        presentation=bool(state[keys.KEY_PRESENT]) or role == "viewer",
        small_count_threshold=config.small_count_threshold,
        round_to=config.round_counts_to,
        role=role,
        harm=state[keys.KEY_HARM] if state[keys.KEY_HARM] in HARM_LABELS else "count",
    )
