"""svd_geo.store.summary."""

from __future__ import annotations

from svd_geo.store.backends import open_store


def test_summary_counts_in_sql_equal_counts_of_the_incidents(demo_store_path):
    from svd_geo.store.summary import summarise_store

    store = open_store(demo_store_path)
    incidents = store.incidents()
    summary = summarise_store(store)
    assert summary.incidents == len(incidents)
    by_source = summary.by_source.set_index("source")
    assert by_source["incidents"].to_dict() == incidents["source"].value_counts().to_dict()
    area_only = incidents.geometry.isna().groupby(incidents["source"]).sum()
    assert by_source["area_only"].to_dict() == area_only.to_dict()
    outside = (~incidents["in_study_area"]).groupby(incidents["source"]).sum()
    assert by_source["outside_study_area"].to_dict() == outside.to_dict()
    pairs = incidents.groupby(["source", "category"]).size()
    assert (
        summary.by_category.set_index(["source", "category"])["incidents"]
        .sort_index()
        .equals(pairs.rename("incidents").sort_index())
    )
    assert summary.by_category["incidents"].is_monotonic_decreasing
    months = incidents["occurred"].dt.to_period("M").dt.to_timestamp()
    expected = incidents.groupby([months.rename("month"), "source"]).size()
    assert summary.by_month.set_index(["month", "source"])["incidents"].equals(expected.rename("incidents"))
    assert summary.period == (incidents["occurred"].min(), incidents["occurred"].max())
    assert summary.synthetic
