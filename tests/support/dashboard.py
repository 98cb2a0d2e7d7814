"""Helpers and fixtures for outputs/test_map_assets.py, outputs/test_maps.py, select/test_filters.py, views/test_common.py, views/test_map.py, views/test_overview.py.

They build what those tests share: what the dashboard shows: filters, area tables, presentation mode, the map's assets.
"""

from __future__ import annotations

import pytest

from svd_geo.analyses.params import HotspotParams
from svd_geo.analyses.rates import rate_surface
from svd_geo.analyses.run import run_hotspots
from svd_geo.select.filters import select_view
from svd_geo.store.backends import open_store
from svd_geo.views.map import base_map, build_map_layers, density_params


@pytest.fixture(scope="module")
def demo(demo_store_path):
    store = open_store(demo_store_path)
    return store.incidents(), store.interventions()


def drawn(incidents, view, config, *, layers, interventions=None, definition=None):
    """The layers as the Map page draws them, on the base map: (rendered HTML, layers)."""
    definition = definition or HotspotParams()
    selected = select_view(incidents, view, config)
    hotspots = run_hotspots(selected, definition, config) if "hotspots" in layers else None
    density = (
        run_hotspots(selected, density_params(definition), config).surface if "density" in layers else None
    )
    rates = rate_surface(selected, config) if "rates" in layers else None
    built = build_map_layers(
        selected,
        view,
        config,
        layers=layers,
        interventions=interventions,
        hotspots=hotspots,
        density=density,
        rates=rates,
    )
    fmap = base_map(config)
    for group in built.groups:
        group.add_to(fmap)
    return fmap.get_root().render(), built
