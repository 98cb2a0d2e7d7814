"""Who this session is: sign-in (a password file, or the partnership's identity provider) and its store.

With ``SVD_GEO_AUTH`` unset the session is the local user (admin unless
``SVD_GEO_ROLE`` says otherwise).  Otherwise nothing of the store is drawn until
someone signs in, and each run looks the account up again, so an account removed
from the users file, or given another role, takes effect at the next click.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

import streamlit as st

from svd_geo.base.accounts import Account, identity_account, local_account, read_accounts, sign_in
from svd_geo.base.config import Config
from svd_geo.store.backends import AnyStore, open_store
from ui import state as keys
from ui.cache import get_config

FAILED_SIGN_IN_PAUSE_S = 1.0
"""How long a wrong password waits before the form comes back (slows guessing)."""


def _password_account(config: Config) -> Account | None:
    """The account signed in on this session, or None after drawing the sign-in form."""
    accounts = read_accounts(config.users_path)
    signed_in = st.session_state.get(keys.KEY_ACCOUNT)
    if signed_in is not None:
        current = next((a for a in accounts if a.user == signed_in and a.password_hash), None)
        if current is not None:
            return Account(current.user, current.role)
        st.session_state[keys.KEY_ACCOUNT] = None  # removed from the users file since
    st.title("Sign in")
    with st.form("sign_in"):
        user = st.text_input("Name", key=keys.KEY_SIGN_IN_USER)
        password = st.text_input("Password", type="password", key=keys.KEY_SIGN_IN_PASSWORD)
        submitted = st.form_submit_button("Sign in")
    if submitted:
        account = sign_in(accounts, user, password)
        if account is not None:
            st.session_state[keys.KEY_ACCOUNT] = account.user
            st.rerun()
        time.sleep(FAILED_SIGN_IN_PAUSE_S)
        st.error("That name and password do not match an account. An admin can add or reset it.")
    return None


def _oidc_account(config: Config) -> Account | None:
    """The account of the identity the provider signed in, or None after saying why not."""
    if not st.user.is_logged_in:
        st.title("Sign in")
        st.button("Sign in with your organisation's account", on_click=st.login)
        return None
    email = st.user.get("email")
    account = identity_account(read_accounts(config.users_path), str(email) if email else None)
    if account is None:
        st.error(
            "Your account is not on this partnership's list. Ask an admin to add it "
            "(`svd-geo users add EMAIL --role viewer --oidc`)."
        )
        st.button("Sign out", on_click=st.logout)
    return account


def session_account() -> Account:
    """Return who this session acts as; until someone signs in, draw the sign-in and stop the page.

    Returns
    -------
    Account
        The signed-in account, or the local user when sign-in is off.
    """
    config = get_config()
    if config.auth == "none":
        return local_account()
    account = _oidc_account(config) if config.auth == "oidc" else _password_account(config)
    if account is None:
        st.stop()
    return account


def sign_out_button() -> None:
    """Offer to sign out, when sign-in is on."""
    config = get_config()
    if config.auth == "oidc":
        st.button("Sign out", on_click=st.logout, key=keys.KEY_SIGN_OUT)
    elif config.auth == "password" and st.button("Sign out", key=keys.KEY_SIGN_OUT):
        st.session_state.clear()
        st.rerun()


def session_store() -> AnyStore:
    """Return the store as this session's account sees it: its role decides what it may change.

    Returns
    -------
    AnyStore
        The store at ``SVD_GEO_STORE``, acting as the signed-in account.
    """
    account = session_account()
    return open_store(get_config().store_path, role=account.role, user=account.user)


def audited(store: AnyStore, file_name: str, make: Callable[[], bytes | str]) -> Callable[[], bytes | str]:
    """Wrap a download's data so that each download is written to the audit log.

    Streamlit calls the data of a download button only when it is clicked (and
    outside the page's run, so the store and its account are bound here).

    Parameters
    ----------
    store : AnyStore
        The session's store (its account is who the log names).
    file_name : str
        The name the file is offered under.
    make : callable
        Returns the file's bytes (or text, sent as UTF-8).

    Returns
    -------
    callable
        Returns the same data, after logging them with their sha256.
    """

    def download() -> bytes | str:
        data = make()
        sent = data.encode("utf-8") if isinstance(data, str) else data
        store.log_export(f"{file_name} (dashboard download)", hashlib.sha256(sent).hexdigest())
        return data

    return download
