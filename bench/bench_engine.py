"""Benchmarks of the hotspot engine: each figure beside a reference measured in the same run.

Run with `make bench`.  Prints a table and writes bench/out/engine.json.  Each case
runs in a fresh Python process so that peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SVD_GEO = str(Path(sys.executable).parent / "svd-geo")
GRID_CELLS = 1000
POINTS = 1_000_000
SEED = 7


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def clustered(n: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.uniform([445_000, 345_000], [462_000, 368_000], (40, 2))
    pick = rng.integers(0, len(centres), n)
    background = rng.random(n) < 0.3
    x = np.where(background, rng.uniform(445_000, 462_000, n), centres[pick, 0] + rng.normal(0, 400, n))
    y = np.where(background, rng.uniform(345_000, 368_000, n), centres[pick, 1] + rng.normal(0, 400, n))
    return x, y


def points_in_grid() -> tuple[np.ndarray, np.ndarray]:
    """1,000,000 clustered points inside the 1000 x 1000 grid of 25 m cells (KDEpy needs that)."""
    x, y = clustered(int(POINTS * 1.05))
    inside = (x > 445_000) & (x < 468_000) & (y > 345_000) & (y < 368_000)
    return x[inside][:POINTS], y[inside][:POINTS]


def case_kde(kernel: str) -> dict[str, float]:
    import tracemalloc

    from svd_geo.methods.grid import Grid
    from svd_geo.methods.kde import compute_kde

    x, y = points_in_grid()
    grid = Grid(444_000.0, 344_000.0, 25.0, GRID_CELLS, GRID_CELLS)
    bandwidth = 250.0 if kernel == "quartic" else 100.0
    compute_kde(x[:1000], y[:1000], kernel=kernel, bandwidth_m=bandwidth, grid=grid)  # warm up imports
    tracemalloc.start()
    start = time.perf_counter()
    compute_kde(x, y, kernel=kernel, bandwidth_m=bandwidth, grid=grid)
    seconds = time.perf_counter() - start
    extra_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {"seconds": seconds, "extra_peak_mb": extra_mb, "points": len(x)}


def case_kdepy(kernel: str) -> dict[str, float]:
    from KDEpy import FFTKDE

    x, y = points_in_grid()
    xs = 444_000.0 + (np.arange(GRID_CELLS) + 0.5) * 25.0
    ys = 344_000.0 + (np.arange(GRID_CELLS) + 0.5) * 25.0
    grid = np.stack(np.meshgrid(xs, ys, indexing="ij"), axis=-1).reshape(-1, 2)
    data = np.column_stack([x, y])
    # KDEpy takes the standard deviation: a quartic of radius 250 m has sigma 250 / (2 sqrt 2).
    bw = 100.0 if kernel == "gaussian" else 250.0 / (2 * np.sqrt(2))
    start = time.perf_counter()
    FFTKDE(kernel="gaussian" if kernel == "gaussian" else "biweight", bw=bw).fit(data).evaluate(grid)
    return {"seconds": time.perf_counter() - start}


def case_sklearn_kde() -> dict[str, float]:
    from sklearn.neighbors import KernelDensity

    x, y = clustered(2000)
    xs = np.linspace(445_000, 462_000, 400)
    ys = np.linspace(345_000, 368_000, 400)
    gx, gy = np.meshgrid(xs, ys)
    start = time.perf_counter()
    model = KernelDensity(kernel="gaussian", bandwidth=100.0).fit(np.column_stack([x, y]))
    model.score_samples(np.column_stack([gx.ravel(), gy.ravel()]))
    seconds = time.perf_counter() - start
    scaled = seconds * (POINTS / 2000) * (GRID_CELLS**2 / 400**2)
    return {"seconds_2000_points_400x400": seconds, "scaled_to_1m_points_1000x1000": scaled}


def case_dbscan(distinct: int, total: int, *, plain: bool) -> dict[str, float]:
    from sklearn.cluster import DBSCAN

    from svd_geo.methods.clusters import dbscan_labels

    x, y = clustered(distinct)
    if total > distinct:
        pick = np.random.default_rng(SEED).integers(0, distinct, total)
        x, y = x[pick], y[pick]
    before = peak_rss_mb()
    start = time.perf_counter()
    if plain:
        DBSCAN(eps=100.0, min_samples=50).fit_predict(np.column_stack([x, y]))
    else:
        dbscan_labels(x, y, eps_m=100.0, min_samples=50)
    return {
        "seconds": time.perf_counter() - start,
        "extra_peak_mb": peak_rss_mb() - before,
        "peak_mb": peak_rss_mb(),
    }


def case_gistar() -> dict[str, float]:
    import pandas as pd
    import shapely

    from svd_geo.methods.gistar import getis_ord, hex_grid, parse_neighbours

    hexes = hex_grid(shapely.box(0, 0, 26_000, 26_000), 250.0).iloc[:10_000]
    counts = pd.Series(
        np.random.default_rng(SEED).poisson(3, len(hexes)).astype(float), index=hexes["area_code"]
    )
    start = time.perf_counter()
    getis_ord(hexes, counts, parse_neighbours("queen"), permutations=999, seed=SEED, tolerance_m=1.0)
    return {"seconds": time.perf_counter() - start, "areas": len(hexes)}


def case_emerging() -> dict[str, float]:
    import pandas as pd
    import shapely

    from svd_geo.methods.gistar import build_graph, hex_grid, parse_neighbours
    from svd_geo.methods.trends import emerging_hotspots

    hexes = hex_grid(shapely.box(0, 0, 26_000, 26_000), 250.0).iloc[:10_000]
    counts = pd.DataFrame(np.random.default_rng(SEED).poisson(2, (len(hexes), 24)), index=hexes["area_code"])
    start = time.perf_counter()
    graph = build_graph(hexes, parse_neighbours("queen"), tolerance_m=1.0)
    emerging_hotspots(counts, graph)
    return {"seconds": time.perf_counter() - start, "cells": len(hexes), "months": 24}


CRIME_TYPES = {
    "Anti-social behaviour": 0.25, "Violence and sexual offences": 0.33, "Public order": 0.08,
    "Criminal damage and arson": 0.08, "Shoplifting": 0.07, "Other theft": 0.05, "Burglary": 0.03,
    "Vehicle crime": 0.03, "Drugs": 0.02, "Other crime": 0.02, "Theft from the person": 0.01,
    "Bicycle theft": 0.01, "Robbery": 0.01, "Possession of weapons": 0.01,
}  # fmt: skip
OUTCOMES = (
    "Investigation complete; no suspect identified", "Unable to prosecute suspect",
    "Under investigation", "Status update unavailable", "Offender given a caution",
    "Awaiting court outcome", "Local resolution", "Action to be taken by another organisation",
)  # fmt: skip


def write_csv(path: Path, distinct: int) -> None:
    """A police.uk street CSV of 1,000,000 rows on ``distinct`` snap points, as police.uk writes it.

    Every row is filled as in a real download: a 64-hex Crime ID (blank for
    anti-social behaviour), LSOA code and name and street of its snap point, an
    outcome; 0.5% of rows have no location.
    """
    import pandas as pd
    from pyproj import Transformer

    rng = np.random.default_rng(SEED)
    x, y = clustered(distinct)
    pick = rng.integers(0, distinct, POINTS)
    lon, lat = Transformer.from_crs(27700, 4326, always_xy=True).transform(x, y)
    lsoa = rng.integers(0, 600, distinct)
    crime = rng.choice(list(CRIME_TYPES), POINTS, p=np.array(list(CRIME_TYPES.values())) / 1.0)
    months = rng.integers(0, 24, POINTS)
    ids = rng.bytes(32 * POINTS).hex()
    asb = crime == "Anti-social behaviour"
    located = rng.random(POINTS) >= 0.005
    text = np.vectorize(lambda v: f"{v:.6f}", otypes=[object])
    frame = pd.DataFrame({
        "Crime ID": np.where(asb, "", [ids[i * 64:(i + 1) * 64] for i in range(POINTS)]),
        "Month": [f"{2022 + m // 12}-{m % 12 + 1:02d}" for m in months],
        "Reported by": "Nottinghamshire Police", "Falls within": "Nottinghamshire Police",
        "Longitude": np.where(located, text(lon)[pick], ""),
        "Latitude": np.where(located, text(lat)[pick], ""),
        "Location": np.where(located, [f"On or near Street {p % 5000}" for p in pick], "No Location"),
        "LSOA code": np.where(located, [f"E0102{n:04d}" for n in lsoa[pick]], ""),
        "LSOA name": np.where(located, [f"Mansfield {n % 60:03d}{'ABCDEFGHIJ'[n // 60]}" for n in lsoa[pick]],
                              ""),
        "Crime type": crime,
        "Last outcome category": np.where(asb, "", rng.choice(OUTCOMES, POINTS)),
        "Context": "",
    })  # fmt: skip
    frame.to_csv(path, index=False)


def write_few_columns_csv(path: Path, distinct: int | None) -> None:
    """1,000,000 rows of ``easting,northing,category,date``: an ambulance or ED extract's shape.

    Distinct coordinates to the metre when ``distinct`` is None, else the rows
    snapped to that many points.
    """
    import pandas as pd

    rng = np.random.default_rng(SEED + 1)
    x, y = clustered(POINTS if distinct is None else distinct, seed=SEED + 1)
    pick = np.arange(POINTS) if distinct is None else rng.integers(0, distinct, POINTS)
    days = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 730, POINTS), unit="D")
    frame = pd.DataFrame({
        "easting": np.round(x[pick]).astype(np.int64), "northing": np.round(y[pick]).astype(np.int64),
        "category": rng.choice(list(CRIME_TYPES), POINTS, p=np.array(list(CRIME_TYPES.values()))),
        "date": days.strftime("%d/%m/%Y"),
    })  # fmt: skip
    frame.to_csv(path, index=False)


def timed_command(command: list[str]) -> tuple[float, float]:
    """Run a command; return its seconds and its peak memory (MB), measured in a process of its own."""
    measure = (
        "import resource, subprocess, sys, time; start = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
        "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    result = subprocess.run(
        [sys.executable, "-c", measure, *command],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    seconds, peak_mb = result.stdout.split()
    return float(seconds), float(peak_mb)


CLI_OPTIONS = {
    "kde": ["--kernel", "quartic", "--bandwidth-m", "200", "--cell-size-m", "25"],
    "dbscan": ["--eps-m", "150", "--min-samples", "200"],
}
TARGET_RATIO = {"kde": 2.0, "dbscan": 3.0}
TARGET_MEMORY_RATIO = 3.0


def head_of(csv_path: str, rows: int = 1000) -> str:
    """Write (once) and return a file of the CSV's header and first ``rows`` rows."""
    head = OUT / f"head_{rows}_{Path(csv_path).name}"
    if not head.exists():
        with open(csv_path, encoding="utf-8") as source:
            head.write_text("".join(line for _, line in zip(range(rows + 1), source, strict=False)))
    return str(head)


