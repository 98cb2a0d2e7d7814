"""The Streamlit app through AppTest: the Data page on empty and demo stores."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from svd_geo.analyses.params import HotspotParams, params_from_spec
from svd_geo.base.config import PROJECT_ROOT
from svd_geo.store.geopackage import open_store
from svd_geo.views.map import LAYER_LABELS
from ui import state as keys
from ui.hotspots import offered

APP = str(PROJECT_ROOT / "app.py")
AMBULANCE_CSV = b"incident_datetime,latitude,longitude,call_category\n2024-05-04 23:10,53.1440,-1.1975,Assault\n2024-05-05 01:20,53.1253,-1.2616,Assault\n2024-05-05 02:00,0,0,Assault\n"


def test_library_does_not_import_streamlit():
    code = "import sys, svd_geo.cli.main, svd_geo.store.geopackage, svd_geo.store.demo, svd_geo.views.data, svd_geo.store.summary; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def run_app(page: str = "pages/data.py") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    # Switching even to the Overview page, the default: widgets then carry the ids of the
    # runs that follow (the first run's page ran on its own, so its widgets' ids differ and
    # a first widget change would be lost).
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in at.text] + [i.value for i in at.info]
    parts += [s.value for s in at.success] + [w.value for w in at.warning] + [e.value for e in at.error]
    return "\n".join(str(p) for p in parts)


def test_empty_store_shows_guidance(app_env):
    at = run_app()
    assert "The store is empty" in texts(at)
    assert not at.error


def test_demo_store_shows_counts_and_synthetic_label(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Incidents stored (all partners, all categories)"] == "4,000"
    assert "SYNTHETIC" in texts(at)
    assert len(at.dataframe) >= 4


def test_upload_preview_import_and_remove(app_env):
    at = run_app()
    at.file_uploader(key=keys.KEY_UPLOAD).set_value(("amb.csv", AMBULANCE_CSV, "text/csv"))
    at.selectbox(key=keys.KEY_UPLOAD_SOURCE).set_value("ambulance")
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "Layout: table" in shown and "WGS84 longitude/latitude" in shown
    at.button(key=keys.KEY_IMPORT_BUTTON).click().run()
    assert not at.exception
    assert "Imported amb\\.csv as import 1: 2 rows accepted, 1 set aside." in texts(at)
    store = open_store(app_env.store_path)
    assert store.counts()["incidents"] == 2
    assert store.imports()["source"].tolist() == ["ambulance"]
    assert store.rejected(1)["reason"].str.contains("0,0").all()

    at.checkbox(key=keys.KEY_REMOVE_CONFIRM).check().run()
    at.button(key=keys.KEY_REMOVE_BUTTON).click().run()
    assert not at.exception
    assert "Removed import 1 and its 2 incidents." in texts(at)
    assert store.counts() == {"incidents": 0, "imports": 0, "interventions": 0}


def test_refused_upload_shows_the_error_and_stores_nothing(app_env):
    at = run_app()
    at.file_uploader(key=keys.KEY_UPLOAD).set_value(("notes.csv", b"a,b\n1,2\n", "text/csv")).run()
    at.button(key=keys.KEY_IMPORT_BUTTON).click().run()
    assert not at.exception
    assert any("no location columns found" in e.value for e in at.error)
    assert open_store(app_env.store_path).counts()["imports"] == 0


def test_map_page_on_empty_store_shows_guidance(app_env):
    at = run_app("pages/map.py")
    assert "The store is empty" in texts(at)


def test_map_page_and_filters(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/map.py")
    assert "Counting sources: all partners" in "\n".join(c.value for c in at.caption)
    # AppTest drops the entry script's sidebar from its tree after a page switch, so the
    # filter is set through session state, which is what the widget writes.
    at.session_state[keys.KEY_SOURCES] = ["police"]
    at.run()
    assert not at.exception
    assert "Counting sources: police" in "\n".join(c.value for c in at.caption)


def test_a_pasted_link_reopens_the_view(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["sources"] = "ambulance"
    at.query_params["date_from"] = "2025-01-01"
    at.query_params["mode"] = "present"
    at.run()
    assert not at.exception
    assert at.multiselect(key=keys.KEY_SOURCES).value == ["ambulance"]
    assert at.toggle(key=keys.KEY_PRESENT).value is True
    captions = "\n".join(c.value for c in at.caption)
    assert "From the date chosen in the sidebar to the end of the last whole month of records." in captions
    assert "sources: ambulance; categories: all; 2025-01-01 to 2026-06-30" in captions


def test_presentation_mode_hides_points(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/map.py")
    points = LAYER_LABELS["points"]
    assert points in at.multiselect(key=keys.KEY_MAP_LAYERS).options
    at.toggle(key=keys.KEY_PRESENT).set_value(True).run()
    assert not at.exception
    assert points not in at.multiselect(key=keys.KEY_MAP_LAYERS).options


@pytest.mark.parametrize(
    "page", ["pages/overview.py", "pages/hotspots.py", "pages/trends.py", "pages/interventions.py"]
)
def test_analysis_pages_on_empty_store(app_env, page):
    at = run_app(page)
    assert "The store is empty" in texts(at)


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
    at.toggle(key=keys.KEY_PRESENT).set_value(True).run()
    assert not at.exception


@pytest.mark.parametrize(
    ("method", "words"),
    [("kde", "Kernel density: quartic, 250 m"), ("dbscan", "DBSCAN: 150 m"), ("gistar", "Gi*: lsoa")],
)
def test_hotspots_page_methods(app_env, demo_store_path, method, words):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/hotspots.py")
    at.radio(key=keys.KEY_HS_METHOD).set_value(method).run()
    assert not at.exception, [e.value for e in at.exception]
    assert words.lower() in "\n".join(c.value for c in at.caption).lower()
    assert len(at.get("download_button")) >= 4
    at.toggle(key=keys.KEY_PRESENT).set_value(True).run()
    assert not at.get("download_button")


@pytest.mark.parametrize("method", ["kde", "dbscan"])
def test_hotspots_page_says_how_many_incidents_were_used_and_why_not_the_rest(
    app_env, demo_store_path, method
):
    shutil.copy(demo_store_path, app_env.store_path)
    incidents = open_store(app_env.store_path).incidents()
    located = int(incidents["easting_m"].notna().sum())
    assert 0 < located < len(incidents)  # the demo has area-only records (health and youth)
    at = run_app("pages/hotspots.py")
    at.radio(key=keys.KEY_HS_METHOD).set_value(method).run()
    captions = "\n".join(c.value for c in at.caption)
    assert f"{located:,} of {len(incidents):,} incidents have a point and were used" in captions
    assert f"the other {len(incidents) - located:,} are recorded only to an area" in captions
    assert "results from" not in captions


def test_trends_page(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/trends.py")
    assert at.metric[0].value == "increasing"
    assert "has records only to" not in "\n".join(c.value for c in at.caption)
    # Cut the view on the 10th of the last month: that short month is said, and left out of the test.
    last = open_store(app_env.store_path).incidents()["occurred"].max()
    at.session_state[keys.KEY_DATE_TO] = last.to_period("M").to_timestamp().date().replace(day=10)
    at.run()
    captions = "\n".join(c.value for c in at.caption)
    assert "has records only to 10 " in captions and "the trend test leaves it out." in captions


def test_place_and_time_filters_reach_the_view_and_the_link(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["districts"] = "E07000174"
    at.query_params["days"] = ["4", "5"]
    at.query_params["hours"] = "20-24"
    at.run()
    assert not at.exception
    assert at.multiselect(key=keys.KEY_DISTRICTS).value == ["E07000174"]
    assert at.multiselect(key=keys.KEY_WEEKDAYS).value == [4, 5]
    assert at.slider(key=keys.KEY_HOURS).value == (20, 24)
    ward_options = at.multiselect(key=keys.KEY_WARDS).options
    assert (
        "Abbott" in ward_options and "Kirkby Cross & Portland" not in ward_options
    )  # Mansfield's wards only
    caption = "\n".join(c.value for c in at.caption)
    assert "districts E07000174" in caption and "days Fri, Sat" in caption and "20:00 to 24:00" in caption


def test_first_views_built_at_start_are_what_the_first_visit_shows(app_env, demo_store_path, monkeypatch):
    from svd_geo.store.geopackage import GeoPackageStore
    from ui import cache as ui_cache

    shutil.copy(demo_store_path, app_env.store_path)
    ui_cache.warm_first_views()
    built, read = [], []
    build = ui_cache.build_map_layers
    monkeypatch.setattr(ui_cache, "build_map_layers", lambda *a, **k: built.append(a[1]) or build(*a, **k))
    read_incidents = GeoPackageStore.incidents
    monkeypatch.setattr(GeoPackageStore, "incidents", lambda self: read.append(self) or read_incidents(self))
    run_app("pages/overview.py")
    at = run_app("pages/map.py")
    assert "Counting sources: all partners" in "\n".join(c.value for c in at.caption)
    assert built == []  # both pages' layers came from the warm-up
    assert read == []  # and so did the incidents


def test_the_hotspots_pages_choice_is_the_sessions_definition(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/hotspots.py")
    at.radio(key=keys.KEY_HS_METHOD).set_value("dbscan").run()
    at.slider(key=keys.KEY_HS_EPS).set_value(200.0).run()
    assert not at.exception
    assert at.session_state[keys.KEY_HOTSPOT_DEFINITION] == "dbscan;eps_m=200.0;min_samples=20"
    assert at.query_params[keys.KEY_HOTSPOT_DEFINITION] == "dbscan;eps_m=200.0;min_samples=20"
    # The Interventions page counts coverage of that definition, and says so.
    at.switch_page("pages/interventions.py").run()
    assert not at.exception
    assert "DBSCAN: 200 m radius, 20 incidents per core point" in "\n".join(c.value for c in at.caption)


def test_a_link_carries_the_hotspot_definition(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params[keys.KEY_HOTSPOT_DEFINITION] = "kde;kernel=gaussian;bandwidth_m=400;threshold=p95"
    at.run()
    assert not at.exception
    words = "kernel density: gaussian, 400 m bandwidth, hotspots the top 5% of cells"
    assert words in "\n".join(c.value for c in at.caption)
    at.switch_page("pages/hotspots.py").run()
    assert at.slider(key=keys.KEY_HS_BANDWIDTH).value == 400.0
    assert at.selectbox(key=keys.KEY_HS_KERNEL).value == "gaussian"
    # A value no widget offers (or a file path as areas) falls back to the defaults.
    assert (
        HotspotParams.describe(offered(params_from_spec("gistar;areas=/etc/passwd")))
        == HotspotParams(method="gistar").describe()
    )


def test_a_new_hotspot_definition_reuses_the_layers_that_do_not_draw_it(
    app_env, demo_store_path, monkeypatch
):
    import ui.cache as ui_cache

    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app("pages/hotspots.py")
    built = []
    build = ui_cache.build_map_layers
    monkeypatch.setattr(
        ui_cache, "build_map_layers", lambda *a, **k: built.append(k["layers"]) or build(*a, **k)
    )
    at.slider(key=keys.KEY_HS_BANDWIDTH).set_value(400.0).run()
    assert not at.exception
    assert "400 m bandwidth" in "\n".join(c.value for c in at.caption)
    assert built == []  # the choropleth under the hotspots came from the cache
