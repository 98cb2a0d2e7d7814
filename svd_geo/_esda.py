"""Import esda's permutation engine as plain Python, even though numba is installed.

esda.crand compiles its conditional randomisation with numba whenever numba
can be imported, without caching: 28 s of compilation in every process that
runs its first Gi* (measured on this machine), for a test that takes
milliseconds in plain NumPy.  numba is here for the DBSCAN sweep
(:mod:`svd_geo._dbscan`), so esda is imported with numba hidden, which is the
code path esda runs and tests when numba is not installed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def _plain_jit(function: Callable[..., Any] | None = None, **_options: Any) -> Any:
    """Stand in for ``numba.jit``: return the function unchanged, with or without options."""
    if function is None:
        return lambda inner: inner
    return function


@contextmanager
def _numba_hidden() -> Iterator[None]:
    import libpysal.common

    saved_module = sys.modules.get("numba")
    saved_jit = libpysal.common.jit
    sys.modules["numba"] = None  # type: ignore[assignment]  # makes `import numba` raise ImportError
    libpysal.common.jit = _plain_jit  # esda falls back to this decorator
    try:
        yield
    finally:
        libpysal.common.jit = saved_jit
        if saved_module is None:
            del sys.modules["numba"]
        else:
            sys.modules["numba"] = saved_module


def import_esda() -> None:
    """Import esda with its permutation engine in plain Python (once per process)."""
    if "esda.crand" in sys.modules:
        return
    with _numba_hidden():
        import esda.crand
        import esda.getisord  # noqa: F401