def case_cli(method: str, csv_path: str, repeats: int = 5) -> dict[str, object]:
    """The command end to end beside ``pandas.read_csv`` of the same file, alternated; medians compared.

    This machine's timings swing by a third from run to run, so each side runs
    ``repeats`` times, turn about.  Peak memory is the command's own.  The target
    is on what the data adds: the peak less that of the same command on the
    file's first 1,000 rows (the interpreter and its libraries, about 200 MB,
    which alone exceed 3x a 44 MB file; a bare ``pandas.read_csv`` process
    peaks at 5x it).  Both figures are reported.
    """
    suffix = ".tif" if method == "kde" else ".csv"
    out = str(OUT / f"cli_{method}_{Path(csv_path).stem}{suffix}")
    reads, ours, peaks, fixed = [], [], [], []
    reference = [sys.executable, "-c", f"import pandas; pandas.read_csv({csv_path!r})"]
    command = [SVD_GEO, "hotspots", csv_path, "--method", method, *CLI_OPTIONS[method], "--out", out]
    on_head = [SVD_GEO, "hotspots", head_of(csv_path), "--method", method, *CLI_OPTIONS[method], "--out", out]
    for _ in range(repeats):
        reads.append(timed_command(reference)[0])
        seconds, peak_mb = timed_command(command)
        ours.append(seconds)
        peaks.append(peak_mb)
        fixed.append(timed_command(on_head)[1])
    read, seconds = float(np.median(reads)), float(np.median(ours))
    csv_mb = Path(csv_path).stat().st_size / 2**20
    data_mb = max(peaks) - float(np.median(fixed))
    return {
        "file": Path(csv_path).name, "seconds": seconds, "pandas_read_seconds": read,
        "ratio_to_read": seconds / read, "target_ratio": TARGET_RATIO[method],
        "peak_mb": max(peaks), "fixed_peak_mb": float(np.median(fixed)), "data_peak_mb": data_mb,
        "csv_mb": csv_mb, "memory_ratio_to_csv": data_mb / csv_mb,
        "whole_peak_ratio_to_csv": max(peaks) / csv_mb,
        "target_memory_ratio": TARGET_MEMORY_RATIO,
        "runs_seconds": [round(t, 2) for t in ours], "runs_pandas_read_seconds": [round(t, 2) for t in reads],
    }  # fmt: skip


