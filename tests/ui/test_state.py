"""ui.state: the session-state keys."""

from __future__ import annotations

from ui import state


def test_no_two_widgets_share_a_session_state_key():
    keys = {name: value for name, value in vars(state).items() if name.startswith("KEY_")}
    assert len(keys) > 20
    assert len(set(keys.values())) == len(keys), "two constants name the same key"
    assert all(isinstance(value, str) and value for value in keys.values())
