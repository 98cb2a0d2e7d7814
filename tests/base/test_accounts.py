"""svd_geo.base.accounts."""

from __future__ import annotations

import pytest

from svd_geo.base.accounts import (
    Account,
    accounts_text,
    auth_from_environment,
    identity_account,
    local_account,
    read_accounts,
    sign_in,
    with_account,
)
from svd_geo.base.errors import DataValidationError

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def accounts():
    made = with_account([], "alice", "analyst", PASSWORD)
    made = with_account(made, "Bob@NHS.net", "viewer", None)
    return with_account(made, "carol", "admin", "another long password")


def test_passwords_are_stored_only_as_argon2_hashes_and_read_back(accounts, tmp_path):
    path = tmp_path / "users.csv"
    path.write_text(accounts_text(accounts), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert PASSWORD not in text and text.count("$argon2id$") == 2
    assert read_accounts(path) == accounts
    assert [a.user for a in accounts] == ["alice", "Bob@NHS.net", "carol"]


def test_sign_in_takes_the_right_password_only(accounts):
    assert sign_in(accounts, "alice", PASSWORD) == Account("alice", "analyst")
    assert sign_in(accounts, " ALICE ", PASSWORD) == Account("alice", "analyst")
    assert sign_in(accounts, "alice", PASSWORD + "!") is None
    assert sign_in(accounts, "mallory", PASSWORD) is None
    assert sign_in(accounts, "Bob@NHS.net", "") is None  # an OIDC account has no password to guess


def test_an_identity_providers_address_finds_its_account_in_any_case(accounts):
    assert identity_account(accounts, "bob@nhs.net") == Account("Bob@NHS.net", "viewer")
    assert identity_account(accounts, "eve@nhs.net") is None
    assert identity_account(accounts, None) is None


def test_changing_an_account_keeps_its_place_and_replaces_its_role(accounts):
    changed = with_account(accounts, "ALICE", "admin", PASSWORD)
    assert [(a.user, a.role) for a in changed] == [
        ("ALICE", "admin"),
        ("Bob@NHS.net", "viewer"),
        ("carol", "admin"),
    ]


@pytest.mark.parametrize(
    ("user", "role", "password", "says"),
    [
        ("", "admin", PASSWORD, "the user is blank"),
        ("dave", "superuser", PASSWORD, "role 'superuser' is not one of viewer, analyst, admin"),
        ("dave", "admin", "short", "at least 12 characters"),
    ],
)
def test_a_bad_account_is_refused_saying_why(user, role, password, says):
    with pytest.raises(DataValidationError, match=says):
        with_account([], user, role, password)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("name,role\nalice,admin\n", "line 1 must be user,role,password_hash"),
        ("user,role,password_hash\nalice,admin,\nALICE,viewer,\n", "line 3: 'ALICE' is listed twice"),
        ("user,role,password_hash\n\nalice,boss,\n", "line 3: role 'boss'"),
    ],
)
def test_a_broken_users_file_names_its_line(tmp_path, text, says):
    path = tmp_path / "users.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError, match=says):
        read_accounts(path)


def test_no_users_file_holds_no_accounts(tmp_path):
    assert read_accounts(tmp_path / "none.csv") == []


def test_a_local_run_is_its_login_as_admin_and_sign_in_is_off(monkeypatch):
    for name in ("SVD_GEO_USER", "SVD_GEO_ROLE", "SVD_GEO_AUTH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SVD_GEO_USER", "officer")
    assert local_account() == Account("officer", "admin")
    assert auth_from_environment() == "none"
    monkeypatch.setenv("SVD_GEO_AUTH", "ldap")
    with pytest.raises(ValueError, match="choose one of none, password, oidc"):
        auth_from_environment()
