"""svd_geo.store.reading."""

from __future__ import annotations

import pytest

from svd_geo.store.backends import open_store


def test_incidents_carry_their_coordinates_beside_the_geometry(store_location, prepared_sample, ed_prepared):
    import numpy as np
    import shapely

    from svd_geo.select.points import point_incidents, point_xy

    store = open_store(store_location)
    store.add_import(prepared_sample)
    store.add_import(ed_prepared)
    for frame in (prepared_sample.incidents, store.incidents()):
        present = frame.geometry.notna().to_numpy()
        coordinates = shapely.get_coordinates(frame.geometry.to_numpy())
        assert np.array_equal(frame.loc[present, ["easting_m", "northing_m"]].to_numpy(), coordinates)
        assert frame.loc[~present, "easting_m"].isna().all()
    incidents = store.incidents()
    points = point_incidents(incidents)
    assert np.array_equal(
        np.column_stack(point_xy(points)), shapely.get_coordinates(points.geometry.to_numpy())
    )
    degrees = points.to_crs(4326)  # the columns hold metres: a reprojected frame reads its geometry
    assert np.allclose(point_xy(degrees)[0], degrees.geometry.x)
    with pytest.raises(ValueError, match="point"):
        point_xy(incidents)
    slim = point_incidents(incidents, columns=["weight"])
    assert list(slim.columns) == ["weight", "geometry", "easting_m", "northing_m"] and len(slim) == 20
    plain = point_incidents(incidents.drop(columns=["easting_m", "northing_m"]))
    assert plain.index.equals(points.index)  # the same rows kept, judged from the geometry


def test_version_changes_when_content_changes_and_only_then(store_location, prepared_sample):
    store = open_store(store_location)
    before = store.version()
    store.add_import(prepared_sample)
    after = store.version()
    assert after != before
    store.incidents(), store.counts(), store.incident_tables()  # reads change nothing
    assert store.version() == after
