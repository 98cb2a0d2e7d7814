"""Settings read from the environment: one way to read a choice among named values."""

from __future__ import annotations

import os


def environment_choice(variable: str, choices: tuple[str, ...], default: str) -> str:
    """Return the choice an environment variable names (any case, padded or not), the default when unset.

    Parameters
    ----------
    variable : str
        The variable, e.g. ``SVD_GEO_ROLE``.
    choices : tuple of str
        The values it may take, lower case.
    default : str
        The value when it is unset or blank.

    Returns
    -------
    str
        One of ``choices``.

    Raises
    ------
    ValueError
        When the variable names none of them, saying which it may.
    """
    value = os.environ.get(variable, "").strip().lower() or default
    if value not in choices:
        msg = f"{variable}={value!r}: choose one of {', '.join(choices)}."
        raise ValueError(msg)
    return value
