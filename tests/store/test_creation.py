"""svd_geo.store.creation."""

from __future__ import annotations

import pyogrio

from svd_geo.store.backends import open_store


def test_new_store_is_a_geopackage_with_the_layers(config):
    store = open_store(config.store_path)
    layers = {name for name, _ in pyogrio.list_layers(store.path)}
    assert layers == {"incidents", "interventions", "imports", "rejected", "audit"}
    assert store.counts() == {"incidents": 0, "imports": 0, "interventions": 0}
