"""``svd-geo users``: the accounts of a shared deployment (its users file).

Only an admin may change or list them.  Passwords are read from the terminal
(twice) or one line of standard input, and only their argon2 hash is written.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from svd_geo.base.accounts import read_accounts
from svd_geo.base.config import Config
from svd_geo.base.errors import DataValidationError
from svd_geo.base.roles import ROLES, require_role
from svd_geo.cli.common import add_json, emit


def _users_path(args: argparse.Namespace) -> tuple[Config, Path]:
    config = Config()
    require_role(config.role, "admin", "manage accounts")
    return config, Path(args.users) if args.users else config.users_path


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        msg = "the two passwords differ; nothing was written."
        raise DataValidationError(msg)
    return first


def _write_private(path: Path, text: str) -> None:
    """Write the users file whole or not at all, readable by its owner only (it holds password hashes)."""
    from svd_geo.outputs.files import replaced_atomically

    with replaced_atomically(path) as target:
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)


def _cmd_add(args: argparse.Namespace) -> int:
    from svd_geo.base.accounts import accounts_text, with_account

    _, path = _users_path(args)
    accounts = with_account(read_accounts(path), args.user, args.role, None if args.oidc else _password(args))
    _write_private(path, accounts_text(accounts))
    how = "signs in through the identity provider" if args.oidc else "signs in with a password"
    emit(args, {"user": args.user, "role": args.role, "users": str(path)}, f"{args.user} ({args.role}) {how}")
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:
    from svd_geo.base.accounts import accounts_text

    _, path = _users_path(args)
    accounts = read_accounts(path)
    kept = [a for a in accounts if a.user.casefold() != args.user.strip().casefold()]
    if len(kept) == len(accounts):
        listed = ", ".join(a.user for a in accounts) or "none"
        msg = f"no account {args.user!r} in {path} (there are: {listed})."
        raise DataValidationError(msg)
    _write_private(path, accounts_text(kept))
    emit(args, {"user": args.user, "removed": True}, f"removed {args.user}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    _, path = _users_path(args)
    rows = [
        {"user": a.user, "role": a.role, "signs_in": "password" if a.password_hash else "oidc"}
        for a in read_accounts(path)
    ]
    text = "\n".join(f"{r['user']}\t{r['role']}\t{r['signs_in']}" for r in rows) or f"no accounts in {path}"
    emit(args, rows, text)
    return 0


def add_commands(commands: Any) -> None:
    """Register ``svd-geo users`` on the ``svd-geo`` subparsers.

    Parameters
    ----------
    commands : argparse._SubParsersAction
        The ``svd-geo`` subparsers.
    """
    users = commands.add_parser("users", help="accounts and roles of a shared deployment's sign-in")
    actions = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add an account, or change its role or password")
    add.add_argument("user", metavar="USER", help="a name, or the e-mail address the identity provider gives")
    add.add_argument("--role", required=True, choices=ROLES, help="what the account may do")
    add.add_argument("--oidc", action="store_true", help="signs in through st.login: no password")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(handler=_cmd_add)
    remove = actions.add_parser("remove", help="remove an account")
    remove.add_argument("user", metavar="USER")
    remove.set_defaults(handler=_cmd_remove)
    listing = actions.add_parser("list", help="the accounts and their roles (never their hashes)")
    listing.set_defaults(handler=_cmd_list)
    for action in (add, remove, listing):
        action.add_argument("--users", metavar="FILE", help="the users file (default: SVD_GEO_USERS)")
        add_json(action)
