"""svd_geo.base.config."""

from __future__ import annotations

from pathlib import Path

from svd_geo.base.config import DEFAULT_DISTRICTS, OSM_ATTRIBUTION, OSM_TILES_URL, PROJECT_ROOT, Config


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SVD_GEO_STORE", str(tmp_path / "shared.gpkg"))
    monkeypatch.setenv("SVD_GEO_MIRROR", str(tmp_path / "mirror"))
    monkeypatch.setenv("SVD_GEO_OFFLINE", "1")
    monkeypatch.setenv("SVD_GEO_DISTRICTS", " E07000170 , E07000171 ,")
    monkeypatch.setenv("SVD_GEO_TILES_URL", "https://tiles.example.gov.uk/{z}/{x}/{y}.png")
    monkeypatch.setenv("SVD_GEO_TILES_ATTRIBUTION", "© Example Council")
    config = Config()
    assert config.store_path == tmp_path / "shared.gpkg"
    assert config.mirror_dir == tmp_path / "mirror"
    assert config.allow_download is False
    assert config.districts == ("E07000170", "E07000171")
    assert config.tiles_url.startswith("https://tiles.example.gov.uk/")
    assert config.tiles_attribution == "© Example Council"


def test_defaults_are_the_checkout_the_two_districts_and_openstreetmap(monkeypatch):
    for name in ("SVD_GEO_STORE", "SVD_GEO_MIRROR", "SVD_GEO_OFFLINE", "SVD_GEO_DISTRICTS",
                 "SVD_GEO_TILES_URL", "SVD_GEO_TILES_ATTRIBUTION"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    config = Config()
    assert config.store_path == PROJECT_ROOT / "data" / "store.gpkg"
    assert config.mirror_dir is None and config.allow_download is True
    assert config.districts == DEFAULT_DISTRICTS == ("E07000170", "E07000174")
    assert (config.tiles_url, config.tiles_attribution) == (OSM_TILES_URL, OSM_ATTRIBUTION)
    assert isinstance(config.registry_path, Path) and config.registry_path.name == "registry.toml"


def test_the_small_count_threshold_and_rounding_are_set_for_a_deployment(monkeypatch):
    import pytest

    monkeypatch.setenv("SVD_GEO_SMALL_COUNT", "8")
    monkeypatch.setenv("SVD_GEO_ROUND_COUNTS_TO", "5")
    config = Config()
    assert (config.small_count_threshold, config.round_counts_to) == (8, 5)
    monkeypatch.setenv("SVD_GEO_SMALL_COUNT", "1")
    with pytest.raises(ValueError, match="SVD_GEO_SMALL_COUNT='1': give a whole number of at least 2"):
        Config()
