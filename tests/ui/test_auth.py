"""ui/auth.py: sign-in, each session's account and role, audited downloads (run with AppTest)."""

from __future__ import annotations

import hashlib
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from svd_geo.base.accounts import accounts_text, with_account
from svd_geo.base.config import PROJECT_ROOT
from svd_geo.store.backends import open_store
from tests.support.app import APP, texts
from ui import state as keys
from ui.auth import audited

PASSWORDS = {
    "vera": "viewer's long password",
    "ana": "analyst's long password",
    "ada": "admin's long password",
}
ROLES = {"vera": "viewer", "ana": "analyst", "ada": "admin"}


@pytest.fixture
def signed_in_app(app_env, demo_store_path, tmp_path, monkeypatch):
    shutil.copy(demo_store_path, app_env.store_path)
    accounts = []
    for user, password in PASSWORDS.items():
        accounts = with_account(accounts, user, ROLES[user], password)
    users = tmp_path / "users.csv"
    users.write_text(accounts_text(accounts), encoding="utf-8")
    monkeypatch.setenv("SVD_GEO_AUTH", "password")
    monkeypatch.setenv("SVD_GEO_USERS", str(users))
    monkeypatch.setenv("SVD_GEO_ROLE", "admin")  # the server's own role never reaches a session
    monkeypatch.setattr("ui.auth.FAILED_SIGN_IN_PAUSE_S", 0.0)

    def sign_in(user: str, password: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120).run()
        at.text_input(key=keys.KEY_SIGN_IN_USER).input(user)
        at.text_input(key=keys.KEY_SIGN_IN_PASSWORD).input(password or PASSWORDS[user])
        at.button[0].click().run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return sign_in, users


def test_nothing_of_the_store_shows_before_signing_in_and_a_wrong_password_is_refused(signed_in_app):
    sign_in, _ = signed_in_app
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert [t.value for t in at.title] == ["Sign in"]
    assert (
        not at.dataframe and not at.multiselect and "incidents" not in "\n".join(c.value for c in at.caption)
    )
    at = sign_in("ana", "not the password at all")
    assert "do not match an account" in texts(at)
    assert [t.value for t in at.title] == ["Sign in"]
    at = sign_in("mallory", PASSWORDS["ana"])
    assert "do not match an account" in texts(at)


def test_each_account_gets_its_own_role(signed_in_app):
    sign_in, _ = signed_in_app
    analyst = sign_in("ana")
    assert "Overview" in [t.value for t in analyst.title]
    assert "Signed in: ana (analyst)" in [c.value for c in analyst.sidebar.caption]
    analyst.switch_page("pages/data.py").run()
    assert "Data" in [t.value for t in analyst.title] and not analyst.error
    viewer = sign_in("vera")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        viewer.switch_page("pages/data.py")  # not in a viewer's page list
    direct = AppTest.from_file(str(PROJECT_ROOT / "pages" / "data.py"), default_timeout=120)
    direct.session_state[keys.KEY_ACCOUNT] = "vera"  # signed in, opening the page's own URL
    direct.run()
    assert "Your role (viewer) may not open the Data page; an analyst can." in texts(direct)
    assert not direct.dataframe
    viewer.switch_page("pages/hotspots.py").run()
    assert not viewer.get("download_button"), "a viewer sees presentation outputs only"
    analyst.switch_page("pages/hotspots.py").run()
    assert analyst.get("download_button")


def test_an_account_removed_from_the_users_file_is_signed_out_at_its_next_click(signed_in_app):
    sign_in, users = signed_in_app
    at = sign_in("ada")
    assert "Signed in: ada (admin)" in [c.value for c in at.sidebar.caption]
    accounts = [
        a for a in __import__("svd_geo.base.accounts", fromlist=["read_accounts"]).read_accounts(users)
    ]
    users.write_text(accounts_text([a for a in accounts if a.user != "ada"]), encoding="utf-8")
    at.run()
    assert [t.value for t in at.title] == ["Sign in"]


def test_a_download_is_written_to_the_audit_log_with_its_checksum_when_made(config, demo_store_path):
    shutil.copy(demo_store_path, config.store_path)
    store = open_store(config.store_path, role="analyst", user="ana")
    before = len(store.audit())
    download = audited(store, "hotspots-kde.csv", lambda: "hotspot_id,incidents\n1,989\n")
    assert len(store.audit()) == before  # offering the button logs nothing
    assert download() == "hotspot_id,incidents\n1,989\n"
    line = store.audit().iloc[0]
    assert (line["who"], line["action"], line["what"]) == (
        "ana",
        "export",
        "hotspots-kde.csv (dashboard download)",
    )
    assert line["sha256"] == hashlib.sha256(b"hotspot_id,incidents\n1,989\n").hexdigest()


class _ProviderUser:
    """What ``st.user`` holds after the identity provider signed someone in (or nobody)."""

    def __init__(self, email: str | None) -> None:
        self.is_logged_in = email is not None
        self._email = email

    def get(self, key: str) -> str | None:
        return self._email if key == "email" else None


@pytest.mark.parametrize(
    ("email", "shows"),
    [
        (None, "Sign in with your organisation's account"),
        ("eve@nhs.net", "Your account is not on this partnership's list"),
        ("ANA@nhs.net", "Signed in: ana@nhs.net (analyst)"),
    ],
)
def test_an_identity_providers_sign_in_takes_its_role_from_the_users_file(
    app_env, demo_store_path, tmp_path, monkeypatch, email, shows
):
    import streamlit as st

    shutil.copy(demo_store_path, app_env.store_path)
    users = tmp_path / "users.csv"
    users.write_text(accounts_text(with_account([], "ana@nhs.net", "analyst", None)), encoding="utf-8")
    monkeypatch.setenv("SVD_GEO_AUTH", "oidc")
    monkeypatch.setenv("SVD_GEO_USERS", str(users))
    monkeypatch.setattr(st, "user", _ProviderUser(email))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at) + "\n".join(b.label for b in at.button) + "\n".join(c.value for c in at.sidebar.caption)
    assert shows in shown
    assert bool(at.dataframe) == (email == "ANA@nhs.net")
