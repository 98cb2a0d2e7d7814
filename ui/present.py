"""Tables, charts and maps that a projector shows at 3 m in presentation mode (widgets only)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from ui import state as keys
from ui.cache import stable_base_map
from ui.state import MAP_DEFAULT_BASEMAP

PRESENTATION_TYPE_PX = 20
"""Type size of tables, chart axes, legends and tooltips in meetings."""
PRESENTATION_MAP_SCALE = 1.4
"""How much taller maps are in meetings."""


def presenting() -> bool:
    """Return whether the session is in presentation mode."""
    return bool(st.session_state.get(keys.KEY_PRESENT))


def table(frame: pd.DataFrame, where: Any = st) -> None:
    """Show a table: an interactive grid for analysts, large plain type in meetings.

    The grid draws on a canvas whose type size no style sheet reaches, so a
    meeting gets an HTML table that :data:`ui.shell.PRESENTATION_CSS` enlarges.
    """
    if presenting():
        where.table(frame.style.hide(axis="index"))
    else:
        where.dataframe(frame, hide_index=True)


def chart(figure: Any, where: Any = st) -> None:
    """Show a plotly chart, its axes, legend and hover labels large in meetings."""
    if presenting():
        large = {"size": PRESENTATION_TYPE_PX}
        figure.update_layout(font=large, hoverlabel={"font": large}, legend={"font": large})
        figure.update_xaxes(tickfont=large, title_font=large)
        figure.update_yaxes(tickfont=large, title_font=large)
    # Streamlit's chart theme sets the axes' sizes over the figure's own: off in meetings.
    where.plotly_chart(figure, use_container_width=True, theme=None if presenting() else "streamlit")


def map_height(height_px: int) -> int:
    """Return a map's height: larger in meetings."""
    return round(height_px * PRESENTATION_MAP_SCALE) if presenting() else height_px


def streamed_map(
    key: str,
    height_px: int,
    groups: list[Any],
    *,
    basemap: str = MAP_DEFAULT_BASEMAP,
    returned: tuple[str, ...] = (),
) -> Any:
    """Draw layers on the stable base map (larger, with large type, in meetings); return what was clicked.

    The base map is the same on every run, so only the layers are redrawn when the
    view changes; a new basemap is a new frame (its own key).
    """
    return st_folium(
        stable_base_map(basemap, presentation=presenting()), key=f"{key}_{basemap}",
        height=map_height(height_px), use_container_width=True, feature_group_to_add=groups,
        returned_objects=list(returned),
    )  # fmt: skip
