"""The store's audit log: who changed or exported what, when, and the file's sha256.

Every import, removal and intervention change writes its line in the same
transaction as the change, so the log never claims what did not happen nor
misses what did.  Exports write theirs once the file is whole.  The log is a
plain attributes table of the GeoPackage, ``audit``.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

AUDIT_COLUMNS = ["at", "who", "action", "what", "sha256"]
"""What each line of the audit log says."""

ACTIONS = ("import", "remove import", "add places", "edit place", "remove place", "export")
"""The actions the log records."""

_CREATE = (
    "CREATE TABLE IF NOT EXISTS audit (fid INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, "
    "who TEXT NOT NULL, action TEXT NOT NULL, what TEXT NOT NULL, sha256 TEXT NOT NULL DEFAULT '')"
)


def ensure_audit_table(connection: sqlite3.Connection) -> None:
    """Create the audit table and register it in the GeoPackage's contents, when missing.

    Parameters
    ----------
    connection : sqlite3.Connection
        A connection to the store, inside a write transaction.
    """
    connection.execute(_CREATE)
    connection.execute(
        "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, last_change) "
        "VALUES ('audit', 'attributes', 'audit', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
    )


def now_stamp() -> str:
    """Return the time of a change as the imports and audit logs record it.

    Returns
    -------
    str
        UTC, to the second, ISO 8601 (e.g. ``2026-12-02T17:40:14+00:00``).
    """
    return datetime.now(UTC).isoformat(timespec="seconds")


def record(connection: sqlite3.Connection, who: str, action: str, what: str, sha256: str = "") -> None:
    """Write one line of the audit log, in the caller's transaction.

    Parameters
    ----------
    connection : sqlite3.Connection
        A connection to the store, inside the transaction that makes the change.
    who : str
        Who made it: the signed-in account, or the local user.
    action : str
        One of :data:`ACTIONS`.
    what : str
        What was changed or exported, in words.
    sha256 : str, optional
        The checksum of the file imported or written.
    """
    connection.execute(
        "INSERT INTO audit (at, who, action, what, sha256) VALUES (?, ?, ?, ?, ?)",
        (now_stamp(), who, action, what, sha256),
    )


def read_audit(connection: sqlite3.Connection) -> pd.DataFrame:
    """Return the audit log, newest first.

    Parameters
    ----------
    connection : sqlite3.Connection
        A connection to the store.

    Returns
    -------
    pandas.DataFrame
        :data:`AUDIT_COLUMNS`, one row per action.
    """
    import pandas as pd

    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "audit" not in tables:
        return pd.DataFrame(columns=AUDIT_COLUMNS)
    query = "SELECT at, who, action, what, sha256 FROM audit ORDER BY fid DESC"
    return pd.read_sql_query(query, connection)
