"""Who is signed in: the local user, or an account in a shared deployment's users file.

A local single-user run acts as the login name (or ``SVD_GEO_USER``) with the role
``SVD_GEO_ROLE`` names (admin by default).  A shared deployment turns sign-in on
(``SVD_GEO_AUTH``): ``password`` checks a name and password against the users file,
``oidc`` takes the e-mail address the partnership's identity provider vouches for
(Streamlit's ``st.login``) and looks its role up in the same file.

The users file is a CSV with the header ``user,role,password_hash``, one account a
line; ``password_hash`` is an argon2id hash (argon2-cffi), blank for an OIDC
account.  ``svd-geo users add`` writes it, so no password is ever stored in clear.
"""

from __future__ import annotations

import csv
import functools
import getpass
import io
import os
from dataclasses import dataclass
from pathlib import Path

from svd_geo.base.environment import environment_choice
from svd_geo.base.errors import DataValidationError
from svd_geo.base.roles import ROLES, role_from_environment

AUTH_MODES = ("none", "password", "oidc")
"""How the dashboard signs people in: not at all (a local run), by password file, or by OIDC."""
USERS_HEADER = ("user", "role", "password_hash")
"""The users file's columns."""
MIN_PASSWORD_LENGTH = 12
"""The shortest password an account may have (NCSC guidance: length over complexity)."""


@dataclass(frozen=True)
class Account:
    """Who is acting, and with which role.

    Attributes
    ----------
    user : str
        The name written to the audit log.
    role : str
        One of :data:`svd_geo.base.roles.ROLES`.
    """

    user: str
    role: str


@dataclass(frozen=True)
class StoredAccount:
    """One line of the users file.

    Attributes
    ----------
    user, role : str
        The account's name (or e-mail address) and role.
    password_hash : str
        Its argon2 hash, blank for an account that signs in through OIDC.
    """

    user: str
    role: str
    password_hash: str = ""


def local_user() -> str:
    """Return who runs this process: ``SVD_GEO_USER``, else the login name.

    Returns
    -------
    str
        The user's name ("unknown" in a container without a login name).
    """
    name = os.environ.get("SVD_GEO_USER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in a container
        return "unknown"


def local_account() -> Account:
    """Return the account of a local run: :func:`local_user` with the role ``SVD_GEO_ROLE`` names.

    Returns
    -------
    Account
        The local user, admin unless ``SVD_GEO_ROLE`` says otherwise.
    """
    return Account(local_user(), role_from_environment())


def auth_from_environment() -> str:
    """Return how the dashboard signs people in: ``SVD_GEO_AUTH``, none when unset.

    Returns
    -------
    str
        One of :data:`AUTH_MODES`.

    Raises
    ------
    ValueError
        When ``SVD_GEO_AUTH`` names no mode.
    """
    return environment_choice("SVD_GEO_AUTH", AUTH_MODES, "none")


def _key(user: str) -> str:
    return user.strip().casefold()


def read_accounts(path: Path) -> list[StoredAccount]:
    """Read the users file; a missing file holds no accounts.

    Parameters
    ----------
    path : Path
        The users file (``SVD_GEO_USERS``).

    Returns
    -------
    list of StoredAccount
        The accounts, in the file's order.

    Raises
    ------
    DataValidationError
        For a wrong header, an unknown role, a blank or repeated user, naming the line.
    """
    if not path.exists():
        return []
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    if not rows or tuple(cell.strip() for cell in rows[0]) != USERS_HEADER:
        msg = f"{path}: line 1 must be {','.join(USERS_HEADER)}; write accounts with `svd-geo users add`."
        raise DataValidationError(msg)
    accounts: list[StoredAccount] = []
    seen: set[str] = set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        user, role, password_hash = ([cell.strip() for cell in row] + ["", "", ""])[:3]
        problem = _account_problem(user, role, seen)
        if problem:
            msg = f"{path}, line {line}: {problem}"
            raise DataValidationError(msg)
        seen.add(_key(user))
        accounts.append(StoredAccount(user, role, password_hash))
    return accounts


def _account_problem(user: str, role: str, seen: set[str]) -> str:
    if not user:
        return "the user is blank; give each account a name or e-mail address."
    if _key(user) in seen:
        return f"{user!r} is listed twice; keep one line per account."
    if role not in ROLES:
        return f"role {role!r} is not one of {', '.join(ROLES)}."
    return ""


def accounts_text(accounts: list[StoredAccount]) -> str:
    """Return the users file's text for these accounts.

    Parameters
    ----------
    accounts : list of StoredAccount
        The accounts.

    Returns
    -------
    str
        CSV with the :data:`USERS_HEADER` header.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(USERS_HEADER)
    writer.writerows((a.user, a.role, a.password_hash) for a in accounts)
    return out.getvalue()


def with_account(
    accounts: list[StoredAccount], user: str, role: str, password: str | None
) -> list[StoredAccount]:
    """Return the accounts with ``user`` added, or changed in place.

    Parameters
    ----------
    accounts : list of StoredAccount
        The accounts there are.
    user : str
        The name, or the e-mail address an OIDC provider gives.
    role : str
        One of :data:`svd_geo.base.roles.ROLES`.
    password : str or None
        Its password, hashed here; None for an OIDC account.

    Returns
    -------
    list of StoredAccount
        The new list.

    Raises
    ------
    DataValidationError
        For a blank user, an unknown role or a password under 12 characters.
    """
    problem = _account_problem(user.strip(), role, set())
    if problem:
        raise DataValidationError(problem)
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        msg = f"the password must be at least {MIN_PASSWORD_LENGTH} characters."
        raise DataValidationError(msg)
    entry = StoredAccount(user.strip(), role, hash_password(password) if password is not None else "")
    others = [a for a in accounts if _key(a.user) != _key(user)]
    at = next((i for i, a in enumerate(accounts) if _key(a.user) == _key(user)), len(others))
    return [*others[:at], entry, *others[at:]]


def hash_password(password: str) -> str:
    """Hash a password with argon2id (argon2-cffi's default cost).

    Parameters
    ----------
    password : str
        The password.

    Returns
    -------
    str
        The encoded hash, salt and parameters included.
    """
    from argon2 import PasswordHasher

    return PasswordHasher().hash(password)


def sign_in(accounts: list[StoredAccount], user: str, password: str) -> Account | None:
    """Check a name and password; return the account, or None.

    An unknown name costs the same hash as a wrong password, so the time taken does
    not tell which names exist.

    Parameters
    ----------
    accounts : list of StoredAccount
        The users file's accounts.
    user, password : str
        What was typed.

    Returns
    -------
    Account or None
        The account, when the password is its own.
    """
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    found = next((a for a in accounts if _key(a.user) == _key(user) and a.password_hash), None)
    hasher = PasswordHasher()
    try:
        hasher.verify(found.password_hash if found else _unknown_user_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    return Account(found.user, found.role) if found else None


@functools.cache
def _unknown_user_hash() -> str:
    """Return the hash an unknown name's password is checked against (made once a process)."""
    return hash_password(os.urandom(16).hex())


def identity_account(accounts: list[StoredAccount], email: str | None) -> Account | None:
    """Return the account of an e-mail address an identity provider signed in, or None.

    Parameters
    ----------
    accounts : list of StoredAccount
        The users file's accounts.
    email : str or None
        The address the provider gives (``st.user.email``).

    Returns
    -------
    Account or None
        The account with that address (any case), None when it is not listed.
    """
    if not email:
        return None
    found = next((a for a in accounts if _key(a.user) == _key(email)), None)
    return Account(found.user, found.role) if found else None
