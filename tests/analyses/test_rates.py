"""svd_geo.analyses.rates: the dual kernel density of incidents and residents."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
import shapely

from svd_geo.analyses.rates import rate_surface, resident_cells
from svd_geo.methods.grid import grid_around


def test_each_lsoas_residents_are_spread_evenly_over_the_cells_whose_centre_it_holds(session_config):
    from svd_geo.sources.areas import area_population, study_context

    _, lsoas = study_context(session_config)
    west, south, east, north = lsoas.total_bounds
    grid = grid_around(np.array([west, east]), np.array([south, north]), cell_size_m=100.0, margin_m=0.0)
    cells = resident_cells(grid, session_config)
    xs, ys = grid.centres()
    cx, cy = np.meshgrid(xs, ys)
    lsoa = lsoas.iloc[7]
    inside = shapely.contains_xy(lsoa.geometry, cx, cy)
    people = area_population("lsoa", session_config)[lsoa["area_code"]]
    assert inside.sum() > 10
    assert cells[inside] == pytest.approx(np.full(inside.sum(), people / inside.sum()))
    total = area_population("lsoa", session_config).reindex(lsoas["area_code"]).sum()
    assert cells.sum() == pytest.approx(total, rel=1e-9)  # every LSOA holds a cell centre at 100 m


def test_the_rate_is_incidents_over_residents_and_thin_denominators_are_masked(demo, session_config):
    incidents, _ = demo
    rates = rate_surface(incidents, session_config, bandwidth_m=400.0, cell_size_m=100.0)
    reach = rates.residents_km2 * math.pi * 400.0**2 / 1e6
    in_study = resident_cells(rates.incidents.grid, session_config) > 0
    shown = ~np.isnan(rates.per_1k)
    assert (reach[shown] >= 100).all() and not (shown & ~in_study).any()
    assert (reach[in_study & ~shown] < 100).all()
    expected = rates.incidents.density_km2[shown] / rates.residents_km2[shown] * 1000
    assert rates.per_1k[shown] == pytest.approx(expected)
    # Masked: in the study area, with incidents, rate withheld; cells outside are NaN but not masked.
    with_incidents = rates.incidents.density_km2 > 0
    assert (rates.masked_cells == (in_study & with_incidents & ~shown)).all() and rates.masked > 0
    assert (with_incidents & ~in_study).any() and not (rates.masked_cells & ~in_study).any()
    everything = rate_surface(
        incidents, session_config, bandwidth_m=400.0, cell_size_m=100.0, min_residents=0
    )
    assert (~np.isnan(everything.per_1k) == in_study).all()
    # The residents' density keeps their number: its integral is the residents spread on the grid.
    residents = resident_cells(rates.incidents.grid, session_config).sum()
    assert rates.residents_km2.sum() * (100.0 / 1000) ** 2 == pytest.approx(residents, rel=0.01)


def test_svd_geo_rates_writes_a_geotiff_with_its_units_and_a_sidecar(run, demo_store_path, tmp_path):
    import rasterio

    out = tmp_path / "rates.tif"
    summary = json.loads(run("rates", "--store", str(demo_store_path), "--out", str(out), "--json").stdout)
    with rasterio.open(out) as raster:
        assert raster.tags()["units"] == "incidents per 1,000 residents" and np.isnan(raster.nodata)
        values = raster.read(1)
    assert np.nanmax(values) == pytest.approx(summary["max_per_1k"], rel=1e-5)
    sidecar = json.loads(out.with_name(out.name + ".metadata.json").read_text())
    assert sidecar["masked_cells"] == summary["masked_cells"] and "masked" in sidecar["method"]
    assert isinstance(pd.Timestamp(sidecar["generated"]), pd.Timestamp)
