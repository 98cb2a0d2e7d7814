"""Method and parameter widgets of the Hotspots page, and the session's hotspot definition (widgets only)."""

from __future__ import annotations

from dataclasses import asdict, replace

import streamlit as st

from svd_geo.analyses.params import METHOD_PARAMETERS, HotspotParams, params_from_spec
from svd_geo.base.errors import DataValidationError
from ui import state as keys

METHOD_LABELS = {"kde": "Kernel density", "dbscan": "DBSCAN", "hdbscan": "HDBSCAN", "gistar": "Getis-Ord Gi*"}
THRESHOLDS = ["p99", "p95", "mean3x", "mean2x"]
AREA_UNITS = ["lsoa", "ward", "hex:250", "hex:500"]
NEIGHBOUR_RULES = ["queen", "rook", "knn:6"]
# Widget key, parameter, and the (low, high) a slider offers or the options a box offers.
Choices = tuple[float, float] | list[str]
WIDGETS: dict[str, tuple[str, Choices]] = {
    keys.KEY_HS_BANDWIDTH: ("bandwidth_m", (50.0, 1000.0)),
    keys.KEY_HS_KERNEL: ("kernel", ["quartic", "gaussian"]),
    keys.KEY_HS_THRESHOLD: ("threshold", THRESHOLDS),
    keys.KEY_HS_EPS: ("eps_m", (25.0, 500.0)),
    keys.KEY_HS_MIN_SAMPLES: ("min_samples", (3, 200)),
    keys.KEY_HS_MIN_CLUSTER: ("min_cluster_size", (5, 300)),
    keys.KEY_HS_AREAS: ("areas", AREA_UNITS),
    keys.KEY_HS_NEIGHBOURS: ("neighbours", NEIGHBOUR_RULES),
}


def offered(params: HotspotParams) -> HotspotParams:
    """Keep only what the widgets offer (a link may carry anything): other values become the defaults."""
    default = HotspotParams(method=params.method)
    values = asdict(params)
    for name, choices in WIDGETS.values():
        if not _is_offered(values[name], choices):
            values[name] = getattr(default, name)
    return replace(params, **{k: values[k] for k in values if k != "method"})


def _is_offered(value: object, choices: Choices) -> bool:
    if isinstance(choices, list):
        return value in choices
    return isinstance(value, int | float) and choices[0] <= value <= choices[1]


def current_definition() -> HotspotParams:
    """Return the session's hotspot definition (the defaults until the Hotspots page changes it)."""
    spec = st.session_state.get(keys.KEY_HOTSPOT_DEFINITION)
    if not spec:
        return HotspotParams()
    try:
        return offered(params_from_spec(str(spec)))
    except DataValidationError:
        return HotspotParams()


def _seed_widgets(definition: HotspotParams) -> None:
    """Give each widget the definition's value when the page draws it anew (Streamlit drops
    a widget's state on pages that do not draw it)."""
    st.session_state.setdefault(keys.KEY_HS_METHOD, definition.method)
    chosen = definition if st.session_state[keys.KEY_HS_METHOD] == definition.method else HotspotParams()
    for key, (name, _) in WIDGETS.items():
        st.session_state.setdefault(key, getattr(chosen, name))


def _definition_from_widgets() -> HotspotParams:
    """The parameters the method's widgets hold now."""
    method = st.session_state[keys.KEY_HS_METHOD]
    own = METHOD_PARAMETERS[method]
    values = {name: st.session_state[key] for key, (name, _) in WIDGETS.items() if name in own}
    return HotspotParams(method=method, **values)


def _store_definition() -> HotspotParams:
    # A widget's callback runs before the rerun's script: the sidebar, drawn first, then
    # already names the new definition.
    chosen = _definition_from_widgets()
    st.session_state[keys.KEY_HOTSPOT_DEFINITION] = chosen.to_spec()
    return chosen


def choose_params() -> HotspotParams:
    """Draw the method widgets; what they select becomes the session's hotspot definition."""
    _seed_widgets(current_definition())
    method = st.radio(
        "Method", list(METHOD_LABELS), horizontal=True, key=keys.KEY_HS_METHOD,
        format_func=METHOD_LABELS.__getitem__, on_change=_store_definition,
    )  # fmt: skip
    left, right = st.columns(2)
    changed = {"on_change": _store_definition}
    if method == "kde":
        left.slider(
            "Bandwidth", *WIDGETS[keys.KEY_HS_BANDWIDTH][1], step=25.0, format="%d m",
            key=keys.KEY_HS_BANDWIDTH, help="Quartic radius: how far each incident's weight spreads.",
            **changed,
        )  # fmt: skip
        right.selectbox("Kernel", WIDGETS[keys.KEY_HS_KERNEL][1], key=keys.KEY_HS_KERNEL, **changed)
        right.selectbox(
            "Hotspot threshold", THRESHOLDS, key=keys.KEY_HS_THRESHOLD,
            help="Top 1% or 5% of cells, or 3x or 2x the mean density (Chainey).", **changed,
        )  # fmt: skip
    elif method == "dbscan":
        left.slider(
            "Radius eps", *WIDGETS[keys.KEY_HS_EPS][1], step=25.0, format="%d m", key=keys.KEY_HS_EPS,
            help="How close incidents must be.", **changed,
        )  # fmt: skip
        right.slider(
            "Incidents per core point", *WIDGETS[keys.KEY_HS_MIN_SAMPLES][1], key=keys.KEY_HS_MIN_SAMPLES,
            help="Incidents within eps that make a cluster's core.", **changed,
        )  # fmt: skip
    elif method == "hdbscan":
        left.slider(
            "Smallest cluster", *WIDGETS[keys.KEY_HS_MIN_CLUSTER][1], key=keys.KEY_HS_MIN_CLUSTER, **changed
        )
    else:
        left.selectbox("Areas", AREA_UNITS, key=keys.KEY_HS_AREAS, **changed)
        right.selectbox("Neighbours", NEIGHBOUR_RULES, key=keys.KEY_HS_NEIGHBOURS, **changed)
    return _store_definition()
