"""Upload, preview and import widgets of the Data page (widgets and layout only)."""

from __future__ import annotations

import streamlit as st

from svd_geo.base.errors import SvdGeoError
from svd_geo.base.vocabulary import SOURCE_LABELS
from svd_geo.partner.ingest import SOURCES
from svd_geo.store.backends import AnyStore
from svd_geo.views.data import (
    FIELD_CHOICES,
    describe_import,
    import_upload,
    overrides_from_mapping,
    preview_upload,
)
from ui import state as keys
from ui.cache import get_config
from ui.errors import show_error

UPLOAD_LABEL = "Partner file (CSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile, police.uk zip)"
MAPPING_HELP = "Detected columns: change a field to override the detection; blank means not used."


def render_upload(store: AnyStore) -> None:
    st.subheader("Import a partner file")
    if st.session_state[keys.KEY_IMPORT_MESSAGE]:
        st.success(st.session_state[keys.KEY_IMPORT_MESSAGE])
    upload = st.file_uploader(UPLOAD_LABEL, key=keys.KEY_UPLOAD)
    source = st.selectbox(
        "Partner source", SOURCES, key=keys.KEY_UPLOAD_SOURCE, format_func=SOURCE_LABELS.__getitem__
    )
    if upload is None:
        return
    try:
        preview = preview_upload(upload.getvalue(), upload.name)
        detection = preview.detection
        st.text(f"Layout: {detection.layout}; tables: {preview.tables}; locations: {detection.coordinates}")
        for note in detection.notes:
            st.text(f"Note: {note}")
        st.dataframe(preview.head, hide_index=True)
        st.caption(MAPPING_HELP)
        mapping = st.data_editor(
            preview.mapping,
            key=keys.KEY_UPLOAD_MAPPING,
            hide_index=True,
            disabled=["column"],
            column_config={"field": st.column_config.SelectboxColumn("field", options=FIELD_CHOICES)},
        )
        if st.button("Import", key=keys.KEY_IMPORT_BUTTON, type="primary"):
            overrides = overrides_from_mapping(mapping)
            prepared, result = import_upload(
                upload.getvalue(), upload.name, source, get_config(), store, overrides=overrides
            )
            st.session_state[keys.KEY_IMPORT_MESSAGE] = describe_import(prepared, result)
            st.rerun()
    except SvdGeoError as err:
        show_error(err)
