"""Widgets of the Interventions page that change the store: import, save a drawn shape, edit, remove."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import streamlit as st

from svd_geo.base.errors import SvdGeoError
from svd_geo.base.roles import may
from svd_geo.partner.interventions import INTERVENTION_TYPES, drawn_place
from svd_geo.store.backends import AnyStore
from svd_geo.views.data import escape_markdown, preview_places_upload
from svd_geo.views.interventions import import_places_upload
from ui import state as keys
from ui.auth import session_account
from ui.cache import store_summary
from ui.errors import show_error

PLACES_LABEL = (
    "Intervention places (GeoJSON, GeoPackage, zipped Shapefile, or CSV with coordinates and radius_m)"
)


def _may_change() -> bool:
    """Whether the session may add and change places: an admin's (the store refuses anyone else)."""
    return may(session_account().role, "admin")


def _forget_message() -> None:
    st.session_state[keys.KEY_PLACES_MESSAGE] = None
    st.session_state[keys.KEY_PLACES_REJECTED] = None


def _say(message: str, rejected: pd.DataFrame | None = None) -> None:
    st.session_state[keys.KEY_PLACES_MESSAGE] = message
    st.session_state[keys.KEY_PLACES_REJECTED] = rejected
    st.rerun()


def render_import(store: AnyStore) -> None:
    if not _may_change():
        return
    upload = st.file_uploader(PLACES_LABEL, key=keys.KEY_PLACES_UPLOAD)
    if upload is not None:
        try:
            st.caption("Columns found (rename a column in the file, or use `--map` on the command line):")
            st.dataframe(preview_places_upload(upload.getvalue(), upload.name), hide_index=True)
        except SvdGeoError as err:
            show_error(err)
            return
    # Cleared before the run that imports: the last import's message would read as this file's outcome.
    clicked = st.button("Import places", key=keys.KEY_PLACES_IMPORT, type="primary", on_click=_forget_message)
    if upload is None or not clicked:
        return
    try:
        prepared, added = import_places_upload(upload.getvalue(), upload.name, store)
    except SvdGeoError as err:
        show_error(err)
        return
    notes = "".join(f" Note: {escape_markdown(note)}." for note in prepared.notes)
    _say(
        f"Imported {added} places from {escape_markdown(upload.name)}; "
        f"{len(prepared.rejected)} rows set aside.{notes}",
        prepared.rejected,
    )


def _records_end(store: AnyStore) -> dt.date:
    """The last day with records: a drawn place's start, so its before/after can be made."""
    period = store_summary(store.path, store.version()).period
    return period[1] if period else dt.date.today()


def _fields(defaults: dict[str, str], prefix: str, last_day: dt.date) -> tuple[dict[str, str], float]:
    left, right = st.columns(2)
    types = list(INTERVENTION_TYPES)
    chosen_type = defaults.get("type", "patrol")
    type_index = types.index(chosen_type) if chosen_type in types else len(types) - 1
    started = _date(defaults.get("start_date")) or last_day
    start = left.date_input("Start", started, key=prefix + keys.KEY_PLACE_START)
    end = right.date_input(
        "End (blank: running)", _date(defaults.get("end_date")), key=prefix + keys.KEY_PLACE_END
    )
    fields = {
        "name": left.text_input("Name", defaults.get("name", ""), key=prefix + keys.KEY_PLACE_NAME),
        "partner": right.text_input(
            "Partner (required)",
            defaults.get("partner", ""),
            key=prefix + keys.KEY_PLACE_PARTNER,
            help="Who runs it: before/after leaves out that partner's own records.",
        ),
        "type": left.selectbox("Type", types, index=type_index, key=prefix + keys.KEY_PLACE_TYPE),
        "start_date": str(start or ""),
        "end_date": str(end or ""),
        "notes": right.text_input("Notes", defaults.get("notes", ""), key=prefix + keys.KEY_PLACE_NOTES),
    }
    radius = left.number_input(
        "Radius for a point, half width for a line (m)",
        5.0,
        5000.0,
        100.0,
        key=prefix + keys.KEY_PLACE_RADIUS,
    )
    return fields, float(radius)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def render_drawn(store: AnyStore) -> None:
    if not _may_change():
        st.caption("Adding and changing places needs an admin.")
        return
    drawn = st.session_state[keys.KEY_PLACES_DRAWN]
    if not drawn:
        st.text("Draw a polygon, rectangle, line or point on the map to add a place.")
        return
    st.text(f"Drawn shape: {drawn.get('type', '?')}. Describe it and save.")
    fields, radius = _fields({}, "drawn_", _records_end(store))
    if st.button("Save drawn place", key=keys.KEY_PLACE_SAVE, type="primary"):
        try:
            store.add_interventions(drawn_place(drawn, fields, radius_m=radius))
        except SvdGeoError as err:
            show_error(err)
            return
        st.session_state[keys.KEY_PLACES_DRAWN] = None
        _say(f"Saved {escape_markdown(fields['name'])}.")


def render_edit_remove(store: AnyStore, places: gpd.GeoDataFrame) -> None:
    if not _may_change():
        return
    if places.empty:
        return
    names = dict(zip(places["id"], places["name"], strict=True))
    picked = st.selectbox(
        "Place", list(names), key=keys.KEY_PLACE_PICK, format_func=lambda i: f"{i}: {names[i]}"
    )
    place = places[places["id"] == picked].iloc[0]
    with st.expander("Edit this place's details"):
        details = {k: str(place[k]) for k in ("name", "partner", "type", "start_date", "end_date", "notes")}
        fields, _ = _fields(details, f"edit{picked}_", _records_end(store))
        if st.button("Save changes", key=keys.KEY_PLACE_EDIT):
            edited = gpd.GeoDataFrame([{**fields, "synthetic": bool(place["synthetic"])}],
                                      geometry=[place.geometry], crs=places.crs)  # fmt: skip
            try:
                store.add_interventions(edited, replacing=int(picked))
            except SvdGeoError as err:
                show_error(err)
                return
            _say(f"Saved changes to {escape_markdown(fields['name'])}.")
    drawn = st.session_state[keys.KEY_PLACES_DRAWN]
    if drawn and st.button("Give this place the shape drawn on the map", key=keys.KEY_PLACE_RESHAPE):
        details = {k: str(place[k]) for k in ("name", "partner", "type", "start_date", "end_date", "notes")}
        try:
            reshaped = drawn_place(drawn, details)
        except SvdGeoError as err:
            show_error(err)
            return
        reshaped["synthetic"] = bool(place["synthetic"])
        store.add_interventions(reshaped, replacing=int(picked))
        st.session_state[keys.KEY_PLACES_DRAWN] = None
        _say(f"Gave {escape_markdown(details['name'])} its new shape.")
    sure = st.checkbox("Yes, remove this place", key=keys.KEY_PLACE_REMOVE_CONFIRM)
    if st.button("Remove place", key=keys.KEY_PLACE_REMOVE, disabled=not sure):
        store.remove_intervention(int(picked))
        _say(f"Removed {escape_markdown(str(names[picked]))}.")
