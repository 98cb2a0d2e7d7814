"""ui.errors: a library error on a page, run with Streamlit's AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page() -> None:
    import streamlit as st

    from svd_geo.base.errors import DataValidationError
    from ui.errors import or_stop

    def refuse(name: str) -> None:
        raise DataValidationError(f"{name}: row 3, column *date*: not a date")

    st.markdown("before")
    st.markdown(str(or_stop(len, "fine")))
    or_stop(refuse, "<b>partner</b>.csv")
    st.markdown("never shown")


def test_a_library_error_is_shown_as_text_and_stops_the_page():
    at = AppTest.from_function(_page).run()
    assert not at.exception
    assert [m.value for m in at.markdown] == ["before", "4"]
    assert at.error[0].value == r"\<b\>partner\</b\>\.csv: row 3, column \*date\*: not a date"
