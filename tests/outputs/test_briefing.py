"""svd_geo.outputs.briefing."""

from __future__ import annotations

import re

import pytest

from svd_geo.analyses.coverage import run_coverage
from svd_geo.analyses.params import HotspotParams
from svd_geo.outputs.briefing import build_briefing, hotspot_table
from svd_geo.store.backends import open_store


@pytest.fixture(scope="module")
def stored(demo_store_path):
    store = open_store(demo_store_path)
    return store.incidents(), store.interventions()


def test_the_pack_is_self_contained_counts_the_incidents_and_says_synthetic(stored, session_config):
    incidents, places = stored
    hostile = "<script>alert(1)</script>"
    html = build_briefing(
        incidents, places, session_config, params=HotspotParams(), generated="2026-12-02 09:00",
        filters=hostile, inputs=[{"file": "demo.csv", "sha256": "0" * 64, "source": "police", "synthetic": True}],
    )  # fmt: skip
    assert "<script" not in html and "&lt;script&gt;" in html
    assert not re.search(r"(src|href)=['\"]https?:", html)  # nothing fetched when opened
    assert f"{len(incidents):,} incidents" in html and "SYNTHETIC demo data" in html
    assert html.count("data:image/png;base64,") == 2  # the map and the trend


def test_the_hotspot_table_suppresses_small_counts_and_ranks_by_incidents(stored, session_config):
    incidents, places = stored
    _, result = run_coverage(incidents, HotspotParams(), session_config, places)
    table = hotspot_table(result)
    shown = result.hotspots.sort_values("incidents", ascending=False).head(10)
    expected = ["<5" if 0 < n < 5 else f"{n:,}" for n in shown["incidents"]]
    assert table["incidents"].tolist() == expected and table["where"].tolist() == shown["name"].tolist()


def test_the_pack_follows_the_deployments_small_count_threshold(stored, session_config):
    from dataclasses import replace

    incidents, places = stored
    config = replace(session_config, small_count_threshold=8)
    html = build_briefing(
        incidents, places, config, params=HotspotParams(), generated="2026-12-02", filters="all", inputs=[]
    )
    assert "Counts from 1 to 7 are shown as &lt;8." in html and "&lt;5" not in html


def test_the_pack_has_the_rates_by_deprivation_decile_with_the_ratio(stored, session_config):
    from svd_geo.analyses.deprivation import deprivation_rates

    incidents, places = stored
    html = build_briefing(
        incidents, places, session_config, params=HotspotParams(), generated="2026-12-02 09:00",
        filters="all", inputs=[],
    )  # fmt: skip
    rates = deprivation_rates(incidents, session_config)
    section = html.split("<h2>Violence and deprivation</h2>", 1)[1].split("<h2>", 1)[0]
    assert f"has {rates.ratio.ratio:.1f} times" in section and "1 (most deprived)" in section
    assert all(
        f">{n:,}<" in section for n in rates.table["incidents"] if n >= session_config.small_count_threshold
    )


def test_the_trend_line_stops_before_a_short_last_month_which_is_drawn_hollow_on_its_own(monkeypatch):
    import pandas as pd

    from svd_geo.outputs import briefing

    drawn = []
    monkeypatch.setattr(briefing, "_png", lambda figure: drawn.append(figure) or "data:image/png;base64,")
    days = pd.date_range("2026-01-01", "2026-03-31", freq="D").append(pd.DatetimeIndex(["2026-04-01"]))
    incidents = pd.DataFrame({"occurred": days, "occurred_precision": "day"})
    briefing.trend_chart(incidents)
    line, hollow = drawn[0].axes[0].get_lines()
    assert list(line.get_ydata()) == [31, 28, 31]  # January to March, whole
    assert list(hollow.get_ydata()) == [1] and hollow.get_linestyle() == "None"
    briefing.trend_chart(incidents.iloc[:-1])  # records to the end of March: every month whole
    assert [list(each.get_ydata()) for each in drawn[1].axes[0].get_lines()] == [[31, 28, 31]]
