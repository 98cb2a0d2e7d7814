"""svd_geo.base.speed."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import shapely

from svd_geo.base.speed import on_projection_thread, start_ahead, start_in_background, take_ahead


def test_esda_and_mapclassify_run_as_plain_python_while_numba_stays_importable():
    """esda would spend ~28 s compiling with numba in every process, mapclassify 2.8 s at import."""
    import esda.crand
    import mapclassify.classifiers
    import numba

    assert esda.crand.prange is range
    assert not hasattr(esda.crand.compute_chunk, "py_func")
    assert mapclassify.classifiers.HAS_NUMBA is False
    assert callable(numba.njit)


def test_work_started_ahead_is_taken_once_and_its_failure_left_to_the_caller():
    done = threading.Event()
    start_ahead(("key", 1), lambda a, b: a + b, 2, 3, then=done.set)
    assert take_ahead(("key", 1)) == 5
    assert done.wait(5)
    assert take_ahead(("key", 1)) is None  # taken once
    start_ahead(("key", 2), lambda: 1 / 0)
    assert take_ahead(("key", 2)) is None
    assert take_ahead(("never started",)) is None


def test_the_projection_thread_returns_what_the_work_returns_and_raises_its_errors():
    names = {on_projection_thread(lambda: threading.current_thread().name) for _ in range(3)}
    assert len(names) == 1 and names != {threading.current_thread().name}
    points = np.array([shapely.Point(1, 2)], dtype=object)
    assert on_projection_thread(shapely.get_x, points).tolist() == [1.0]
    with pytest.raises(ZeroDivisionError):
        on_projection_thread(lambda: 1 / 0)


def test_background_work_runs_on_a_daemon_thread():
    ran = threading.Event()
    thread = start_in_background(ran.set, name="svd-geo-test")
    thread.join(5)
    assert ran.is_set() and thread.daemon and thread.name == "svd-geo-test"
