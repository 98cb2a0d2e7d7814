"""Zip files from partners, opened safely: every entry checked before a byte is decompressed.

A zip states each entry's name and sizes in its central directory, which is read
without decompressing anything.  An entry is refused when its name could leave the
folder it is extracted to (``..``, an absolute path, a drive letter), when the
archive holds too many entries or declares more than :func:`input_limit_bytes`, or
when an entry expands more than :data:`MAX_RATIO` times (a zip bomb: 2 GiB of
zeros packs into 2 MB).  Declared sizes can lie, so reading stops at the declared
size too.  Entries are read into memory or copied into a folder the app made;
no entry name ever reaches GDAL as a path.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path, PurePosixPath

from svd_geo.base.errors import DataValidationError

MAX_ENTRIES = 5_000
"""More entries than police.uk's zip of three years of monthly folders for every force."""

MAX_RATIO = 100
"""Largest expansion of an entry over 1 MiB: CSV text packs 5-15 times, a zip bomb a thousand."""

_RATIO_FROM_BYTES = 2**20
_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK_BYTES = 2**20


def input_limit_bytes() -> int:
    """Return the largest file (or zip content) an import reads: ``SVD_GEO_MAX_INPUT_MB``, default 1024.

    Returns
    -------
    int
        The limit in bytes.
    """
    return int(float(os.environ.get("SVD_GEO_MAX_INPUT_MB", "1024")) * 2**20)


def limit_words() -> str:
    """Return the input limit and how to raise it, for messages.

    Returns
    -------
    str
        E.g. "1,024 MB (set SVD_GEO_MAX_INPUT_MB to raise it)".
    """
    return f"{input_limit_bytes() / 2**20:,.0f} MB (set SVD_GEO_MAX_INPUT_MB to raise it)"


def _unsafe_name(name: str) -> str | None:
    """Say why an entry name could escape its folder, or None when it is safe."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if "\x00" in name:
        return "holds a NUL character"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "is an absolute path"
    if ".." in parts:
        return "climbs out of the folder with '..'"
    return None


def checked_entries(path: Path) -> list[zipfile.ZipInfo]:
    """Return a zip's file entries once every one is checked, from its directory alone.

    Parameters
    ----------
    path : Path
        The zip file.

    Returns
    -------
    list of zipfile.ZipInfo
        The file entries (folders left out), in the archive's order.

    Raises
    ------
    DataValidationError
        Naming the entry and the fix: an unsafe name, an encrypted entry, too many
        entries, too much declared content, or an entry that expands too far.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            entries = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError) as err:
        msg = f"{path.name}: not a readable zip file ({err}); download or zip it again."
        raise DataValidationError(msg) from err
    if len(entries) > MAX_ENTRIES:
        msg = f"{path.name}: the zip holds {len(entries):,} files, over {MAX_ENTRIES:,}; send fewer at once."
        raise DataValidationError(msg)
    for info in entries:
        _check_entry(path, info)
    declared = sum(info.file_size for info in entries)
    if declared > input_limit_bytes():
        msg = (
            f"{path.name}: the zip's files add up to {declared / 2**20:,.0f} MB unpacked, more than the "
            f"limit of {limit_words()}; split the export into smaller files."
        )
        raise DataValidationError(msg)
    return entries


def _check_entry(path: Path, info: zipfile.ZipInfo) -> None:
    why = _unsafe_name(info.filename)
    if why:
        msg = f"{path.name}: entry {info.filename!r} {why}; zip the files again from inside their folder."
        raise DataValidationError(msg)
    if info.flag_bits & 0x1:
        msg = f"{path.name}: entry {info.filename!r} is encrypted; zip it again without a password."
        raise DataValidationError(msg)
    if info.file_size > _RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        msg = (
            f"{path.name}: entry {info.filename!r} would expand {ratio:,.0f} times "
            f"({info.compress_size:,} bytes to {info.file_size:,}), more than any data file does "
            f"(at most {MAX_RATIO}); it looks like a zip bomb, so nothing was read. Send the files."
        )
        raise DataValidationError(msg)


def read_entry(path: Path, info: zipfile.ZipInfo) -> bytes:
    """Read one checked entry, refusing it when it holds more than it declared.

    Parameters
    ----------
    path : Path
        The zip file.
    info : zipfile.ZipInfo
        An entry from :func:`checked_entries`.

    Returns
    -------
    bytes
        The entry's content.

    Raises
    ------
    DataValidationError
        When the entry unpacks to more than its declared size, or is corrupt.
    """
    chunks, size = [], 0
    try:
        with zipfile.ZipFile(path) as archive, archive.open(info) as member:
            while chunk := member.read(_CHUNK_BYTES):
                size += len(chunk)
                if size > info.file_size:
                    msg = (
                        f"{path.name}: entry {info.filename!r} holds more than it declares; nothing was read."
                    )
                    raise DataValidationError(msg)
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        msg = f"{path.name}: entry {info.filename!r} is damaged ({err}); download or zip it again."
        raise DataValidationError(msg) from err
    return b"".join(chunks)


def safe_file_name(name: str) -> str:
    """Return a name's last part, only letters, digits, ``.``, ``_`` and ``-`` ("upload" when empty).

    A partner's file or zip entry name may hold folders (either slash), spaces or
    anything else; the copy the app writes is named by this instead.

    Parameters
    ----------
    name : str
        The name as given.

    Returns
    -------
    str
        A name safe to write in a folder the app made.
    """
    base = PurePosixPath(name.replace("\\", "/")).name or "upload"
    return re.sub(r"[^A-Za-z0-9._-]", "_", base)


def extract_entries(path: Path, entries: list[zipfile.ZipInfo], folder: Path) -> list[Path]:
    """Copy checked entries into a folder the app made, each under its own base name.

    Parameters
    ----------
    path : Path
        The zip file.
    entries : list of zipfile.ZipInfo
        Entries from :func:`checked_entries` (their base names must differ).
    folder : Path
        An empty folder the app created.

    Returns
    -------
    list of Path
        The copies, in the order given.
    """
    copies = []
    for info in entries:
        copy = folder / safe_file_name(info.filename)
        copy.write_bytes(read_entry(path, info))
        copies.append(copy)
    return copies
