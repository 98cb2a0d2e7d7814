"""ui.present: tables, charts and maps in meetings, run with Streamlit's AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ui import state


def _page() -> None:
    import pandas as pd
    import plotly.express as px
    import streamlit as st

    from ui.present import chart, map_height, table

    frame = pd.DataFrame({"ward": ["Portland", "Carr Bank"], "incidents": [12, 7]})
    table(frame)
    figure = px.bar(frame, x="ward", y="incidents")
    chart(figure)
    st.markdown(f"height {map_height(500)}; font {figure.layout.font.size}")


@pytest.mark.parametrize("meeting", [False, True])
def test_meetings_get_plain_tables_large_chart_type_and_a_taller_map(meeting):
    at = AppTest.from_function(_page)
    at.session_state[state.KEY_PRESENT] = meeting
    at.run()
    assert not at.exception
    assert (len(at.table), len(at.dataframe)) == ((1, 0) if meeting else (0, 1))
    assert at.markdown[-1].value == ("height 700; font 20" if meeting else "height 500; font None")
