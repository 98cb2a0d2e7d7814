"""Reading a partner's file safely: whole, never memory-mapped, and again when it changes meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from svd_geo.base.errors import DataValidationError

FileVersion = tuple[Path, int, int]
Result = TypeVar("Result")
_READ_ATTEMPTS = 3


def file_version(path: Path) -> FileVersion:
    """Return what a file is now: its resolved path, size in bytes and modification time in ns.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    tuple of (Path, int, int)
        The version.
    """
    stat = path.stat()
    return path.resolve(), stat.st_size, stat.st_mtime_ns


def _unreadable(path: Path, err: OSError) -> DataValidationError:
    msg = f"{path.name}: cannot read the file ({err}); check that it exists and can be read."
    return DataValidationError(msg)


def _changed_while_read(path: Path) -> DataValidationError:
    msg = (
        f"{path.name}: the file changed while it was read ({_READ_ATTEMPTS} tries); wait until it "
        "has been copied or exported in full, then try again."
    )
    return DataValidationError(msg)


def read_stable_bytes(path: Path) -> tuple[FileVersion, bytes]:
    """Return a file's bytes, read whole, with the version (size, modification time) they are of.

    The file is read, never memory-mapped: a mapped file that a partner's copy
    rewrites while it is parsed kills the process with SIGBUS.  A file whose size
    or modification time changed during the read (still being copied into place)
    is read again, up to three times.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    tuple of (Path, int, int) and bytes
        The resolved path, size and modification time in ns that the bytes are of; the bytes.

    Raises
    ------
    DataValidationError
        When the file keeps changing while it is read, or cannot be read.
    """
    return read_unchanged(path, Path.read_bytes, complete=lambda data, size: len(data) == size)


def read_unchanged(
    path: Path,
    read: Callable[[Path], Result],
    *,
    complete: Callable[[Result, int], bool] = lambda _result, _size: True,
) -> tuple[FileVersion, Result]:
    """Read a file with ``read`` until its version is the same after the read as before it.

    ``complete`` also checks what was read against the file's size in bytes.
    Up to three tries; an OSError is reported naming the file.

    Parameters
    ----------
    path : Path
        The file.
    read : callable
        Reads it (bytes, or a parsed table).
    complete : callable, optional
        Takes what was read and the file's size in bytes; False reads again.

    Returns
    -------
    tuple
        The version the result is of, and the result.

    Raises
    ------
    DataValidationError
        When the file keeps changing while it is read, or cannot be read.
    """
    try:
        for _ in range(_READ_ATTEMPTS):
            before = file_version(path)
            result = read(path)
            if file_version(path) == before and complete(result, before[1]):
                return before, result
    except OSError as err:
        raise _unreadable(path, err) from err
    raise _changed_while_read(path)
