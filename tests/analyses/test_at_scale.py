"""svd_geo.analyses.at_scale: what the PostGIS store counts and bins (in SQL, or from its columns) equals the rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from svd_geo.analyses.at_scale import store_coverage_run, store_kde_run, view_groups
from svd_geo.analyses.coverage import run_coverage
from svd_geo.analyses.params import HotspotParams
from svd_geo.analyses.run import run_hotspots
from svd_geo.analyses.unreported import unreported_violence
from svd_geo.base.errors import EmptySelectionError
from svd_geo.select.filters import View, select_view
from svd_geo.store.backends import open_store
from svd_geo.store.postgis_columns import ColumnCounts
from svd_geo.store.postgis_snapshot import load_columns
from svd_geo.views.common import area_table

VIEWS = [
    View(),
    View(sources=("police",), date_from="2024-03", date_to="2024-08-15"),
    View(districts=("E07000174",), weekdays=(4, 5)),
    View(wards=("E05010677", "E05010678", "E05008884"), districts=("E07000170",)),  # one outside
    View(hours=(22, 4), harm="cchi"),
    View(categories=("Assault / sexual assault", "Assault"), harm="css", hours=(9, 17)),
]


@pytest.fixture(scope="module", params=["sql", "columns"])
def both(request, demo_store_path, demo_postgis_url):
    """The demo incidents in memory (from the GeoPackage store) and the same incidents in PostGIS.

    PostGIS counts them in SQL, or from the store's columns read into memory.
    """
    store = open_store(demo_postgis_url)
    if request.param == "columns":
        store = ColumnCounts(store, load_columns(demo_postgis_url))
    return open_store(demo_store_path).incidents(), store


@pytest.mark.parametrize("view", VIEWS, ids=range(len(VIEWS)))
@pytest.mark.parametrize("level", ["ward", "lsoa"])
def test_area_counts_from_grouped_incidents_equal_those_of_the_rows(both, session_config, view, level):
    rows, store = both
    selected = select_view(rows, view, session_config)
    assert len(selected) > 0
    keys = ("ward_code" if level == "ward" else "lsoa_code",)
    grouped = view_groups(store, view, session_config, keys)
    assert grouped["records"].sum() == len(selected) and len(grouped) < len(selected)
    expected = area_table(selected, level, view, session_config)
    counted = area_table(grouped, level, view, session_config)
    pd.testing.assert_frame_equal(counted, expected)
    if view.harm != "count":
        assert grouped.attrs["harm"] == selected.attrs["harm"]  # the same sentence, counted in incidents


@pytest.mark.parametrize("level", ["ward", "lsoa"])
def test_the_unreported_comparison_from_grouped_incidents_equals_that_of_the_rows(
    both, session_config, level
):
    rows, store = both
    view = View(date_from="2024-01")
    grouped = view_groups(store, view, session_config, ("ward_code", "lsoa_code", "source", "category"))
    expected = unreported_violence(select_view(rows, view, session_config), session_config, level=level)
    counted = unreported_violence(grouped, session_config, level=level)
    pd.testing.assert_frame_equal(counted.areas, expected.areas)
    assert counted.overall == expected.overall and expected.overall["health"] > 0


@pytest.mark.parametrize(
    ("view", "params"),
    [
        (View(), HotspotParams()),
        (View(sources=("police", "ambulance"), harm="cchi"), HotspotParams(threshold="p95")),
        (View(districts=("E07000174",)), HotspotParams(kernel="gaussian", bandwidth_m=None, threshold="p90")),
    ],
)
def test_kde_hotspots_binned_by_the_server_equal_those_of_the_rows(both, session_config, view, params):
    rows, store = both
    expected = run_hotspots(select_view(rows, view, session_config), params, session_config)
    found = store_kde_run(store, view, params, session_config)
    assert found.params == expected.params and found.surface.grid == expected.surface.grid
    np.testing.assert_allclose(found.surface.density_km2, expected.surface.density_km2, rtol=1e-9, atol=1e-9)
    assert found.surface.incidents == pytest.approx(expected.surface.incidents)
    assert len(expected.layer) >= 1
    columns = ["hotspot_id", "name", "top_locations", "incidents", "wards", "lsoas"]
    pd.testing.assert_frame_equal(
        pd.DataFrame(found.layer[columns]), pd.DataFrame(expected.layer[columns]), check_dtype=False
    )
    np.testing.assert_allclose(found.layer["harm"], expected.layer["harm"])
    np.testing.assert_allclose(found.layer["share"], expected.layer["share"])
    assert found.layer.geometry.geom_equals(expected.layer.geometry).all()
    cut = expected.summary.pop("threshold_density_km2")
    assert found.summary.pop("threshold_density_km2") == pytest.approx(cut, rel=1e-12)
    assert found.summary == expected.summary


@pytest.mark.parametrize("view", [View(date_from="2024-04", date_to="2024-06"), View(harm="cchi")])
def test_coverage_from_incidents_grouped_by_point_equals_that_of_the_rows(both, session_config, view):
    rows, store = both
    places = getattr(store, "store", store).interventions()
    assert len(places) > 0
    selected = select_view(rows, view, session_config)
    run = run_hotspots(selected, HotspotParams(), session_config)
    _, expected = run_coverage(selected, HotspotParams(), session_config, places, run=run)
    _, found = store_coverage_run(store, view, store_kde_run(store, view, HotspotParams(), session_config),
                                  places, session_config)  # fmt: skip
    assert found.overall == pytest.approx(expected.overall) and expected.overall["incidents_in_hotspots"] > 0
    for table in ("hotspots", "uncovered", "places"):
        pd.testing.assert_frame_equal(
            pd.DataFrame(getattr(found, table)).drop(columns="geometry"),
            pd.DataFrame(getattr(expected, table)).drop(columns="geometry"), check_dtype=False,
        )  # fmt: skip
    assert expected.places["incidents_inside"].sum() > 0


def test_a_view_without_points_is_the_same_clear_error_as_in_memory(both, session_config):
    _, store = both
    with pytest.raises(EmptySelectionError, match="no incidents with a point location"):
        store_kde_run(store, View(date_from="2031-01"), HotspotParams(), session_config)
