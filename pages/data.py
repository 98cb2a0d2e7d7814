"""Data page: what is in the store, upload and import, remove, boundary sources."""

from __future__ import annotations

import streamlit as st

import ui_state as keys
from svd_geo.errors import SvdGeoError
from svd_geo.ingest import SOURCE_LABELS, SOURCES
from svd_geo.uploads import FIELD_CHOICES, escape_markdown, import_upload, overrides_from_mapping, preview_upload
from ui_cache import boundary_sources, get_config, get_store, rejected_rows, store_summary

st.title("Data")
store = get_store()
summary = store_summary(store.path, store.version())
if summary.synthetic:
    st.warning("This store holds SYNTHETIC demo data: invented incidents, not real ones.")
if summary.incidents == 0:
    st.info("The store is empty. Upload a partner file below, or run `svd-geo demo` to load the synthetic demo data.")
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
    shown = st.selectbox("Rows set aside for import", ids, key=keys.KEY_REJECTED_ID, format_func=lambda i: f"{i}: {label[i]}")
    st.dataframe(rejected_rows(store.path, store.version(), shown), hide_index=True)
    with st.expander("Remove an import"):
        doomed = st.selectbox("Import to remove", ids, key=keys.KEY_REMOVE_ID, format_func=lambda i: f"{i}: {label[i]}")
        sure = st.checkbox("Yes, remove this import and its incidents", key=keys.KEY_REMOVE_CONFIRM)
        if st.button("Remove import", key=keys.KEY_REMOVE_BUTTON, disabled=not sure):
            removed = store.remove_import(int(doomed))
            st.session_state[keys.KEY_IMPORT_MESSAGE] = f"Removed import {doomed} and its {removed:,} incidents."
            st.rerun()

st.subheader("Import a partner file")
if st.session_state[keys.KEY_IMPORT_MESSAGE]:
    st.success(st.session_state[keys.KEY_IMPORT_MESSAGE])
upload = st.file_uploader("Partner file (CSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile, police.uk zip)", key=keys.KEY_UPLOAD)
source = st.selectbox("Partner source", SOURCES, key=keys.KEY_UPLOAD_SOURCE, format_func=SOURCE_LABELS.__getitem__)
if upload is not None:
    try:
        preview = preview_upload(upload.getvalue(), upload.name)
        st.text(f"Layout: {preview.detection.layout}; tables: {preview.tables}; locations: {preview.detection.coordinates}")
        for note in preview.detection.notes:
            st.text(f"Note: {note}")
        st.dataframe(preview.head, hide_index=True)
        st.caption("Detected columns: change a field to override the detection; blank means not used.")
        mapping = st.data_editor(
            preview.mapping, key=keys.KEY_UPLOAD_MAPPING, hide_index=True, disabled=["column"],
            column_config={"field": st.column_config.SelectboxColumn("field", options=FIELD_CHOICES)},
        )
        if st.button("Import", key=keys.KEY_IMPORT_BUTTON, type="primary"):
            prepared, result = import_upload(upload.getvalue(), upload.name, source, get_config(), store, overrides=overrides_from_mapping(mapping))
            name = escape_markdown(prepared.file_name)
            st.session_state[keys.KEY_IMPORT_MESSAGE] = (
                f"{name} was already imported as import {result.import_id}; nothing added." if result.already_imported
                else f"Imported {name} as import {result.import_id}: {result.accepted:,} rows accepted, {result.rejected:,} set aside."
            )
            st.rerun()
    except SvdGeoError as err:
        st.error(escape_markdown(str(err)))

st.subheader("Boundary and statistics sources")
st.dataframe(boundary_sources(get_config(), get_config().registry_path), hide_index=True)
