"""Import esda and mapclassify as plain Python, even though numba is installed.

Both compile code with numba whenever numba can be imported, and neither caches
it: esda.crand's permutation engine costs 28 s of compilation in every process
that runs its first Gi*, and mapclassify compiles Fisher-Jenks (which svd-geo
does not use) at import, 2.8 s on every dashboard start (measured on this
machine).  numba is here for the DBSCAN sweep (:mod:`svd_geo._dbscan`), so these
two are imported with numba hidden: the code path each runs and tests when
numba is not installed.
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


def import_without_numba() -> None:
    """Import esda (with its permutation engine) and mapclassify in plain Python, once per process.

    Call it before importing either; a module another import has already loaded
    stays as it is.
    """
    if "esda.crand" in sys.modules and "mapclassify" in sys.modules:
        return
    with _numba_hidden():
        import esda.crand
        import esda.getisord  # noqa: F401
        import mapclassify  # noqa: F401
