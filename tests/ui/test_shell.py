"""ui.shell: the app's shell helpers, run with Streamlit's AppTest."""

from __future__ import annotations

import inspect


def test_the_one_private_streamlit_api_the_app_relies_on_still_exists():
    # ui.shell.require_entrypoint switches off Streamlit's pages/-folder layout through it:
    # when Streamlit renames or drops it, this fails first.
    from streamlit.runtime.pages_manager import PagesManager

    assert "uses_pages_directory" in vars(PagesManager)
    assert '"pages"' in inspect.getsource(PagesManager.__init__)
