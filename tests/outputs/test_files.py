"""svd_geo.outputs.files."""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from svd_geo.base.config import ANALYSIS_CRS
from svd_geo.outputs.files import shareable_layer, write_csv_table, write_export


def test_geopackage_is_byte_identical_for_the_same_generation_time(tmp_path):
    layer = gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.box(0, 0, 1, 1)], crs=ANALYSIS_CRS)
    first, second = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    write_export({"one": layer, "two": layer}, first, generated="2026-01-01T00:00:00Z")
    write_export({"one": layer, "two": layer}, second, generated="2026-01-01T00:00:00Z")
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_csv_cells_that_spreadsheets_would_run_are_defused(tmp_path, text):
    layer = gpd.GeoDataFrame({"name": [text]}, geometry=[shapely.box(0, 0, 1, 1)], crs=ANALYSIS_CRS)
    out = write_export({"places": layer}, tmp_path / "places.csv")
    with out.open(newline="", encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert row["name"] == "'" + text


def test_integer_tables_are_written_as_pandas_writes_them(tmp_path):
    table = pd.DataFrame(
        {"row": np.arange(5), "cluster": [-1, 0, 12, -1, 3], "n": pd.array([1, None, 3, 4, 5], dtype="Int64")}
    )
    write_csv_table(table, tmp_path / "fast.csv")
    table.to_csv(tmp_path / "pandas.csv", index=False, lineterminator="\r\n")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()
    assert (tmp_path / "fast.csv").read_bytes().startswith(b"row,cluster,n\r\n0,-1,1\r\n1,0,\r\n")


def test_shareable_layers_suppress_small_counts_across_columns():
    layer = gpd.GeoDataFrame(
        {"incidents": [3, 40, 0], "incidents_covered": [3, 2, 0], "harm": [6.0, 80.0, 0.0]},
        geometry=[shapely.box(0, 0, 1, 1)] * 3,
        crs=ANALYSIS_CRS,
    )
    shared = shareable_layer(layer)
    assert shared["suppressed"].tolist() == [True, True, False]
    assert shared["incidents"].isna().tolist() == [True, True, False]
    assert shared.loc[2, "incidents"] == 0  # zero is not disclosive


def test_a_disk_that_fills_during_an_export_leaves_the_old_file_whole(tmp_path, monkeypatch):
    import errno

    import geopandas as gpd
    import pyogrio
    import shapely

    from svd_geo.outputs.files import write_layer

    frame = gpd.GeoDataFrame({"hotspot_id": [1]}, geometry=[shapely.box(0, 0, 10, 10)], crs=27700)
    outputs = {suffix: tmp_path / f"hotspots{suffix}" for suffix in (".gpkg", ".geojson", ".csv")}
    before = {}
    for suffix, out in outputs.items():
        write_layer(frame, out, layer="hotspots")
        before[suffix] = out.read_bytes()

    def disk_full(*args, **kwargs):
        Path(args[1] if len(args) > 1 else kwargs["path_or_buf"]).write_bytes(b"half a file")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pyogrio, "write_dataframe", disk_full)
    monkeypatch.setattr(pd.DataFrame, "to_csv", lambda self, path, **kw: disk_full(None, path))
    for suffix, out in outputs.items():
        with pytest.raises(OSError, match="No space left"):
            write_layer(frame.assign(hotspot_id=2), out, layer="hotspots")
        assert out.read_bytes() == before[suffix]
    assert sorted(tmp_path.iterdir()) == sorted(outputs.values())  # no half-written file left beside them


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), min_size=1, max_size=30),
    threshold=st.integers(2, 11),
    round_to=st.sampled_from([0, 5, 10]),
)
def test_no_shareable_layer_ever_holds_a_count_under_the_threshold(counts, threshold, round_to):
    frame = gpd.GeoDataFrame(
        {"incidents": [a for a, _ in counts], "incidents_covered": [b for _, b in counts]},
        geometry=[shapely.Point(i, i) for i in range(len(counts))], crs=ANALYSIS_CRS,
    )  # fmt: skip
    shared = shareable_layer(frame, threshold, round_to)
    for column in ("incidents", "incidents_covered"):
        shown = shared[column].dropna()
        assert not ((shown > 0) & (shown < threshold)).any()
        kept = frame.loc[~shared["suppressed"], column]
        assert ((kept == 0) | (kept >= threshold)).all()
        if round_to:
            assert (shown % round_to == 0).all()
    small = [(0 < a < threshold) or (0 < b < threshold) for a, b in counts]
    assert (
        shared["suppressed"].tolist() == small and shared.loc[shared["suppressed"], "incidents"].isna().all()
    )
