"""Show a library error on a page: the one way pages report :class:`~svd_geo.base.errors.SvdGeoError`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import streamlit as st

from svd_geo.base.errors import SvdGeoError
from svd_geo.views.data import escape_markdown

Result = TypeVar("Result")


def show_error(err: SvdGeoError) -> None:
    # The message may quote a partner's text: escaped, never rendered as markup.
    st.error(escape_markdown(str(err)))


def stop_with(err: SvdGeoError) -> NoReturn:
    show_error(err)
    st.stop()
    raise AssertionError  # st.stop raises; this line is for the type checker


def or_stop(work: Callable[..., Result], *args: Any) -> Result:
    """Return ``work(*args)``; on a library error, show it and stop the page."""
    try:
        return work(*args)
    except SvdGeoError as err:
        stop_with(err)
