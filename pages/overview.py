"""Overview page: what a partnership meeting opens first."""

from __future__ import annotations

from functools import partial

import streamlit as st

from svd_geo.methods.months import describe_partial_month
from svd_geo.outputs.maps import legend_html
from svd_geo.views.interventions import uncovered_sentence, uncovered_table
from svd_geo.views.trends import monthly_figure
from ui import state as keys
from ui.auth import audited
from ui.cache import OVERVIEW_MAP_OPTIONS, briefing_html, coverage_run, interventions
from ui.cache import map_layers as cached_map_layers
from ui.cache import overview as cached_overview
from ui.hotspots import current_definition
from ui.present import chart, map_height, streamed_map, table
from ui.shell import start_analysis_page

store, version, view = start_analysis_page("Overview")
definition = current_definition()
overview = cached_overview(store.path, version, view)
period = overview.periods.window(view)  # what every table, the map and the briefing count
st.subheader(f"{overview.periods.describe()}")
st.caption(
    f"{overview.periods.note(view)} Incidents recorded by each partner ({period.describe(weighted=False)}), "
    f"against the previous period and the same period last year. {overview.periods.describe_comparisons()}"
)
table(overview.by_partner)
left, right = st.columns(2)
columns = {"area_name": "Area", "shown": "Incidents", "shown_rate": "Per 1,000 residents"}
if view.harm != "count":  # ranked by harm, which the table then shows
    columns["harm"] = "Harm"
left.subheader("Top wards")
table(overview.top_wards[list(columns)].rename(columns=columns), left)
right.subheader("Top LSOAs")
table(overview.top_lsoas[list(columns)].rename(columns=columns), right)
if view.harm != "count":
    st.caption(f"Wards and LSOAs ranked by harm ({period.describe()}).")
map_column, trend_column = st.columns([3, 2])
with map_column:
    st.subheader("Hotspots")
    small = cached_map_layers(store.path, version, period, OVERVIEW_MAP_OPTIONS, definition)
    streamed_map(keys.KEY_OVERVIEW_MAP, 380, small.groups)
    for title, rows, _ in small.legends:
        st.markdown(legend_html(title, rows), unsafe_allow_html=True)  # escaped by legend_html
with trend_column:
    st.subheader("Monthly trend")
    figure = monthly_figure(overview.monthly, partial_to=overview.partial_to)
    figure.update_layout(height=map_height(340), margin={"l": 10, "r": 10, "t": 10, "b": 10})
    chart(figure)
    if overview.partial_to is not None:
        st.caption(describe_partial_month(overview.partial_to) + " It is drawn hollow.")
if not interventions(store.path, version).empty:
    st.subheader("Hotspots no intervention reaches")
    _, coverage = coverage_run(store.path, version, period, definition)
    st.caption(uncovered_sentence(coverage, definition))
    table(uncovered_table(coverage, period))
if not view.presentation:
    st.download_button(
        "Briefing pack for the meeting (HTML)",
        audited(store, "briefing.html", partial(briefing_html, store.path, version, period, definition)),
        file_name="briefing.html",
        key=keys.KEY_BRIEFING,
        help="One file that opens with no network: maps, top hotspots, trend, coverage, before/after.",
    )