CASES = {
    "kde_quartic": lambda a: case_kde("quartic"),
    "kde_gaussian": lambda a: case_kde("gaussian"),
    "kdepy_quartic": lambda a: case_kdepy("quartic"),
    "kdepy_gaussian": lambda a: case_kdepy("gaussian"),
    "sklearn_kde": lambda a: case_sklearn_kde(),
    "dbscan_snapped_1m": lambda a: case_dbscan(20_000, POINTS, plain=False),
    "dbscan_distinct_1m": lambda a: case_dbscan(POINTS, POINTS, plain=False),
    "sklearn_dbscan_distinct_100k": lambda a: case_dbscan(100_000, 100_000, plain=True),
    "sklearn_dbscan_snapped_200k": lambda a: case_dbscan(20_000, 200_000, plain=True),
    "sklearn_dbscan_snapped_1m": lambda a: case_dbscan(20_000, POINTS, plain=True),
    "gistar_10k_hex_999": lambda a: case_gistar(),
    "emerging_24x10k": lambda a: case_emerging(),
    "cli_kde_police_uk": lambda a: case_cli("kde", str(CSV_FILES["police_uk"])),
    "cli_kde_distinct_few_columns": lambda a: case_cli("kde", str(CSV_FILES["distinct"])),
    "cli_dbscan_police_uk": lambda a: case_cli("dbscan", str(CSV_FILES["police_uk"])),
    "cli_dbscan_snapped_few_columns": lambda a: case_cli("dbscan", str(CSV_FILES["snapped"])),
}
CSV_FILES = {
    "police_uk": OUT / "police_uk_1m_rows.csv",  # 20,000 snap points, the 12 police.uk columns
    "distinct": OUT / "distinct_points_1m_rows.csv",  # easting,northing,category,date; distinct points
    "snapped": OUT / "snapped_points_1m_rows.csv",  # the same columns, rows on 20,000 points
}


