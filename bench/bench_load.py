"""Load: concurrent dashboard sessions on one server, against 127.0.0.1 only.

Run with `make bench-load` (default 20 sessions on a 100,000-incident SYNTHETIC store).
Starts the app as `make run` does, opens each session in its own headless Chromium
context with its own partner sources in the link, and times the Map and Hotspots
pages until their maps draw.  Each session then checks that its page counts its own
sources and no other session's (no filter leaks from one session to another).
Prints the median and 95th percentile of the render times, the server's peak memory
and any errors, and writes bench/out/load-<N>.json.  Figures only: nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import threading
import time
from pathlib import Path

from bench_ui import CHROMIUM_ARGS, OUT, ensure_store, start_app

SOURCES = ("police", "ambulance", "ed", "council", "youth")
PAGES = ("map", "hotspots")


POINT_SOURCES = {"police", "ambulance", "council"}
"""Sources with points: a session of health or youth records alone has no map to wait for."""


def source_sets(sessions: int) -> list[tuple[str, ...]]:
    """Distinct sets of partner sources with a point source, one per session: singles, pairs, then triples."""
    sets = [c for size in (1, 2, 3) for c in itertools.combinations(SOURCES, size) if POINT_SOURCES & set(c)]
    return [sets[i % len(sets)] for i in range(sessions)]


def _said(sources: tuple[str, ...]) -> str:
    return f"sources: {', '.join(sources)};"  # the whole list: one source is a prefix of a pair


def server_rss_mb(pid: int) -> float:
    """Resident memory of the server and its children, in MB (from /proc)."""
    total = 0.0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if int(fields.get("PPid", "0").strip()) == pid or status.parent.name == str(pid):
            total += float(fields.get("VmRSS", "0 kB").split()[0]) / 1024
    return total


async def _map_drawn(page: object, timeout_s: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout_s:
        for frame in page.frames:  # type: ignore[attr-defined]
            if "streamlit_folium" in frame.url and await frame.locator("path.leaflet-interactive").count():
                return time.perf_counter() - start
        await asyncio.sleep(0.1)
    return float("nan")


async def session(browser: object, url: str, sources: tuple[str, ...], timeout_s: float) -> dict[str, object]:
    """Open the Map and Hotspots pages with these sources; time them and check what they count."""
    from playwright.async_api import Error as PlaywrightError

    context = await browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    query = "&".join(f"sources={s}" for s in sources)
    times: dict[str, float] = {}
    own = _said(sources)
    others = [_said(other) for other in source_sets(len(SOURCES) * 6) if other != sources]
    leaked = False
    for name in PAGES:
        start = time.perf_counter()
        try:
            await page.goto(f"{url}/{name}?{query}", timeout=timeout_s * 1000, wait_until="domcontentloaded")
        except PlaywrightError as err:
            errors.append(f"{name}: {err}")
            times[name] = float("nan")
            continue
        drawn = await _map_drawn(page, timeout_s)
        times[name] = time.perf_counter() - start if drawn == drawn else float("nan")  # NaN: never drew
        if drawn != drawn:
            shown = " ".join((await page.inner_text("body")).split())[:160]
            errors.append(f"{name}: no map after {timeout_s:.0f} s; the page showed: {shown}")
        body = await page.inner_text("body")
        exceptions = await page.locator("[data-testid='stException']").count()
        if exceptions:
            errors.append(f"{name}: {exceptions} exceptions on the page")
        if own not in body:
            errors.append(f"{name}: the page does not say it counts {own!r}")
        seen = [other for other in others if other in body]
        if seen:
            leaked = True
            errors.append(f"{name}: the page counts another session's {seen[0]!r}")
    await context.close()
    return {"sources": sources, "seconds": times, "errors": errors, "leaked": leaked}


async def run_sessions(url: str, sessions: int, timeout_s: float) -> list[dict[str, object]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        results = await asyncio.gather(*(session(browser, url, s, timeout_s) for s in source_sets(sessions)))
        await browser.close()
    return list(results)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--timeout-s", type=float, default=600.0)
    args = parser.parse_args()
    store = ensure_store(args.incidents)
    server, url = start_app(store)
    peak = [0.0]
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], server_rss_mb(server.pid))
            time.sleep(0.5)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        idle = server_rss_mb(server.pid)
        started = time.perf_counter()
        results = asyncio.run(run_sessions(url, args.sessions, args.timeout_s))
        wall = time.perf_counter() - started
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
    figures: dict[str, object] = {
        "incidents": args.incidents, "sessions": args.sessions, "wall_seconds": wall,
        "server_idle_mb": idle, "server_peak_mb": peak[0],
    }  # fmt: skip
    for name in PAGES:
        seconds = [t for r in results if (t := float(r["seconds"][name])) == t]  # type: ignore[index]
        figures[f"{name}_drawn"] = len(seconds)
        figures[f"{name}_median_s"] = statistics.median(seconds) if seconds else float("nan")
        figures[f"{name}_p95_s"] = percentile(seconds, 0.95) if seconds else float("nan")
    errors = [e for r in results for e in r["errors"]]  # type: ignore[attr-defined]
    leaking = sum(bool(r["leaked"]) for r in results)
    figures["errors"], figures["sessions_leaking"] = errors, leaking
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"load-{args.incidents}.json").write_text(json.dumps(figures, indent=2))
    print(f"{args.sessions} sessions on {args.incidents:,} incidents, {wall:.0f} s in all")
    for name in PAGES:
        median, p95 = figures[f"{name}_median_s"], figures[f"{name}_p95_s"]
        drawn = figures[f"{name}_drawn"]
        print(f"  {name:9s} drawn in {drawn} sessions: median {median:.1f} s, 95th percentile {p95:.1f} s")
    print(f"  server memory: {idle:.0f} MB idle, {peak[0]:.0f} MB at the peak")
    print(f"  errors: {len(errors)}; sessions that saw another's filters: {leaking}")


if __name__ == "__main__":
    main()
