"""Who may do what: three roles, checked where the work is done, not only by hiding pages.

- viewer: presentation outputs only (aggregated maps and tables, small counts suppressed, the briefing);
- analyst: also incident points and exports;
- admin: also imports, removals, intervention places and settings.

A local single-user run is admin.  A shared deployment sets ``SVD_GEO_ROLE`` for each
person's session (from its login); the store refuses writes and the views refuse
exports that the role may not make.
"""

from __future__ import annotations

from svd_geo.base.environment import environment_choice
from svd_geo.base.errors import PermissionDeniedError

ROLES = ("viewer", "analyst", "admin")
"""The roles, each allowed everything the one before it is."""


def role_from_environment() -> str:
    """Return the role ``SVD_GEO_ROLE`` names, admin when unset.

    Returns
    -------
    str
        One of :data:`ROLES`.

    Raises
    ------
    ValueError
        When ``SVD_GEO_ROLE`` names no role.
    """
    return environment_choice("SVD_GEO_ROLE", ROLES, "admin")


def may(role: str, needed: str) -> bool:
    """Return whether ``role`` may do what ``needed`` may.

    Parameters
    ----------
    role : str
        The user's role.
    needed : str
        The least role the action needs.

    Returns
    -------
    bool
        True when the role ranks at or above the one needed.
    """
    return ROLES.index(role) >= ROLES.index(needed)


def require_role(role: str, needed: str, action: str) -> None:
    """Refuse an action the role may not take, saying who may.

    Parameters
    ----------
    role : str
        The user's role.
    needed : str
        The least role the action needs.
    action : str
        What was asked, e.g. "import files".

    Raises
    ------
    PermissionDeniedError
        When the role ranks below ``needed``.
    """
    if not may(role, needed):
        msg = f"your role ({role}) may not {action}; an {needed} can."
        raise PermissionDeniedError(msg)
