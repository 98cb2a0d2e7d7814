"""Data page: what is in the store, upload and import, remove, boundary sources."""

from __future__ import annotations

import streamlit as st

from ui import state as keys
from ui.auth import session_store
from ui.cache import boundary_sources, get_config, rejected_rows, store_summary
from ui.shell import require_entrypoint, require_role_for_page
from ui.upload import render_upload

require_entrypoint()
require_role_for_page("analyst", "Data")

st.title("Data")
store = session_store()
summary = store_summary(store.path, store.version())
if summary.synthetic:
    st.warning("This store holds SYNTHETIC demo data: invented incidents, not real ones.")
if summary.incidents == 0:
    st.info("The store is empty. Upload a partner file below, or run `svd-geo demo` for synthetic demo data.")
else:
    first, last = summary.period or (None, None)
    left, middle, right = st.columns(3)
    left.metric("Incidents stored (all partners, all categories)", f"{summary.incidents:,}")
    middle.metric("Imports", len(summary.imports))
    right.metric("Intervention places", summary.interventions)
    st.caption(f"Period stored: {first:%d %b %Y} to {last:%d %b %Y}")
    st.subheader("Incidents by partner source")
    st.dataframe(summary.by_source, hide_index=True)
    st.subheader("Incidents per month, by source")
    st.bar_chart(summary.by_month, x="month", y="incidents", color="source")
    st.subheader("Incidents by category")
    st.dataframe(summary.by_category, hide_index=True)

st.subheader("Imports log")
st.dataframe(summary.imports, hide_index=True)
if not summary.imports.empty:
    ids = summary.imports["id"].tolist()
    label = dict(zip(ids, summary.imports["file"], strict=True))
    shown = st.selectbox(
        "Rows set aside for import",
        ids,
        key=keys.KEY_REJECTED_ID,
        format_func=lambda i: f"{i}: {label[i]}",
    )
    st.dataframe(rejected_rows(store.path, store.version(), shown), hide_index=True)
    with st.expander("Remove an import"):
        doomed = st.selectbox(
            "Import to remove",
            ids,
            key=keys.KEY_REMOVE_ID,
            format_func=lambda i: f"{i}: {label[i]}",
        )
        sure = st.checkbox("Yes, remove this import and its incidents", key=keys.KEY_REMOVE_CONFIRM)
        if st.button("Remove import", key=keys.KEY_REMOVE_BUTTON, disabled=not sure):
            removed = store.remove_import(int(doomed))
            st.session_state[keys.KEY_IMPORT_MESSAGE] = (
                f"Removed import {doomed} and its {removed:,} incidents."
            )
            st.rerun()

render_upload(store)

with st.expander("Audit log: who imported, removed, changed or exported what, and when"):
    st.dataframe(summary.audit, hide_index=True)

st.subheader("Boundary and statistics sources")
st.dataframe(boundary_sources(get_config(), get_config().registry_path), hide_index=True)
