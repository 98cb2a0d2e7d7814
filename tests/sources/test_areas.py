"""svd_geo.sources.areas."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from svd_geo.sources.areas import join_points, unknown_lsoa_codes
from tests.support.properties import LATTICE


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(452_900, 453_400), st.floats(359_900, 360_400)), min_size=1, max_size=60))
def test_spatial_join_conserves_counts(points):
    xs, ys = zip(*points, strict=True)
    series = gpd.GeoSeries(gpd.points_from_xy(xs, ys), crs=27700)
    codes = join_points(series, LATTICE, tolerance_m=0.0)
    assert len(codes) == len(points)
    inside = (
        (np.array(xs) >= 453_000)
        & (np.array(xs) <= 453_300)
        & (np.array(ys) >= 360_000)
        & (np.array(ys) <= 360_300)
    )
    assert codes.notna().sum() == inside.sum()
    assert codes.value_counts().sum() == inside.sum()


def test_a_code_is_unknown_when_in_neither_the_2011_list_nor_the_2021_range(session_config):
    codes = pd.Series(
        ["E01000001", "E01033768", "E01033769", "E01035722", "E01035723", "E01999999", "W01000001"]
    )
    flags = unknown_lsoa_codes(codes, session_config).tolist()
    assert flags == [False, False, False, False, True, True, False]


def test_2021_codes_are_mapped_to_their_2011_lsoa_and_others_kept(session_config):
    from svd_geo.sources.areas import lsoa_codes_of_2011

    codes = pd.Series(["E01033782", "E01027929", "E01034999", "E01000001", ""])
    mapped, notes = lsoa_codes_of_2011(codes, session_config)
    # A split 2011 LSOA's 2021 part goes to its parent; unchanged, unknown-here and blank codes are kept.
    assert mapped.tolist() == ["E01027929", "E01027929", "E01034999", "E01000001", ""]
    assert notes == [
        "1 LSOA codes of 2021 were mapped to their 2011 LSOAs through the ONS lookup",
        "1 of them (E01033782) are parts of a 2011 LSOA split in 2021; their records are counted in that LSOA together",
    ]


def test_a_2021_lsoa_merged_from_several_is_put_in_the_first_with_a_note(session_config, monkeypatch):
    from svd_geo.sources import areas

    # The study area's lookup has no merge (change code M): one as the national lookup holds them.
    parents = {"E01035001": ("E01027929", "E01027930"), "E01035002": ("E01027931",)}
    monkeypatch.setattr(areas, "_parents_of_2021", lambda config: parents)
    mapped, notes = areas.lsoa_codes_of_2011(
        pd.Series(["E01035001", "E01035002", "E01027929"]), session_config
    )
    assert mapped.tolist() == ["E01027929", "E01027931", "E01027929"]
    assert notes[1:] == [
        "1 of them (E01035001) merge several 2011 LSOAs; their records were put in the first of them"
    ]
