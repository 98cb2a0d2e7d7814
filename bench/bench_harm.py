"""Benchmark: what harm weighting and the deprivation rates add to the unweighted analysis.

Target (issue: harm that counts): harm weighting and deprivation rates at 1,000,000
incidents each add at most 20% to the time of the unweighted analysis on the
same data (kernel density for harm; Gi* on LSOAs, which places every incident in
its LSOA as the rates must, for deprivation), measured side by side: each pair
runs turn about, ``--repeats`` times, and the medians are compared.  Two file
shapes (bench_engine's): police.uk's twelve columns on 20,000 snap points, and
four columns of distinct points.

Run with ``make bench-harm``; prints a table and writes ``bench/out/harm.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import bench_engine as engine  # the same files, commands and timing

TARGET_EXTRA = 0.20
KDE = ["--method", "kde", *engine.CLI_OPTIONS["kde"]]


def pairs() -> dict[str, tuple[list[str], list[str]]]:
    """Each comparison: the unweighted command, and the one that adds harm or rates."""
    out = str(engine.OUT / "harm_out.tif")
    table = str(engine.OUT / "harm_out.csv")
    found: dict[str, tuple[list[str], list[str]]] = {}
    for shape in ("police_uk", "distinct"):
        csv = str(engine.CSV_FILES[shape])
        plain = [engine.SVD_GEO, "hotspots", csv, *KDE, "--out", out]
        found[f"kde_harm_css_{shape}"] = (plain, [*plain, "--harm", "css"])
        found[f"kde_harm_cchi_{shape}"] = (plain, [*plain, "--harm", "cchi"])
    distinct = str(engine.CSV_FILES["distinct"])
    for shape in ("police_uk", "distinct"):
        csv = str(engine.CSV_FILES[shape])
        dual = ["--kernel", "quartic", "--bandwidth-m", "500", "--cell-size-m", "50"]
        found[f"rates_{shape}"] = (
            [engine.SVD_GEO, "hotspots", csv, "--method", "kde", *dual, "--out", out],
            [engine.SVD_GEO, "rates", csv, *dual, "--out", out],
        )
    # Rates by decile need each incident's LSOA, as the unweighted area analysis (Gi* on LSOAs) does.
    found["deprivation_distinct"] = (
        [engine.SVD_GEO, "hotspots", distinct, "--method", "gistar", "--areas", "lsoa",
         "--permutations", "99", "--out", table],
        [engine.SVD_GEO, "deprivation", distinct, "--out", table],
    )  # fmt: skip
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each side (default 3)")
    args = parser.parse_args()
    engine.OUT.mkdir(parents=True, exist_ok=True)
    engine.write_csv_files()
    results: dict[str, dict[str, object]] = {}
    for name, (plain, added) in pairs().items():
        base, extra = [], []
        for _ in range(args.repeats):
            base.append(engine.timed_command(plain)[0])
            extra.append(engine.timed_command(added)[0])
        ratio = float(np.median(extra) / np.median(base))
        results[name] = {
            "unweighted_seconds": float(np.median(base)), "seconds": float(np.median(extra)),
            "extra_share": ratio - 1, "target_extra": TARGET_EXTRA,
            "runs": [round(t, 2) for t in extra], "runs_unweighted": [round(t, 2) for t in base],
        }  # fmt: skip
        print(
            f"{name:28s} {np.median(extra):.2f} s against {np.median(base):.2f} s unweighted: "
            f"{ratio - 1:+.0%} (target at most +{TARGET_EXTRA:.0%})",
            flush=True,
        )
    (engine.OUT / "harm.json").write_text(json.dumps(results, indent=2))
    print(f"written {engine.OUT / 'harm.json'}")


if __name__ == "__main__":
    main()