def write_csv_files() -> None:
    """Write each benchmark CSV that is not there yet."""
    if not CSV_FILES["police_uk"].exists():
        write_csv(CSV_FILES["police_uk"], 20_000)
    if not CSV_FILES["distinct"].exists():
        write_few_columns_csv(CSV_FILES["distinct"], None)
    if not CSV_FILES["snapped"].exists():
        write_few_columns_csv(CSV_FILES["snapped"], 20_000)


def run_case(name: str, csv_path: str, memory_limit_gb: float) -> dict[str, object]:
    code = (
        "import json, resource, sys; sys.path.insert(0, 'bench'); "
        f"resource.setrlimit(resource.RLIMIT_AS, ({int(memory_limit_gb * 2**30)}, -1)); "
        "import bench_engine as b; import argparse; "
        f"print(json.dumps(b.CASES[{name!r}](argparse.Namespace(csv={csv_path!r}))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["?"])[-1]
        return {"failed": last[:160]}
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", help="run only these cases")
    parser.add_argument("--memory-limit-gb", type=float, default=8.0, help="address-space cap per case")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    write_csv_files()
    results = {}
    for name in args.only or CASES:
        results[name] = run_case(name, str(CSV_FILES["police_uk"]), args.memory_limit_gb)
        print(f"{name:32s} {json.dumps(results[name])}", flush=True)
    ratios = {}
    for kernel in ("quartic", "gaussian"):
        ours = results.get(f"kde_{kernel}", {}).get("seconds")
        if ours:
            kdepy = results.get(f"kdepy_{kernel}", {}).get("seconds")
            ratios[f"kde_{kernel}_vs_kdepy"] = kdepy / ours if kdepy else None
            scaled = results.get("sklearn_kde", {}).get("scaled_to_1m_points_1000x1000")
            ratios[f"kde_{kernel}_vs_sklearn_scaled"] = scaled / ours if scaled else None
    print("\nratios (reference time / ours; > 1 means faster):")
    for name, value in ratios.items():
        print(f"  {name:32s} {value if value is None else round(value, 1)}")
    print("\nsvd-geo hotspots on a 1,000,000-row CSV (median of 5, against pandas.read_csv of it):")
    for name, result in results.items():
        if name.startswith("cli_") and "ratio_to_read" in result:
            print(
                f"  {name:32s} {result['seconds']:.2f} s vs {result['pandas_read_seconds']:.2f} s: "
                f"{result['ratio_to_read']:.2f}x (target {result['target_ratio']}x); peak "
                f"{result['peak_mb']:.0f} MB, of which the data {result['data_peak_mb']:.0f} MB = "
                f"{result['memory_ratio_to_csv']:.2f}x the CSV's {result['csv_mb']:.0f} MB "
                f"(target {result['target_memory_ratio']}x; "
                f"whole process {result['whole_peak_ratio_to_csv']:.1f}x)"
            )
    (OUT / "engine.json").write_text(json.dumps({"results": results, "ratios": ratios}, indent=2))
    print(f"\nwritten {OUT / 'engine.json'}")


if __name__ == "__main__":
    main()
