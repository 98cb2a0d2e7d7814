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


_ARENAS_USED = """
import ctypes, os, sys, tempfile, threading
sys.path.insert(0, {root!r})
from svd_geo.base.speed import limit_malloc_arenas
print(limit_malloc_arenas(2) if sys.argv[1] == "limited" else "unlimited")
started = threading.Barrier(8)
kept = []
def allocate():
    started.wait()
    kept.append([bytearray(50_000) for _ in range(200)])  # malloc'd, not pymalloc'd
threads = [threading.Thread(target=allocate) for _ in range(8)]
for thread in threads: thread.start()
for thread in threads: thread.join()
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "info.xml").encode()
    stream = libc.fopen(path, b"w")
    libc.malloc_info(0, ctypes.c_void_p(stream))
    libc.fclose(ctypes.c_void_p(stream))
    print(open(path).read().count("<heap nr="))
"""


def test_malloc_arenas_are_limited_for_the_threads_started_after(tmp_path):
    """Each Streamlit rerun's thread kept an arena of its own: 100-160 MB more a change at 5M rows."""
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "arenas.py"
    script.write_text(_ARENAS_USED.format(root=str(Path(__file__).resolve().parents[2])))
    counts = {}
    for way in ("limited", "unlimited"):
        done = subprocess.run([sys.executable, str(script), way], capture_output=True, text=True, check=True)
        said, arenas = done.stdout.split()
        counts[way] = (said, int(arenas))
    assert counts["limited"] == ("True", 2)
    assert counts["unlimited"][1] > 2
