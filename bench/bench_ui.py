"""Dashboard speed in headless Chromium: map visible, data sent, option and filter change, KDE change.

Run with `make bench-ui` (default 100,000 incidents; `--incidents 1000000` for the large case).
Builds a SYNTHETIC demo store of that size once under bench/out/, starts the app on a free
local port and drives Debian's chromium with Playwright.  Prints figures and writes
bench/out/ui-<N>.json.  Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SVD_GEO = str(Path(sys.executable).parent / "svd-geo")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_store(incidents: int) -> Path:
    store = OUT / f"ui-{incidents}" / "store.gpkg"
    done = store.with_suffix(".built")
    if not done.exists():
        store.unlink(missing_ok=True)
        subprocess.run([SVD_GEO, "demo", "--incidents", str(incidents), "--store", str(store)], check=True)
        done.touch()
    return store


def start_app(store: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "SVD_GEO_STORE": str(store)}
    # The launcher `make run` uses: code imported and lookups read before the first visit.
    command = [
        sys.executable,
        str(ROOT / "scripts" / "serve.py"),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
    ]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):  # noqa: S310 (local http)
                return server, url
        except OSError:
            time.sleep(0.5)
    server.kill()
    msg = "streamlit did not start"
    raise SystemExit(msg)


def map_paths(page: object) -> int:
    for frame in page.frames:  # type: ignore[attr-defined]
        if "streamlit_folium" in frame.url:
            return int(frame.locator("path.leaflet-interactive").count())
    return 0


def wait_for_map(page: object, timeout_s: float = 300) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout_s:
        if map_paths(page) > 0:
            return time.perf_counter() - start
        page.wait_for_timeout(100)  # type: ignore[attr-defined]
    return float("nan")


def _map_frame(page: object) -> object | None:
    return next((f for f in page.frames if "streamlit_folium" in f.url), None)  # type: ignore[attr-defined]


def tag_map(page: object) -> None:
    """Mark the paths the map draws now, so a redrawn map can be told from the old one."""
    frame = _map_frame(page)
    if frame is not None:
        frame.evaluate(
            "document.querySelectorAll('path.leaflet-interactive').forEach(p => p.dataset.old = '1')"
        )  # type: ignore[attr-defined]


def changed(page: object, action: object, timeout_s: float = 300) -> float:
    """Run a widget action; return the seconds until the map shows paths drawn after it."""
    tag_map(page)
    start = time.perf_counter()
    action()  # type: ignore[operator]
    from playwright.sync_api import Error

    while time.perf_counter() - start < timeout_s:
        frame = _map_frame(page)
        try:
            if frame is not None and frame.locator("path.leaflet-interactive:not([data-old])").count() > 0:  # type: ignore[attr-defined]
                return time.perf_counter() - start
        except Error:  # the old frame went away while we looked: the map is being replaced
            pass
        page.wait_for_timeout(10)  # type: ignore[attr-defined]
    return float("nan")


def measure(url: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    results: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        received = {"bytes": 0}

        def on_socket(socket: object) -> None:
            socket.on(
                "framereceived",
                lambda payload: received.__setitem__(  # type: ignore[attr-defined]
                    "bytes",
                    received["bytes"] + len(payload if isinstance(payload, bytes) else payload.encode()),
                ),
            )

        page.on("websocket", on_socket)
        for name in ("first", "warm"):
            received["bytes"] = 0
            page.goto(f"{url}/map")
            results[f"map_visible_s_{name}"] = wait_for_map(page)
            page.wait_for_timeout(1000)
            results[f"map_websocket_mb_{name}"] = received["bytes"] / 1e6
        page.wait_for_timeout(5000)  # let the start-up reads finish: measure changes, not start-up
        measure_radio = page.get_by_role("radiogroup", name="Measure")
        option_changes = [
            changed(page, measure_radio.get_by_text("Per 1,000 residents").click),
            changed(page, measure_radio.get_by_text("Incidents").click),
        ]
        results["map_option_change_s"] = statistics.median(option_changes)
        results["map_option_change_max_s"] = max(option_changes)
        hours = page.get_by_role("group", name="Hours").get_by_role("slider").first
        hours.focus()
        filter_changes = [
            changed(page, lambda: hours.press("ArrowRight")) for _ in range(3)
        ]  # from 01, 02, 03
        results["map_filter_change_s"] = statistics.median(filter_changes)
        results["map_filter_change_max_s"] = max(filter_changes)
        page.goto(f"{url}/hotspots")
        results["hotspots_visible_s"] = wait_for_map(page)
        page.wait_for_timeout(2000)
        slider = page.get_by_role("group", name="Bandwidth").get_by_role("slider").first
        slider.focus()
        kde_changes = [changed(page, lambda: slider.press("ArrowRight")) for _ in range(3)]  # 275, 300, 325 m
        results["kde_bandwidth_change_s"] = statistics.median(kde_changes)
        results["kde_bandwidth_change_max_s"] = max(kde_changes)
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=100_000)
    args = parser.parse_args()
    store = ensure_store(args.incidents)
    server, url = start_app(store)
    try:
        results = {"incidents": args.incidents, **measure(url)}
    finally:
        server.terminate()
        server.wait(timeout=30)
    for name, value in results.items():
        print(f"{name:28s} {value:.3f}" if isinstance(value, float) else f"{name:28s} {value}")
    (OUT / f"ui-{args.incidents}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
