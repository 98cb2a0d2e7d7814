"""Registry of open data files: what they are, and where to find them.

The registry (``boundaries/registry.toml``) lists each boundary layer and area
statistic with its URL or mirror path and sha256.  :func:`fetch_file` finds a
file in the cache, then the offline mirror, then by download, and always checks
the sha256.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import threading
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from svd_geo.base.config import Config
from svd_geo.base.errors import ChecksumError, DataValidationError, SourceUnavailableError

logger = logging.getLogger(__name__)

Kind = Literal["boundary", "table", "harm"]
_READ_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class DistrictLookup:
    """A table that gives each feature of a layer its district code."""

    table: str
    code_field: str
    district_field: str


@dataclass(frozen=True)
class RegistryEntry:
    """One registered file: a boundary layer, a table of area statistics or of harm weights.

    ``citation`` is the reference to give wherever the file's values are used;
    ``redistributable`` is false for a file that may be downloaded for the user
    but never bundled (the Cambridge Crime Harm Index).
    """

    id: str
    kind: Kind
    vintage: int
    sha256: str
    code_field: str
    name_field: str
    licence: str
    attribution: str
    districts: tuple[str, ...]
    level: str | None = None
    topic: str | None = None
    url: str | None = None
    mirror_path: str | None = None
    layer: str | None = None
    declared_crs: str | None = None
    district_field: str | None = None
    district_lookup: DistrictLookup | None = None
    value_field: str | None = None
    citation: str | None = None
    redistributable: bool = True

    @property
    def relative_path(self) -> str:
        """Path of the file below the mirror (and the cache)."""
        if self.mirror_path:
            return self.mirror_path
        return urlsplit(self.url or "").path.lstrip("/")

    @property
    def file_name(self) -> str:
        """Base name of the file."""
        return Path(self.relative_path).name

    def covers(self, district_code: str) -> bool:
        """Return whether the file holds areas of ``district_code``.

        Parameters
        ----------
        district_code : str
            An ONS district code.

        Returns
        -------
        bool
            Whether it is covered.
        """
        return "*" in self.districts or district_code in self.districts


def _parse_entry(raw: dict[str, Any], licences: dict[str, Any], path: Path) -> RegistryEntry:
    entry_id = raw.get("id", "?")
    required = ("id", "kind", "vintage", "sha256", "code_field", "name_field", "districts")
    missing = [name for name in required if name not in raw]
    if not (raw.get("url") or raw.get("mirror_path")):
        missing.append("url or mirror_path")
    if missing:
        msg = f"{path.name}: layer {entry_id!r} lacks {', '.join(missing)}; add them to the entry."
        raise DataValidationError(msg)
    licence_ref = raw.get("licence_ref")
    licence = licences.get(licence_ref, {}) if licence_ref else raw
    if "licence" not in licence or "attribution" not in licence:
        msg = (
            f"{path.name}: layer {entry_id!r} has no licence and attribution; give "
            "licence_ref naming a [licences] entry, or licence and attribution."
        )
        raise DataValidationError(msg)
    lookup = raw.get("district_lookup")
    return RegistryEntry(
        id=raw["id"],
        kind=raw["kind"],
        vintage=int(raw["vintage"]),
        sha256=raw["sha256"].lower(),
        code_field=raw["code_field"],
        name_field=raw["name_field"],
        licence=licence["licence"],
        attribution=licence["attribution"],
        districts=tuple(raw["districts"]),
        level=raw.get("level"),
        topic=raw.get("topic"),
        url=raw.get("url"),
        mirror_path=raw.get("mirror_path"),
        layer=raw.get("layer"),
        declared_crs=raw.get("declared_crs"),
        district_field=raw.get("district_field"),
        district_lookup=DistrictLookup(**lookup) if lookup else None,
        value_field=raw.get("value_field"),
        citation=raw.get("citation"),
        redistributable=bool(raw.get("redistributable", True)),
    )


def load_registry(config: Config) -> dict[str, RegistryEntry]:
    """Read the registry file named by ``config.registry_path``.

    Parameters
    ----------
    config : Config
        Settings; only ``registry_path`` is used.

    Returns
    -------
    dict of str to RegistryEntry
        Entries by id, in file order.

    Raises
    ------
    DataValidationError
        When the file is not valid TOML, or an entry lacks a required field or
        repeats an id.
    """
    path = config.registry_path
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        msg = f"{path}: cannot read the registry ({err}); restore it from git."
        raise DataValidationError(msg) from err
    licences = document.get("licences", {})
    entries: dict[str, RegistryEntry] = {}
    for raw in document.get("layer", []):
        entry = _parse_entry(raw, licences, path)
        if entry.id in entries:
            msg = f"{path.name}: layer id {entry.id!r} appears twice; ids must be unique."
            raise DataValidationError(msg)
        entries[entry.id] = entry
    return entries


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file, read in chunks.

    Remembered while the file keeps its size and modification time: an import
    records it and the export's metadata names it again (0.1 s a time for a
    million-row CSV).

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    str
        The hex digest.
    """
    stat = path.stat()
    with _hashing:
        return _sha256_of_version(path.resolve(), stat.st_size, stat.st_mtime_ns)


