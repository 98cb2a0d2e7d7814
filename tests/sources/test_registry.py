"""svd_geo.sources.registry."""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from svd_geo.base.errors import ChecksumError, DataValidationError, SourceUnavailableError
from svd_geo.sources.registry import fetch_file, load_registry, sha256_of


def mirror_sums(mirror_dir: Path) -> dict[str, str]:
    sums = {}
    for line in (mirror_dir / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        sums[name.removeprefix("./")] = digest
    return sums


@pytest.fixture
def served_registry(config, mirror_dir, tmp_path):
    """A registry whose one entry is downloaded from a loopback HTTP server."""
    source = mirror_dir / "derived" / "boundaries_ltla24_ashfield_mansfield.geojson"
    served = tmp_path / "served" / "files"
    served.mkdir(parents=True)
    shutil.copy(source, served / "districts.geojson")
    handler = functools.partial(QuietHandler, directory=str(served.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    registry = tmp_path / "registry.toml"
    registry.write_text(
        f"""
[[layer]]
id = "served"
kind = "boundary"
level = "district"
vintage = 2024
districts = ["E07000170"]
url = "http://127.0.0.1:{server.server_port}/files/districts.geojson"
sha256 = "{sha256_of(source)}"
code_field = "ltla24_code"
name_field = "ltla24_name"
licence = "OGL"
attribution = "test"
"""
    )
    online = replace(
        config,
        registry_path=registry,
        mirror_dir=None,
        cache_dir=tmp_path / "cache",
        allow_download=True,
        download_timeout_s=5,
    )
    yield online, served / "districts.geojson"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def test_checksum_is_remembered_only_while_the_file_is_unchanged(tmp_path):
    path = tmp_path / "partner.csv"
    path.write_bytes(b"a,b\n1,2\n")
    first = sha256_of(path)
    assert first == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    path.write_bytes(b"a,b\n1,3\n")  # same size: the modification time tells
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert sha256_of(path) == hashlib.sha256(b"a,b\n1,3\n").hexdigest()


def test_every_entry_matches_the_mirror_checksums(config, mirror_dir):
    sums = mirror_sums(mirror_dir)
    entries = load_registry(config)
    # Every boundary and statistics file is registered; the licence text and the police.uk
    # sample (incident data, read by path) are not registry entries.
    data_files = {name for name in sums if not name.endswith("licence") and not name.startswith("policeuk/")}
    assert {e.relative_path for e in entries.values()} == data_files
    for entry in entries.values():
        assert sums[entry.relative_path] == entry.sha256, entry.id
        assert entry.licence and entry.attribution


def test_registry_covers_the_required_layers(config):
    entries = load_registry(config).values()
    kinds = {(e.kind, e.level or e.topic, e.vintage) for e in entries}
    for wanted in [
        ("boundary", "ward", 2013),
        ("boundary", "lsoa", 2011),
        ("boundary", "msoa", 2011),
        ("boundary", "oa", 2011),
        ("boundary", "district", 2013),
        ("boundary", "lsoa", 2021),
        ("boundary", "ward", 2022),
        ("table", "imd", 2019),
        ("table", "domains", 2019),
        ("table", "population", 2015),
        ("table", "imd", 2025),
        ("table", "population", 2020),
    ]:
        assert wanted in kinds


def test_fetch_reads_the_mirror_offline(config, mirror_dir):
    entry = load_registry(config)["wards-2013-E07000170"]
    path = fetch_file(entry, config)
    assert path == mirror_dir / entry.relative_path


def test_cache_comes_before_the_mirror(config, tmp_path):
    entry = load_registry(config)["wards-2013-E07000170"]
    cached = config.cache_dir / entry.relative_path
    cached.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(fetch_file(entry, config), cached)
    try:
        assert fetch_file(entry, config) == cached
    finally:
        cached.unlink()


def test_sha256_mismatch_is_refused(config, mirror_dir, tmp_path):
    entry = load_registry(config)["wards-2013-E07000170"]
    fake_mirror = tmp_path / "mirror"
    target = fake_mirror / entry.relative_path
    target.parent.mkdir(parents=True)
    target.write_bytes((mirror_dir / entry.relative_path).read_bytes() + b" ")
    with pytest.raises(ChecksumError, match=r"E07000170\.json: sha256 .* does not match"):
        fetch_file(entry, replace(config, mirror_dir=fake_mirror))


def test_nothing_available_says_where_it_looked(config, tmp_path):
    entry = load_registry(config)["wards-2013-E07000170"]
    bare = replace(config, mirror_dir=None, cache_dir=tmp_path / "cache")
    with pytest.raises(
        SourceUnavailableError, match=r"Looked in: cache .*SVD_GEO_MIRROR is not set.*turned off"
    ):
        fetch_file(entry, bare)


def test_mirror_only_entry_cannot_be_downloaded(config, tmp_path):
    entry = load_registry(config)["wards-2022-ashfield-mansfield"]
    bare = replace(config, mirror_dir=tmp_path, allow_download=True)
    with pytest.raises(SourceUnavailableError, match="no public URL"):
        fetch_file(entry, bare)


def test_download_goes_to_the_cache(served_registry):
    online, _ = served_registry
    entry = load_registry(online)["served"]
    path = fetch_file(entry, online)
    assert path == online.cache_dir / "files" / "districts.geojson"
    assert sha256_of(path) == entry.sha256
    assert fetch_file(entry, online) == path


def test_download_with_wrong_checksum_is_refused_and_not_cached(served_registry):
    online, served_file = served_registry
    served_file.write_bytes(served_file.read_bytes() + b"\n")
    entry = load_registry(online)["served"]
    with pytest.raises(ChecksumError, match="does not match"):
        fetch_file(entry, online)
    assert not list(online.cache_dir.rglob("*.geojson*"))


def test_entry_without_location_is_refused(config, tmp_path):
    registry = tmp_path / "registry.toml"
    registry.write_text(
        '[[layer]]\nid = "x"\nkind = "table"\nvintage = 1\nsha256 = "a"\ncode_field = "c"\nname_field = "n"\ndistricts = ["*"]\nlicence = "l"\nattribution = "a"\n'
    )
    with pytest.raises(DataValidationError, match="layer 'x' lacks url or mirror_path"):
        load_registry(replace(config, registry_path=registry))


def test_harm_tables_are_registered_with_their_terms(config, mirror_dir):
    entries = {e.topic: e for e in load_registry(config).values() if e.kind == "harm"}
    assert set(entries) == {"css", "cchi"}
    css, cchi = entries["css"], entries["cchi"]
    assert (
        css.attribution
        == "Source: Office for National Statistics licensed under the Open Government Licence v3.0"
    )
    assert cchi.attribution == "© Cambridge Centre for Evidence-Based Policing 2020"
    assert css.redistributable and not cchi.redistributable
    assert cchi.citation is not None and "doi:10.1093/police/paw003" in cchi.citation
    for entry in (css, cchi):
        assert entry.url is not None and entry.url.startswith("https://")
        assert fetch_file(entry, config) == mirror_dir / entry.relative_path
