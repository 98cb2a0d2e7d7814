"""Import esda and mapclassify as plain Python, even though numba is installed.

Both compile code with numba whenever numba can be imported, and neither caches
it: esda.crand's permutation engine costs 28 s of compilation in every process
that runs its first Gi*, and mapclassify compiles Fisher-Jenks (which svd-geo
does not use) at import, 2.8 s on every dashboard start (measured on this
machine).  numba is here for the DBSCAN sweep (:mod:`svd_geo.methods._dbscan`), so these
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
def _numba_hidden(*, libpysal_jit: bool) -> Iterator[None]:
    saved_module = sys.modules.get("numba")
    restore: list[Callable[[], None]] = []
    if libpysal_jit:  # esda falls back to libpysal's jit, which is numba's when numba was importable
        import libpysal.common

        saved_jit = libpysal.common.jit
        libpysal.common.jit = _plain_jit
        restore.append(lambda: setattr(libpysal.common, "jit", saved_jit))
    sys.modules["numba"] = None  # type: ignore[assignment]  # makes `import numba` raise ImportError
    try:
        yield
    finally:
        for undo in restore:
            undo()
        if saved_module is None:
            del sys.modules["numba"]
        else:
            sys.modules["numba"] = saved_module


def import_esda() -> None:
    """Import esda with its permutation engine in plain Python, once per process (before any esda import)."""
    if "esda.crand" not in sys.modules:
        # esda no longer imports mapclassify (whose scipy.stats, matplotlib and
        # scikit-learn imports took 2 s of the first Gi*); if a version does, it is
        # imported here with numba hidden all the same.
        with _numba_hidden(libpysal_jit=True):
            import esda.crand
            import esda.getisord  # noqa: F401


def import_mapclassify() -> None:
    """Import mapclassify without numba, once per process (before any mapclassify import).

    Kept apart from :func:`import_esda`: a map needs mapclassify only, and
    libpysal (which esda needs) takes 1.6 s to import.
    """
    if "mapclassify" not in sys.modules:
        with _numba_hidden(libpysal_jit=False):
            import mapclassify  # noqa: F401


def import_without_numba() -> None:
    """Import both esda and mapclassify in plain Python (for tests that import them directly)."""
    import_mapclassify()
    import_esda()
