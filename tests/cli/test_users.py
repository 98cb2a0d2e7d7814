"""svd_geo.cli.users: ``svd-geo users``."""

from __future__ import annotations

import json
import os
import stat
import subprocess

import pytest

from svd_geo.base.accounts import read_accounts, sign_in
from tests.support.cli import SVD_GEO

PASSWORD = "a long enough passphrase"


def users(
    path, *args: str, stdin: str = "", role: str = "admin", expect: int = 0
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SVD_GEO_USERS": str(path), "SVD_GEO_ROLE": role}
    result = subprocess.run(
        [SVD_GEO, "users", *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == expect, result.stderr
    return result


@pytest.fixture
def users_file(tmp_path):
    path = tmp_path / "deploy" / "users.csv"
    users(path, "add", "alice", "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n")
    users(path, "add", "bob@nhs.net", "--role", "viewer", "--oidc")
    return path


def test_accounts_are_added_with_a_hash_only_in_a_file_only_its_owner_reads(users_file):
    assert stat.S_IMODE(users_file.stat().st_mode) == 0o600
    assert PASSWORD not in users_file.read_text(encoding="utf-8")
    accounts = read_accounts(users_file)
    assert sign_in(accounts, "alice", PASSWORD).role == "analyst"
    listed = json.loads(users(users_file, "list", "--json").stdout)
    assert listed == [
        {"user": "alice", "role": "analyst", "signs_in": "password"},
        {"user": "bob@nhs.net", "role": "viewer", "signs_in": "oidc"},
    ]
    assert "argon2" not in users(users_file, "list").stdout


def test_only_an_admin_manages_accounts_and_mistakes_change_nothing(users_file):
    before = users_file.read_bytes()
    refused = users(users_file, "list", role="analyst", expect=2)
    assert "your role (analyst) may not manage accounts; an admin can" in refused.stderr
    short = users(
        users_file, "add", "carol", "--role", "admin", "--password-stdin", stdin="short\n", expect=2
    )
    assert "at least 12 characters" in short.stderr
    missing = users(users_file, "remove", "mallory", expect=2)
    assert "no account 'mallory'" in missing.stderr and "alice, bob@nhs.net" in missing.stderr
    assert users_file.read_bytes() == before


def test_removing_an_account_ends_its_sign_in(users_file):
    users(users_file, "remove", "ALICE")
    assert [a.user for a in read_accounts(users_file)] == ["bob@nhs.net"]
