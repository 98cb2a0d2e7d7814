"""Trends page: monthly series with a trend test, week-hour pattern, emerging hotspots."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st
from streamlit_folium import st_folium

from svd_geo.methods.trends import describe_partial_month
from svd_geo.outputs.maps import legend_html
from svd_geo.views.classes import class_group
from ui import state as keys
from ui.cache import stable_base_map, trends_view
from ui.errors import or_stop
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
st.caption(f"Counting {view.describe()}.")
st.metric(
    "Trend (Mann-Kendall)",
    trend["trend"],
    f"{trend['slope_per_step']:+.1f} incidents a month (Sen's slope), p = {trend['p']:.3f}",
    delta_color="off",
)
by_partner = px.line(
    trends.monthly, x="month", y="incidents", color="source", labels={"month": "", "incidents": "Incidents"}
)
st.plotly_chart(by_partner, use_container_width=True)
if trends.summary["latest_month_partial_to"]:
    st.caption(
        describe_partial_month(pd.Timestamp(trends.summary["latest_month_partial_to"]))
        + " The trend test leaves it out."
    )
by_category = px.line(
    figures.by_category,
    x="month",
    y="incidents",
    color="category",
    labels={"month": "", "incidents": "Incidents"},
)
st.plotly_chart(by_category, use_container_width=True)
left, right = st.columns(2)
with left:
    st.subheader("Day of week by hour")
    st.caption(f"From the {trends.summary['timed_records']:,} records with a time.")
    st.plotly_chart(
        px.imshow(
            trends.week_hour, aspect="auto", color_continuous_scale="YlOrRd", labels={"color": "Incidents"}
        ),
        use_container_width=True,
    )
with right:
    st.subheader("Seasonality")
    st.plotly_chart(px.bar(figures.seasonal, x="calendar month", y="incidents"), use_container_width=True)
st.subheader("Emerging hotspots")
emerging, legend = class_group(trends.emerging, column="category", title="Emerging hotspot")
shown, beside = st.columns([4, 1])
with shown:
    st_folium(
        stable_base_map(), key=keys.KEY_EMERGING_MAP, height=480, use_container_width=True,
        feature_group_to_add=[emerging], returned_objects=[],
    )  # fmt: skip
beside.markdown(legend_html("Emerging hotspot", legend), unsafe_allow_html=True)  # escaped by legend_html
table = trends.emerging[trends.emerging["category"] != "no pattern"].drop(columns="geometry")
st.dataframe(table.sort_values("category"), hide_index=True)