# One file hashed at a time: a second caller (the import, while the command line's
# read-ahead still hashes the file) waits for the first and takes its result.
_hashing = threading.Lock()


@lru_cache(maxsize=64)
def _sha256_of_version(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_READ_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _verified(path: Path, entry: RegistryEntry) -> Path:
    found = sha256_of(path)
    if found != entry.sha256:
        msg = (
            f"{path}: sha256 {found} does not match {entry.sha256} registered for "
            f"{entry.id!r}. The file is damaged or a different version: delete it, or "
            "update the registry entry if the new version is intended."
        )
        raise ChecksumError(msg)
    return path


def _download(entry: RegistryEntry, target: Path, timeout_s: float) -> Path:
    import urllib.request  # here: with http and email it takes 50 ms of every command's start

    assert entry.url is not None
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    logger.info("downloading %s", entry.url)
    with (
        urllib.request.urlopen(entry.url, timeout=timeout_s) as response,  # noqa: S310
        partial.open("wb") as handle,
    ):
        shutil.copyfileobj(response, handle)
    try:
        _verified(partial, entry)
    except ChecksumError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return target


def fetch_file(entry: RegistryEntry, config: Config) -> Path:
    """Return a local path to a registered file whose sha256 has been checked.

    Looks in ``config.cache_dir``, then ``config.mirror_dir``, then downloads
    ``entry.url`` into the cache when ``config.allow_download`` is set.

    Parameters
    ----------
    entry : RegistryEntry
        The registered file.
    config : Config
        Settings naming the cache, the mirror and whether to download.

    Returns
    -------
    Path
        A readable file whose content matches ``entry.sha256``.

    Raises
    ------
    ChecksumError
        When the file found differs from the registered sha256.
    SourceUnavailableError
        When no copy is found and none can be downloaded.
    """
    cached = config.cache_dir / entry.relative_path
    looked = [f"cache {cached}"]
    if cached.is_file():
        return _verified(cached, entry)
    if config.mirror_dir is not None:
        mirrored = config.mirror_dir / entry.relative_path
        looked.append(f"mirror {mirrored}")
        if mirrored.is_file():
            return _verified(mirrored, entry)
    else:
        looked.append("mirror (SVD_GEO_MIRROR is not set)")
    if entry.url and config.allow_download:
        looked.append(f"download {entry.url}")
        try:
            return _download(entry, cached, config.download_timeout_s)
        except OSError as err:  # urllib's URLError is one
            looked[-1] += f" ({err})"
    elif entry.url:
        looked.append("download (turned off by SVD_GEO_OFFLINE)")
    else:
        looked.append("download (no public URL: this file comes only from the mirror)")
    msg = (
        f"{entry.id} ({entry.file_name}) is not available. Looked in: "
        + "; ".join(looked)
        + ". Set SVD_GEO_MIRROR to a folder holding the open-data mirror, or connect to the "
        "internet once so the file is cached."
    )
    raise SourceUnavailableError(msg)
