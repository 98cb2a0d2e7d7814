"""svd_geo.store.postgis_columns: a PostGIS store's incidents counted in memory equal what its SQL counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from svd_geo.store import column_bins, postgis_snapshot
from svd_geo.store.backends import open_store
from svd_geo.store.postgis_aggregates import Nearby
from svd_geo.store.postgis_columns import ColumnCounts
from svd_geo.store.protocol import RowFilter

FILTERS = [
    RowFilter(),
    RowFilter(sources=("police", "ambulance"), categories=("Assault", "violence-and-sexual-offences")),
    RowFilter(date_from=pd.Timestamp("2024-03-01"), date_to=pd.Timestamp("2024-05-15 12:30")),
    RowFilter(bounds_m=(452000.0, 358000.0, 456000.0, 362000.0)),
    RowFilter(wards=("E05010677", "E05010678")),
    RowFilter(wards=()),
    RowFilter(weekdays=(0, 6), located=True),
    RowFilter(hours=(22, 4)),
    RowFilter(hours=(9, 17), sources=("ed",)),
]


@pytest.fixture(scope="module")
def counted(demo_postgis_url):
    """The demo store counted in SQL, and counted from its columns (read in chunks of 1,500 ids)."""
    store = open_store(demo_postgis_url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(postgis_snapshot, "_CHUNK_IDS", 1_500)
        columns = postgis_snapshot.load_columns(demo_postgis_url)
    return store, ColumnCounts(store, columns)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in frame.columns if frame[c].dtype == object or str(frame[c].dtype) in ("str", "string")]
    keys += [c for c in ("gx", "gy", "occurred", "weight") if c in frame]
    ordered = frame.astype({k: "string" for k in keys if k not in ("gx", "gy", "occurred", "weight")})
    return ordered.sort_values(keys, na_position="first").reset_index(drop=True)


def test_every_incident_is_read_once_in_chunks_of_ids(counted):
    store, columns = counted
    rows = store.incidents()
    assert len(columns.columns.profile) == len(rows) > 3_000
    np.testing.assert_array_equal(np.sort(columns.columns.easting_m), np.sort(rows["easting_m"].to_numpy()))
    assert columns.columns.nbytes == len(rows) * 34


def test_the_rows_are_kept_in_strips_west_to_east_and_south_to_north_in_each(counted):
    _, columns = counted
    x, y = columns.columns.easting_m, columns.columns.northing_m
    located = ~np.isnan(x)
    assert located.sum() < len(x)  # the demo has incidents known only by their LSOA: last
    assert located[: located.sum()].all()
    strip = np.floor(x[located] / postgis_snapshot._STRIP_M)
    assert (np.diff(strip) >= 0).all()
    same = np.diff(strip) == 0
    assert (np.diff(y[located])[same] >= 0).all()
    assert same.sum() > 0.9 * len(same) and not same.all()


@pytest.mark.parametrize("where", FILTERS, ids=range(len(FILTERS)))
@pytest.mark.parametrize(
    "keys",
    [(), ("ward_code", "lsoa_code", "source", "category"), ("category", "offence_code", "weight"),
     ("place", "source"), ("occurred_day",), ("occurred_precision", "place")],
    ids=["none", "areas", "harm", "place", "day", "precision"],
)  # fmt: skip
def test_grouped_counts_equal_the_servers(counted, where, keys):
    store, columns = counted
    expected = store.grouped_incidents(keys, where)
    found = columns.grouped_incidents(keys, where)
    pd.testing.assert_frame_equal(_sorted(found), _sorted(expected), check_dtype=False)


@pytest.mark.parametrize("where", FILTERS, ids=range(len(FILTERS)))
def test_lattice_bins_equal_the_servers(counted, where):
    store, columns = counted
    expected = _sorted(store.lattice_bins(where, 25.0, ("place",)))
    found = _sorted(columns.lattice_bins(where, 25.0, ("place",)))
    assert len(found) == len(expected)
    pd.testing.assert_frame_equal(found, expected, check_dtype=False, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("dense", [True, False], ids=["mask", "sorted"])
def test_the_bins_near_some_cells_or_an_area_equal_the_servers(counted, dense, monkeypatch):
    store, columns = counted
    if not dense:  # cells strewn too widely for a mask are looked up by sorting
        monkeypatch.setattr(column_bins, "DENSE_GROUPS", 4)
    rows = store.incidents().dropna(subset=["easting_m"])
    x, y = rows["easting_m"].to_numpy()[:40], rows["northing_m"].to_numpy()[:40]
    area = shapely.to_wkb(shapely.Point(454000.0, 360000.0).buffer(300.0))
    near = Nearby(100.0, list((x // 100).astype(int)), list((y // 100).astype(int)), area, 100.0)
    for keys in [(), ("place", "category")]:
        expected = _sorted(store.lattice_bins(RowFilter(), 50.0, keys, near))
        found = _sorted(columns.lattice_bins(RowFilter(), 50.0, keys, near))
        assert 40 <= expected["records"].sum() < len(rows)
        pd.testing.assert_frame_equal(found, expected, check_dtype=False, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("where", [RowFilter(), RowFilter(sources=("police",)), RowFilter(wards=())])
def test_the_spread_of_points_is_the_servers(counted, where):
    store, columns = counted
    count, spread = columns.point_spread(where)
    expected_count, expected = store.point_spread(where)
    assert count == expected_count
    np.testing.assert_allclose(np.array(spread), np.array(expected), rtol=1e-9)


def test_a_key_that_is_no_column_is_refused(counted):
    _, columns = counted
    with pytest.raises(ValueError, match="not 'geom'"):
        columns.grouped_incidents(("geom",), RowFilter())


@pytest.mark.parametrize("where", [RowFilter(), RowFilter(sources=("ambulance", "police"), hours=(18, 2))])
def test_the_bins_near_some_cells_after_the_whole_lattice_equal_the_servers(counted, where):
    """A KDE's members: the whole lattice's bins say which rows can be in the cells."""
    store, columns = counted
    rows = store.incidents().dropna(subset=["easting_m"])
    x, y = rows["easting_m"].to_numpy()[::20], rows["northing_m"].to_numpy()[::20]
    near = Nearby(50.0, list((x // 50).astype(int)), list((y // 50).astype(int)), None, 0.0)
    columns.lattice_bins(where, 50.0)
    assert columns.columns._last_bins["lattice"].key == (where, 50.0)
    expected = _sorted(store.lattice_bins(where, 50.0, ("place",), near))
    found = _sorted(columns.lattice_bins(where, 50.0, ("place",), near))
    assert expected["records"].sum() > 10
    pd.testing.assert_frame_equal(found, expected, check_dtype=False, rtol=1e-9, atol=1e-9)
