"""Method and parameter widgets of the Hotspots page (widgets only)."""

from __future__ import annotations

import streamlit as st

import ui_state as keys
from svd_geo.analysis import HotspotParams

METHOD_LABELS = {"kde": "Kernel density", "dbscan": "DBSCAN", "hdbscan": "HDBSCAN", "gistar": "Getis-Ord Gi*"}


def choose_params() -> HotspotParams:
    method = st.radio(
        "Method",
        list(METHOD_LABELS),
        horizontal=True,
        key=keys.KEY_HS_METHOD,
        format_func=METHOD_LABELS.__getitem__,
    )
    left, right = st.columns(2)
    if method == "kde":
        return HotspotParams(
            method=method,
            bandwidth_m=left.slider(
                "Bandwidth (m)",
                50,
                1000,
                250,
                25,
                key=keys.KEY_HS_BANDWIDTH,
                help="Quartic radius: how far each incident's weight spreads.",
            ),
            kernel=right.selectbox("Kernel", ["quartic", "gaussian"], key=keys.KEY_HS_KERNEL),
            threshold=right.selectbox(
                "Hotspot threshold",
                ["p99", "p95", "mean3x", "mean2x"],
                key=keys.KEY_HS_THRESHOLD,
                help="Top 1% or 5% of cells, or 3x or 2x the mean density (Chainey).",
            ),
        )
    if method == "dbscan":
        return HotspotParams(
            method=method,
            eps_m=left.slider(
                "Radius eps (m)", 25, 500, 150, 25, key=keys.KEY_HS_EPS, help="How close incidents must be."
            ),
            min_samples=right.slider(
                "Incidents per core point",
                3,
                200,
                20,
                key=keys.KEY_HS_MIN_SAMPLES,
                help="Incidents within eps that make a cluster's core.",
            ),
        )
    if method == "hdbscan":
        return HotspotParams(
            method=method,
            min_cluster_size=left.slider("Smallest cluster", 5, 300, 30, key=keys.KEY_HS_MIN_CLUSTER),
        )
    return HotspotParams(
        method=method,
        areas=left.selectbox("Areas", ["lsoa", "ward", "hex:250", "hex:500"], key=keys.KEY_HS_AREAS),
        neighbours=right.selectbox("Neighbours", ["queen", "rook", "knn:6"], key=keys.KEY_HS_NEIGHBOURS),
        permutations=499,
    )
