"""svd_geo.store.protocol."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

from svd_geo.store.geopackage import GeoPackageStore
from svd_geo.store.postgis import PostGISStore
from svd_geo.store.protocol import INCIDENT_TYPES, INTERVENTION_TYPES, Store, empty_layer, empty_table


@pytest.mark.parametrize("backend", [GeoPackageStore, PostGISStore])
def test_each_store_offers_everything_the_protocol_asks_with_the_same_signatures(backend):
    wanted = {name for name, _ in inspect.getmembers(Store, inspect.isfunction) if not name.startswith("_")}
    assert wanted >= {"add_import", "remove_import", "incidents", "interventions", "version"}
    for name in wanted:
        ours = inspect.signature(getattr(backend, name))
        assert list(ours.parameters) == list(inspect.signature(getattr(Store, name)).parameters), name


def test_empty_layers_and_tables_have_the_types_a_filled_one_would():
    layer = empty_layer(INTERVENTION_TYPES)
    assert len(layer) == 0 and layer.crs.to_epsg() == 27700
    assert layer["synthetic"].dtype == bool and "geometry" in layer
    table = empty_table(INCIDENT_TYPES)
    assert table["occurred"].dtype == "datetime64[ms]" and table["source_row"].dtype == "int64"
    assert pd.api.types.is_string_dtype(table["place"])
