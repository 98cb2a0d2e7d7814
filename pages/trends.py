"""Trends page: monthly series with a trend test, week-hour pattern, emerging hotspots."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from svd_geo.methods.months import describe_partial_month
from svd_geo.outputs.maps import legend_html
from svd_geo.views.classes import class_group
from svd_geo.views.deprivation import DOMAIN_NAMES, deprivation_caption, deprivation_figure
from svd_geo.views.trends import monthly_figure, trends_caption
from ui import state as keys
from ui.cache import deprivation, trends_view
from ui.errors import or_stop
from ui.present import chart, streamed_map, table
from ui.shell import start_analysis_page

store, version, view = start_analysis_page("Trends")
unit = st.selectbox(
    "Areas for emerging hotspots", ["hex:500", "hex:250", "ward", "lsoa"], key=keys.KEY_TREND_AREAS
)
figures = or_stop(trends_view, store.path, version, view, unit)
if figures is None:
    st.info("No incidents match the filters; widen them in the sidebar.")
    st.stop()
trends = figures.run
trend = trends.trend
st.caption(trends_caption(view))
st.metric("Trend (Mann-Kendall)", *figures.trend_words(), delta_color="off")
partial_to = figures.partial_to
chart(monthly_figure(trends.monthly, partial_to=partial_to, color="source"))
if partial_to is not None:
    st.caption(describe_partial_month(partial_to) + " It is drawn hollow, and the trend test leaves it out.")
chart(monthly_figure(figures.by_category, partial_to=partial_to, color="category"))
left, right = st.columns(2)
with left:
    st.subheader("Day of week by hour")
    st.caption(figures.week_hour_note())
    if trends.summary["timed_records"]:
        labels = {"color": "Incidents"}
        chart(px.imshow(trends.week_hour, aspect="auto", color_continuous_scale="YlOrRd", labels=labels))
with right:
    st.subheader("Seasonality")
    labels = {"mean incidents": "Mean incidents a month", "month": ""}
    chart(px.bar(figures.seasonal, x="month", y="mean incidents", labels=labels))
    st.caption(figures.seasonal_note())
st.subheader("Emerging hotspots")
emerging, legend = class_group(trends.emerging, column="category", title="Emerging hotspot")
shown, beside = st.columns([4, 1])
with shown:
    streamed_map(keys.KEY_EMERGING_MAP, 480, [emerging])
beside.markdown(legend_html("Emerging hotspot", legend), unsafe_allow_html=True)  # escaped by legend_html
table(figures.emerging_areas)
st.subheader("Violence and deprivation")
domain = st.radio("Index", list(DOMAIN_NAMES), format_func=DOMAIN_NAMES.__getitem__, key=keys.KEY_DEPRIVATION,
                  horizontal=True)  # fmt: skip
rates = or_stop(deprivation, store.path, version, view, domain)
st.caption(deprivation_caption(rates, view))
chart(deprivation_figure(rates, view))
table(rates.shown(view))
