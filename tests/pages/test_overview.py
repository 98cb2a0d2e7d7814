"""The overview page (pages/overview.py), run with Streamlit's AppTest."""

from __future__ import annotations

import shutil

from svd_geo.analyses.params import HotspotParams
from svd_geo.store.backends import open_store
from tests.support.app import run_app
from ui import state as keys


def test_overview_counts_one_period_of_whole_months_in_its_tables_map_and_uncovered_hotspots(
    app_env, demo_store_path, tmp_path
):
    from svd_geo.analyses.coverage import run_coverage
    from svd_geo.partner.ingest import prepare_import
    from svd_geo.select.filters import View, select_view
    from svd_geo.views.interventions import uncovered_table
    from svd_geo.views.overview import choose_period

    shutil.copy(demo_store_path, app_env.store_path)
    store = open_store(app_env.store_path)
    late = tmp_path / "late.csv"  # records that run a few hours into July, as A&E arrivals do
    late.write_text(
        "incident_datetime,latitude,longitude,category\n" + "2026-07-01 01:30,53.1440,-1.1975,Assault\n" * 3
    )
    store.add_import(prepare_import(late, "ed", app_env))
    places = store.interventions()
    at = run_app("pages/overview.py")
    assert at.subheader[0].value == "01 Apr 2026 to 30 Jun 2026"
    captions = "\n".join(c.value for c in at.caption)
    assert "July 2026 has records only to 01 Jul 2026, so it is left out" in captions
    period = choose_period(store.incidents(), View()).window(View())
    selected = select_view(store.incidents(), period, app_env)
    _, coverage = run_coverage(selected, HotspotParams(), app_env, places)
    shown = at.dataframe[-1].value
    expected = uncovered_table(coverage, period)
    assert shown["incidents"].tolist() == expected["incidents"].tolist()
    assert shown["hotspot"].tolist() == expected["hotspot"].tolist()
    assert "01 Apr 2026 to 30 Jun 2026" not in "\n".join(c.value for c in at.caption[-1:])  # said once, above


def test_overview_compares_periods(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/overview.py")
    table = at.dataframe[0].value
    assert list(table.columns)[:4] == ["partner", "this period", "previous period", "same period last year"]
    assert table["partner"].iloc[-1] == "all partners"
    captions = "\n".join(c.value for c in at.caption)
    assert (
        "Previous period: 01 Jan 2026 to 31 Mar 2026. Same period last year: 01 Apr 2025 to 30 Jun 2025."
        in captions
    )
    incidents = open_store(app_env.store_path).incidents()
    months = incidents["occurred"].dt.to_period("M").astype(str)
    assert table["previous period"].iloc[-1] == f"{months.isin(['2026-01', '2026-02', '2026-03']).sum():,}"
    at.toggle(key=keys.KEY_PRESENT).set_value(True).run()
    assert not at.exception


def test_weighted_by_harm_the_partner_table_still_says_it_counts_incidents(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/overview.py")
    counted = at.dataframe[0].value
    at.selectbox(key=keys.KEY_HARM).set_value("css").run()
    assert not at.exception
    assert at.dataframe[0].value.equals(counted)  # the partner table counts records whatever they weigh
    caption = next(c.value for c in at.caption if "Incidents recorded by each partner" in c.value)
    assert "weighted by" not in caption
    assert "Harm" in at.dataframe[1].value.columns  # while the top areas rank, and show, harm, and say so
    assert any(c.value.startswith("Wards and LSOAs ranked by harm (") and "weighted by ONS" in c.value
               for c in at.caption)  # fmt: skip
