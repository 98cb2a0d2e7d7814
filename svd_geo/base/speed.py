"""Every speed and memory trick of svd-geo, each with the reason measured for it; none changes a result.

- **numba hidden while esda and mapclassify import** (:func:`import_esda`,
  :func:`import_mapclassify`).  Both compile with numba whenever it can be
  imported, and neither caches it: esda.crand's permutation engine cost 28 s of
  compilation in every process that ran its first Gi*, and mapclassify compiled
  Fisher-Jenks (unused here) at import, 2.8 s on every dashboard start.  numba is
  here for the DBSCAN sweep (:mod:`svd_geo.methods._dbscan`); these two run the
  plain Python code path they run and test when numba is not installed.  Measured
  again: importing mapclassify took 3.4-3.9 s with numba visible, 1.7-2.5 s hidden.
- **Work started ahead in the background** (:func:`start_ahead`,
  :func:`take_ahead`).  The command line parses and checksums its input CSV on
  one thread while the main one imports pandas and the geospatial libraries,
  which takes about as long (1.5 s of a 3 s KDE on a million rows).
- **One long-lived projection thread** (:func:`on_projection_thread`).  pyproj
  sets PROJ up per thread and Streamlit runs each rerun in a new thread: 70 ms a
  map until one thread did all the projecting.  Measured again: the study area's
  LSOAs projected from a new thread took 25 ms there, 6 ms through this thread.
- **The garbage collector told what stays** (:func:`freeze_what_is_loaded`).
  After loading a million incidents (a Python object per point) each full pass
  took 0.14 s and stalled a dashboard rerun now and then; at the command line's
  exit the interpreter's last collections took 0.3 s after the output was written
  (measured again: KDE of the million-row police.uk CSV, median of five, 1.18 s
  with the freeze against 1.32 s without).
- **inspect's module index built before the first visitor**
  (:func:`index_loaded_modules`).  Declaring streamlit-folium's component asks
  ``inspect.getmodule`` for its caller, whose first lookup by file indexes every
  loaded module: 0.5 s on the first visit.
- **Lookups read in the background** (:func:`start_in_background`): boundaries
  and populations are read after the first page is drawn, so the first option
  change does not pay for them.
- **Two malloc arenas in the dashboard's server** (:func:`limit_malloc_arenas`).
  Streamlit runs each rerun in a new thread, and glibc gives threads arenas of
  their own, up to eight a core, each keeping the freed arrays of the reruns it
  served.  At five million incidents the app server's resident memory grew by
  100-160 MB a filter change (758 MB to 1,158 MB in three); with two arenas it
  stayed under 870 MB, peak 915 MB, over five.
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import gc
import inspect
import sys
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

Result = TypeVar("Result")


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


_ahead: dict[Hashable, concurrent.futures.Future[Any]] = {}


def start_ahead(
    key: Hashable, work: Callable[..., Any], *args: Any, then: Callable[[], object] | None = None
) -> None:
    """Start ``work(*args)`` on a thread of its own, for :func:`take_ahead` with the same key.

    What it returns waits under ``key``; the thread then runs ``then()`` (whose
    result is dropped) and ends.

    Parameters
    ----------
    key : hashable
        What the result will be asked for by (e.g. a file and its version).
    work : callable
        The work; an exception it raises is kept and dropped by :func:`take_ahead`.
    *args
        Its arguments.
    then : callable, optional
        More work for the same thread, after ``work`` (e.g. what its result's user
        needs later, such as a checksum).
    """
    worker = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="svd-geo-ahead")
    _ahead[key] = worker.submit(work, *args)
    if then is not None:
        worker.submit(then)
    worker.shutdown(wait=False)


def take_ahead(key: Hashable) -> Any | None:
    """Return (once) what the work started under ``key`` gave, waiting for it; None if none or it failed.

    Parameters
    ----------
    key : hashable
        The key given to :func:`start_ahead`.

    Returns
    -------
    object or None
        The work's result; None when no work was started, or it raised (the
        caller then does the work itself and meets the error there).
    """
    pending = _ahead.pop(key, None)
    if pending is None or pending.exception() is not None:
        return None
    return pending.result()


_PROJECTOR = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="svd-geo-project")


def on_projection_thread(work: Callable[..., Result], *args: Any) -> Result:
    """Run ``work(*args)`` on the one long-lived projection thread, and return what it returns.

    Parameters
    ----------
    work : callable
        Work that uses pyproj.
    *args
        Its arguments.

    Returns
    -------
    object
        The work's result (its exception is raised here).
    """
    return _PROJECTOR.submit(work, *args).result()


_M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter for the most arenas (malloc.h)."""


def limit_malloc_arenas(count: int = 2) -> bool:
    """Let glibc's malloc keep at most ``count`` arenas for the threads started from now on.

    Parameters
    ----------
    count : int, default 2
        The most arenas.

    Returns
    -------
    bool
        False where the C library has no ``mallopt`` (not glibc), and nothing changed.
    """
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)  # the C library the interpreter runs on
    return bool(mallopt is not None and mallopt(_M_ARENA_MAX, count) == 1)


def freeze_what_is_loaded() -> None:
    """Keep every object alive now out of the garbage collector's full passes (they stay collectable)."""
    gc.freeze()


def index_loaded_modules() -> None:
    """Build ``inspect``'s index of loaded modules by file, which its first ``getmodule`` lookup builds."""
    inspect.getmodule(inspect.currentframe())


def start_in_background(work: Callable[..., object], *args: Any, name: str) -> threading.Thread:
    """Start ``work(*args)`` on a daemon thread and return the thread.

    Parameters
    ----------
    work : callable
        The work; what it returns is dropped.
    *args
        Its arguments.
    name : str
        The thread's name.

    Returns
    -------
    threading.Thread
        The started thread.
    """
    thread = threading.Thread(target=work, args=args, name=name, daemon=True)
    thread.start()
    return thread
