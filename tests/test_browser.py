"""The real app in headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from svd_geo.base.config import PROJECT_ROOT
from svd_geo.partner.ingest import prepare_import
from svd_geo.store.backends import open_store

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("one_worker")]  # see tests/support/store.py
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = PROJECT_ROOT / "tests" / "screenshots"
XSS_CATEGORY = '<img src=x onerror="window.__xss=1">'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(demo_store_path, session_config, tmp_path_factory, write_csv_module):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    store_path = tmp_path_factory.mktemp("browser") / "store.gpkg"
    shutil.copy(demo_store_path, store_path)
    hostile = write_csv_module(
        f'date,easting,northing,category\n2024-05-01,453700,360900,"{XSS_CATEGORY.replace(chr(34), chr(34) * 2)}"\n'
    )
    store = open_store(store_path)
    store.add_import(prepare_import(hostile, "council", session_config))
    places = store.interventions().head(1).copy()
    places["name"] = XSS_CATEGORY
    store.add_interventions(places)
    port = free_port()
    env = {
        **os.environ,
        "SVD_GEO_STORE": str(store_path),
        "SVD_GEO_MIRROR": str(session_config.mirror_dir),
        "SVD_GEO_CACHE": str(session_config.cache_dir),
        "SVD_GEO_OFFLINE": "1",
    }
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(PROJECT_ROOT / "app.py"),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]
    log_path = store_path.parent / "streamlit.log"
    log = log_path.open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        log.close()
        pytest.fail(f"streamlit did not start: {log_path.read_text()}")
    yield url
    server.terminate()
    server.wait(timeout=20)
    log.close()


@pytest.fixture(scope="module")
def write_csv_module(tmp_path_factory):
    def write(text: str) -> Path:
        path = tmp_path_factory.mktemp("csv") / "hostile.csv"
        path.write_text(text)
        return path

    return write


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        yield context.new_page()
        browser.close()


def map_frame(page):
    for _ in range(240):
        frames = [f for f in page.frames if "streamlit_folium" in f.url]
        if frames and frames[0].locator("path.leaflet-interactive").count() > 0:
            return frames[0]
        page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "failed-map.png"))
    pytest.fail("the Leaflet map never drew its vector layers")


def test_map_draws_offline_and_a_click_shows_the_area(app_url, page):
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(f"{app_url}/map")
    frame = map_frame(page)
    assert frame.locator("path.leaflet-interactive").count() > 50
    assert page.locator("[data-testid='stException']").count() == 0
    assert not [url for url in failed if "/app/static/" in url or "127.0.0.1" in url]
    # A click that lands while the component is still binding its handlers is lost: click again.
    for _ in range(3):
        frame.locator("path.leaflet-interactive").nth(5).click(force=True)
        with contextlib.suppress(PlaywrightTimeoutError):
            page.get_by_text("Rank:").first.wait_for(timeout=10_000)
            break
    page.get_by_text("Rank:").first.wait_for(timeout=10_000)
    assert page.get_by_text("Area:").first.is_visible()
    frame.locator("path.leaflet-interactive").last.hover(force=True)
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss") is None and frame.evaluate("window.__xss") is None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "map.png"))


def test_map_draws_points_and_names_with_tiles_blocked_and_nothing_from_the_internet(app_url, page):
    page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
    layers = "&".join(f"layers={name}" for name in ("areas", "hotspots", "interventions", "labels", "points"))
    page.goto(f"{app_url}/map?{layers}")
    frame = map_frame(page)
    for _ in range(60):  # the cluster layer draws after the vectors
        if frame.locator(".marker-cluster").count():
            break
        page.wait_for_timeout(500)
    assert frame.locator(".marker-cluster").count() > 0  # incident points appear (clustered)
    assert frame.locator(".svd-label-large").count() == 2  # Ashfield and Mansfield
    assert frame.locator(".svd-label-small").count() > 40  # ward names, shown close in
    assert frame.evaluate("typeof L.markerClusterGroup") == "function"
    sources = frame.evaluate(
        "() => [...document.querySelectorAll('script[src], link[rel=stylesheet]')].map(e => e.src || e.href)"
    )
    assert sources and all(src.startswith(app_url) for src in sources), sources
    attribution = frame.locator(".leaflet-control-attribution").inner_text()
    assert "OpenStreetMap" in attribution and attribution.count("Crown copyright") == 1
    assert page.locator("[data-testid='stException']").count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "map-points.png"))


def test_presentation_mode_is_readable_on_a_projector(app_url, page):
    page.goto(f"{app_url}/?mode=present")
    frame = map_frame(page)
    page.get_by_role("table").first.wait_for(timeout=60_000)
    cell = page.locator("table td").first
    assert float(cell.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 18
    caption = page.locator("[data-testid='stCaptionContainer']").first
    assert float(caption.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 18
    legend = page.locator(".svd-legend").first
    assert float(legend.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 18
    # Plotly redraws its axes as the page settles: a tick read mid-redraw is detached and has no
    # style (NaN), so wait for a drawn tick to reach the size rather than read one once.
    page.wait_for_function(
        "() => { const ticks = [...document.querySelectorAll('.js-plotly-plot .xtick text')];"
        " return ticks.length > 0 && ticks.every(t => parseFloat(getComputedStyle(t).fontSize) >= 18); }",
        timeout=30_000,
    )
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.get_attribute("data-collapsed") == "true" and sidebar.bounding_box()["x"] < 0
    frame.locator("path.leaflet-interactive").nth(3).hover(force=True)
    tooltip = frame.locator(".leaflet-tooltip").first
    tooltip.wait_for(timeout=10_000)
    assert float(tooltip.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 18
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "overview-presentation.png"))


def test_presentation_link_hides_the_data_page(app_url, page):
    page.goto(f"{app_url}/map?mode=present")
    map_frame(page)
    assert page.get_by_role("link", name="Data").count() == 0
    assert "mode=present" in page.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "map-presentation.png"))


# What each page must say on the demo store: the points of the every-number-true issue, as a user reads them.
PAGE_TEXTS = {
    "overview": [
        "The last 3 whole months of records",
        "Hotspots no intervention reaches",
        ": On or near Demo Street",
    ],
    "hotspots": ["incidents have a point and were used", "where", ": On or near Demo Street"],
    "trends": ["Mean incidents per calendar month, over the years each month is whole", "hexagon in "],
    "interventions": ["Counted: ", "Odds ratio: the place's after-to-before ratio"],
}


@pytest.mark.parametrize(
    ("name", "path"),
    [("overview", ""), ("hotspots", "hotspots"), ("trends", "trends"), ("interventions", "interventions")],
)
def test_analysis_pages_render(app_url, page, name, path):
    page.goto(f"{app_url}/{path}")
    page.get_by_role("heading", name=name.title()).first.wait_for(timeout=60_000)
    map_frame(page)
    for text in PAGE_TEXTS[name]:
        page.get_by_text(text).first.wait_for(state="attached", timeout=60_000)  # grid cells are hidden
    body = page.inner_text("body")
    assert "nan" not in body.replace("Nan", "").split() and "+nan" not in body
    page.wait_for_timeout(1500)
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.all_inner_texts()
    assert page.get_by_text("Page not found").count() == 0
    assert page.evaluate("window.__xss") is None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_data_page_renders_without_exception(app_url, page):
    page.goto(f"{app_url}/data")
    page.get_by_role("heading", name="Data").first.wait_for(timeout=60_000)
    page.get_by_text("Imports log").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.all_inner_texts()
    page.get_by_text("Boundary and statistics sources").first.wait_for(timeout=60_000)
    assert page.get_by_text("SYNTHETIC demo data").first.is_visible()
    assert page.evaluate("window.__xss") is None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "data.png"), full_page=True)


def test_briefing_opens_offline_with_its_images(demo_store_path, session_config, tmp_path, page):
    store_path = tmp_path / "store.gpkg"
    shutil.copy(demo_store_path, store_path)
    store = open_store(store_path)
    places = store.interventions().head(1).copy()
    places["name"] = XSS_CATEGORY
    store.add_interventions(places)
    out = tmp_path / "briefing.html"
    env = {**os.environ, "SVD_GEO_MIRROR": str(session_config.mirror_dir), "SVD_GEO_OFFLINE": "1",
           "SVD_GEO_CACHE": str(session_config.cache_dir)}  # fmt: skip
    command = [
        str(Path(sys.executable).parent / "svd-geo"),
        "briefing",
        "--store",
        str(store_path),
        "--out",
        str(out),
    ]
    subprocess.run(command, check=True, env=env, capture_output=True, timeout=300)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(out.as_uri())
    page.get_by_role("heading", name="Coverage and gaps").wait_for(timeout=30_000)
    assert all(url.startswith(("file:", "data:")) for url in requested), requested
    widths = page.eval_on_selector_all("img", "images => images.map(i => i.naturalWidth)")
    assert len(widths) == 2 and min(widths) > 300
    assert page.evaluate("window.__xss") is None
    assert page.get_by_text(XSS_CATEGORY).count() >= 1
    assert page.get_by_text("SYNTHETIC").count() >= 1
    page.screenshot(path=str(SCREENSHOTS / "briefing.png"), full_page=True)


HOTSPOT_IDS_JS = """() => {
    const ids = new Set();
    window.map.eachLayer(layer => {
        const properties = layer.feature && layer.feature.properties;
        if (properties && properties.hotspot_id !== undefined) ids.add(String(properties.hotspot_id));
    });
    return [...ids];
}"""


def test_overview_map_and_uncovered_table_list_the_same_hotspots(app_url, page):
    page.goto(f"{app_url}/?hotspots=kde%3Bbandwidth_m%3D300.0%3Bthreshold%3Dp95")
    page.get_by_role("heading", name="Hotspots no intervention reaches").wait_for(timeout=60_000)
    frame = map_frame(page)
    sentence = page.get_by_text(re.compile(r"\d+ of \d+ hotspots \(kernel density")).first
    sentence.wait_for(timeout=60_000)
    text = sentence.inner_text()
    assert "300 m bandwidth, hotspots the top 5% of cells" in text
    found = re.match(r"(\d+) of (\d+) hotspots", text)
    uncovered, total = int(found.group(1)), int(found.group(2))
    listed = re.search(r"hotspots ([\d, ]+)\.$", text)
    uncovered_ids = set(listed.group(1).split(", ")) if listed else set()
    drawn_ids = set(frame.evaluate(HOTSPOT_IDS_JS))
    assert len(drawn_ids) == total > 0
    assert len(uncovered_ids) == uncovered and uncovered_ids <= drawn_ids
    assert page.get_by_text("Hotspots: kernel density: quartic, 300 m bandwidth").first.is_visible()
    page.screenshot(path=str(SCREENSHOTS / "overview-definition.png"), full_page=True)
