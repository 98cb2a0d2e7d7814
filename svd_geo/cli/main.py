"""The ``svd-geo`` command line.

Names, options and JSON keys here are contracts that analysts script against:
keep them.  Errors raised on purpose (:class:`~svd_geo.base.errors.SvdGeoError`)
print one clear line and exit with status 2; nothing else is caught.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from svd_geo import __version__
from svd_geo.base.config import Config
from svd_geo.base.errors import SvdGeoError

EXIT_REFUSED = 2
logger = logging.getLogger("svd_geo")


def _config(args: argparse.Namespace) -> Config:
    config = Config()
    store = getattr(args, "store", None)
    return replace(config, store_path=Path(store)) if store else config


def _emit(args: argparse.Namespace, payload: Any, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(payload, indent=2, default=str))
    else:
        print(text)


def _cmd_demo(args: argparse.Namespace) -> int:
    from svd_geo.store.demo import build_demo_store
    from svd_geo.store.geopackage import open_store

    config = _config(args)
    store = open_store(config.store_path)
    out_dir = Path(args.out_dir) if args.out_dir else config.store_path.parent / "demo"
    summaries = build_demo_store(store, config, out_dir=out_dir, seed=args.seed, incidents=args.incidents)
    lines = [f"SYNTHETIC demo data (seed {args.seed}) in {config.store_path}:"]
    lines += [
        f"  import {s['import_id']}: {s['source']:<9} {s['accepted']:>8} accepted "
        f"{s['rejected']:>6} rejected  {s['file']}"
        + ("  (already imported)" if s["already_imported"] else "")
        for s in summaries
    ]
    _emit(args, {"store": str(config.store_path), "imports": summaries}, "\n".join(lines))
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    import pandas as pd

    from svd_geo.outputs.files import write_csv_table
    from svd_geo.partner.ingest import parse_overrides, prepare_import
    from svd_geo.store.geopackage import open_store

    config = _config(args)
    overrides = parse_overrides(args.map or [])
    prepared = [prepare_import(Path(f), args.source, config, overrides=overrides) for f in args.files]
    store = open_store(config.store_path)
    results, lines = [], []
    for item in prepared:
        result = store.add_import(item)
        summary = {
            **item.summary,
            "import_id": result.import_id,
            "already_imported": result.already_imported,
            "detections": [d.__dict__ for d in item.detections],
        }
        results.append(summary)
        if result.already_imported:
            lines.append(f"{item.file_name}: already imported as import {result.import_id}; nothing added")
            continue
        lines.append(
            f"{item.file_name}: import {result.import_id}, {result.accepted} accepted, "
            f"{result.rejected} rejected ({summary['area_only']} area only, "
            f"{summary['outside_study_area']} outside the study area)"
        )
        for detection in item.detections:
            lines.append(
                f"  {detection.table}: {detection.layout} layout; locations: {detection.coordinates}"
            )
            lines += [f"  note: {note}" for note in detection.notes]
    if args.rejected:
        write_csv_table(pd.concat([p.rejected for p in prepared]), args.rejected)
        lines.append(f"rows set aside written to {args.rejected}")
    _emit(args, {"imports": results}, "\n".join(lines))
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from svd_geo.store.geopackage import open_existing_store

    config = _config(args)
    store = open_existing_store(config.store_path)
    counts = store.counts()
    imports = store.imports()
    records = imports.to_dict(orient="records")
    by_source = store.counts_by_source()
    synthetic = bool(imports["synthetic"].any())
    payload = {
        "store": str(config.store_path),
        "incidents": counts["incidents"],
        "interventions": counts["interventions"],
        "by_source": by_source,
        "synthetic": synthetic,
        "imports": records,
    }
    lines = [
        f"{config.store_path}: {counts['incidents']} incidents, "
        f"{counts['interventions']} interventions" + ("  [includes SYNTHETIC demo data]" if synthetic else "")
    ]
    lines += [f"  {source}: {count}" for source, count in by_source.items()]
    lines += [
        f"  import {r['id']}: {r['source']:<9} {r['accepted']:>8} accepted {r['rejected']:>6} "
        f"rejected  {r['file']}  {r['imported_at']}"
        for r in records
    ]
    _emit(args, payload, "\n".join(lines))
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:
    from svd_geo.store.geopackage import open_existing_store

    config = _config(args)
    removed = open_existing_store(config.store_path).remove_import(args.import_id)
    _emit(
        args,
        {"import_id": args.import_id, "incidents_removed": removed},
        f"removed import {args.import_id} and its {removed} incidents",
    )
    return 0


def _cmd_boundaries(args: argparse.Namespace) -> int:
    from svd_geo.outputs.files import write_layer
    from svd_geo.sources.boundaries import load_boundaries

    config = _config(args)
    districts = tuple(args.district) if args.district else None
    frame = load_boundaries(args.level, config, districts=districts, vintage=args.vintage)
    out = write_layer(frame, Path(args.out), layer=f"{args.level}_boundaries")
    _emit(
        args,
        {"out": str(out), "areas": len(frame)},
        f"wrote {len(frame)} {args.level} areas to {out}",
    )
    return 0


def _cmd_hotspots(args: argparse.Namespace) -> int:
    from svd_geo.analyses.run import draws_polygons, run_hotspots, write_hotspot_output

    config = _config(args)
    _refuse_store_as_output(Path(args.out), config)
    params = _params(args)
    incidents = _selected_incidents(args, config, join_areas=params.uses_area_codes)
    run = run_hotspots(incidents, params, config, polygons=draws_polygons(Path(args.out), args.method))
    if args.shareable:
        _make_shareable(run, Path(args.out))
    out = write_hotspot_output(run, Path(args.out), _export_metadata(args, config, incidents, "hotspots"))
    summary = {**run.summary, "out": str(out), "filters": incidents.attrs.get("filters", "")}
    text = f"{args.method}: " + ", ".join(f"{k} {v}" for k, v in summary.items() if k != "method")
    _emit(args, summary, text)
    return 0


def _cmd_trends(args: argparse.Namespace) -> int:
    from svd_geo.analyses.run import run_trends, write_trends_output

    config = _config(args)
    if args.out:
        _refuse_store_as_output(Path(args.out), config)
    incidents = _selected_incidents(args, config)
    run = run_trends(incidents, _params(args), config, by=args.by)
    summary = {**run.summary, "filters": incidents.attrs.get("filters", "")}
    if args.out:
        summary["out"] = str(write_trends_output(run, Path(args.out)))
    payload = {**summary, "monthly": run.monthly.assign(month=run.monthly["month"].dt.strftime("%Y-%m"))
               .to_dict(orient="records"), "week_hour": run.week_hour.to_dict(orient="index")}  # fmt: skip
    trend = run.trend
    text = (
        f"{summary['months']} months; trend: {trend['trend']} (Mann-Kendall p {trend['p']:.3f}, "
        f"Sen's slope {trend['slope_per_step']:.2f} a month); "
        f"{summary['timed_records']} records with a time\n"
        + (
            f"latest month has records only to {summary['latest_month_partial_to']}: "
            "left out of the trend test\n"
            if summary["latest_month_partial_to"]
            else ""
        )
        + "\n".join(f"  {name}: {count}" for name, count in summary["emerging"].items())
    )
    _emit(args, payload, text)
    return 0


def _make_shareable(run: Any, out: Path) -> None:
    from svd_geo.base.errors import DataValidationError
    from svd_geo.outputs.files import shareable_layer

    if run.labels is not None and out.name.lower().endswith(".csv"):
        msg = "--shareable: a CSV of cluster labels has one row per incident; share the polygons instead."
        raise DataValidationError(msg)
    run.layer = shareable_layer(run.layer)


def _export_metadata(
    args: argparse.Namespace, config: Config, incidents: Any, what: str
) -> dict[str, object]:
    from svd_geo.cli.places import export_inputs
    from svd_geo.outputs.files import data_sources, export_metadata, generated_now

    return export_metadata(
        what=what, parameters={}, filters=incidents.attrs.get("filters", ""),
        sources=data_sources(config, export_inputs(args, config)), generated=generated_now(),
    )  # fmt: skip


def _refuse_store_as_output(out: Path, config: Config) -> None:
    from svd_geo.base.errors import DataValidationError

    if out.resolve() == config.store_path.resolve():
        msg = f"--out {out} is the store; write results to another file."
        raise DataValidationError(msg)


def _selected_incidents(args: argparse.Namespace, config: Config, *, join_areas: bool = True) -> Any:
    from svd_geo.partner.harm import apply_weights, read_weights
    from svd_geo.select import IncidentFilter, filter_incidents, load_input, load_store_incidents

    if args.input:
        incidents = load_input(Path(args.input), config, source=args.source, join_areas=join_areas)
    else:
        incidents = load_store_incidents(config)
    selection = IncidentFilter(
        categories=tuple(args.category or ()),
        sources=(args.source,) if args.source and not args.input else (),
        date_from=args.date_from,
        date_to=args.date_to,
    )
    selected = filter_incidents(incidents, selection)
    if args.weights:
        selected, unmatched = apply_weights(selected, read_weights(Path(args.weights)))
        if unmatched:
            logger.warning("categories not in %s kept weight 1: %s", args.weights, ", ".join(unmatched))
    selected.attrs = {**incidents.attrs, "filters": selection.describe()}
    return selected


def _add_selection(parser: argparse.ArgumentParser) -> None:
    from svd_geo.base.vocabulary import SOURCES

    parser.add_argument(
        "input",
        nargs="?",
        metavar="INPUT",
        help="a partner file (any format ingest reads); the store when omitted",
    )
    parser.add_argument("--category", action="append", help="keep this category; repeatable")
    parser.add_argument("--source", choices=SOURCES, help="keep this partner source")
    parser.add_argument("--from", dest="date_from", metavar="YYYY-MM[-DD]", help="first day or month")
    parser.add_argument("--to", dest="date_to", metavar="YYYY-MM[-DD]", help="last day or month")
    parser.add_argument("--weights", metavar="FILE", help="harm table: CSV of category,weight")
    _add_store(parser)
    _add_json(parser)


_SWEEPABLE = {
    "bandwidth_m": float, "cell_size_m": float, "threshold": str, "eps_m": float, "min_samples": int,
    "min_cluster_size": int, "areas": str, "neighbours": str,
}  # fmt: skip


def _add_method_options(parser: argparse.ArgumentParser, *, sweep: bool = False) -> None:
    """Add the method options, each defaulting to :class:`~svd_geo.analyses.params.HotspotParams`."""
    from svd_geo.analyses.params import HotspotParams

    default = HotspotParams()
    many: dict[str, Any] = {"nargs": "+"} if sweep else {}
    kde = parser.add_argument_group("kernel density (kde)")
    kde.add_argument(
        "--bandwidth-m", type=float, **many,
        help=f"quartic radius or Gaussian sigma (default {default.bandwidth_m:g})",
    )  # fmt: skip
    kde.add_argument("--cell-size-m", type=float, **many, help="grid cell size (default: from the bandwidth)")
    kde.add_argument("--kernel", choices=("quartic", "gaussian"))
    kde.add_argument(
        "--threshold",
        **many,
        help=f"pNN percentile of non-zero cells or meanNx (default {default.threshold})",
    )
    dbscan = parser.add_argument_group("clusters (dbscan, hdbscan)")
    dbscan.add_argument("--eps-m", type=float, **many, help=f"DBSCAN radius (default {default.eps_m:g})")
    dbscan.add_argument(
        "--min-samples", type=int, **many, help=f"DBSCAN core size (default {default.min_samples})"
    )
    dbscan.add_argument(
        "--min-cluster-size", type=int, **many,
        help=f"HDBSCAN smallest cluster (default {default.min_cluster_size})",
    )  # fmt: skip
    gistar = parser.add_argument_group("Getis-Ord Gi* (gistar)")
    gistar.add_argument(
        "--areas", **many, help=f"ward, lsoa, hex:SIZE_M or a boundary file (default {default.areas})"
    )
    gistar.add_argument("--area-code-field", metavar="NAME", help="code field of a boundary file")
    gistar.add_argument(
        "--neighbours", **many, help=f"queen, rook, knn:K or distance:M (default {default.neighbours})"
    )
    gistar.add_argument(
        "--permutations", type=int, help=f"permutation test size (default {default.permutations})"
    )
    gistar.add_argument("--seed", type=int, help=f"permutation seed (default {default.seed})")


def _params(args: argparse.Namespace, **chosen: Any) -> Any:
    """Return the options given, over the defaults of :class:`~svd_geo.analyses.params.HotspotParams`."""
    from svd_geo.analyses.params import HotspotParams

    names = (*_SWEEPABLE, "kernel", "area_code_field", "permutations", "seed")
    given = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    return HotspotParams(method=args.method, **{**given, **chosen})


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from svd_geo.analyses.evaluate import sweep
    from svd_geo.outputs.files import write_csv_table

    config = _config(args)
    incidents = _selected_incidents(args, config)
    swept = {name: getattr(args, name) for name in _SWEEPABLE if isinstance(getattr(args, name), list)}
    base = _params(args, **{name: values[0] for name, values in swept.items()})
    table = sweep(
        incidents, base, swept, config,
        test_start=args.test_from, fit_months=args.fit_months, test_months=args.test_months,
    )  # fmt: skip
    if args.out:
        write_csv_table(table, args.out)
    shown = [c for c in ("method", *swept, "hit_rate", "area_share", "pai", "rri", "baseline_hit_rate",
                         "baseline_pai", "pai_10pct", "baseline_hit_rate_10pct") if c in table]  # fmt: skip
    _emit(
        args,
        {"periods": table["periods"].iloc[0], "ranking": table.to_dict(orient="records")},
        f"{table['periods'].iloc[0]}\n"
        + table[shown].to_string(index=False, float_format=lambda v: f"{v:.3f}"),
    )
    return 0


def _add_store(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="PATH",
        help="store GeoPackage (default: $SVD_GEO_STORE or data/store.gpkg)",
    )


def _add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``svd-geo`` command."""
    from svd_geo.base.vocabulary import LEVELS, METHODS, SOURCES

    parser = argparse.ArgumentParser(
        prog="svd-geo",
        description="Serious Violence Duty hotspot analysis: ingest partner data, store it, map it.",
    )
    parser.add_argument("--version", action="version", version=f"svd-geo {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="write and import the SYNTHETIC demo data set")
    demo.add_argument("--seed", type=int, default=2022, help="random seed (default 2022)")
    demo.add_argument(
        "--incidents",
        type=int,
        default=20_000,
        help="incidents across all partners (default 20000)",
    )
    demo.add_argument(
        "--out-dir",
        metavar="DIR",
        help="where to write the demo files (default: demo/ beside the store)",
    )
    _add_store(demo)
    _add_json(demo)
    demo.set_defaults(handler=_cmd_demo)

    ingest = commands.add_parser("ingest", help="validate partner files and add them to the store")
    ingest.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="CSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile or police.uk zip",
    )
    ingest.add_argument("--source", required=True, choices=SOURCES, help="partner the data comes from")
    ingest.add_argument(
        "--map",
        action="append",
        metavar="COLUMN=FIELD",
        help="use COLUMN as FIELD (e.g. 'Inc Lat=latitude'); repeatable",
    )
    ingest.add_argument("--rejected", metavar="OUT.csv", help="write rows set aside to this CSV")
    _add_store(ingest)
    _add_json(ingest)
    ingest.set_defaults(handler=_cmd_ingest)

    info = commands.add_parser("info", help="what is in the store")
    _add_store(info)
    _add_json(info)
    info.set_defaults(handler=_cmd_info)

    remove = commands.add_parser("remove", help="remove an import and its incidents")
    remove.add_argument("import_id", type=int, metavar="IMPORT_ID", help="id from `svd-geo info`")
    _add_store(remove)
    _add_json(remove)
    remove.set_defaults(handler=_cmd_remove)

    boundaries = commands.add_parser("boundaries", help="write registered boundaries to a file")
    boundaries.add_argument("--level", required=True, choices=LEVELS[:3], help="geography level")
    boundaries.add_argument(
        "--district",
        action="append",
        metavar="CODE",
        help="ONS district code; repeatable (default: the study area)",
    )
    boundaries.add_argument("--vintage", type=int, help="year of the geography (default: newest)")
    boundaries.add_argument(
        "--out", required=True, metavar="FILE", help="output: .gpkg, .geojson, .shp.zip or .csv"
    )
    _add_store(boundaries)
    _add_json(boundaries)
    boundaries.set_defaults(handler=_cmd_boundaries)

    hotspots = commands.add_parser("hotspots", help="find hotspots: kde, dbscan, hdbscan or gistar")
    _add_selection(hotspots)
    hotspots.add_argument("--method", required=True, choices=METHODS)
    hotspots.add_argument(
        "--out", required=True, metavar="OUT", help=".tif (kde surface), .gpkg, .shp.zip, .geojson or .csv"
    )
    hotspots.add_argument(
        "--shareable", action="store_true", help="suppress counts below 5, for sharing beyond analysts"
    )
    _add_method_options(hotspots)
    hotspots.set_defaults(handler=_cmd_hotspots)

    evaluate = commands.add_parser("evaluate", help="forecast accuracy (PAI, RRI) of hotspot parameters")
    _add_selection(evaluate)
    evaluate.add_argument("--method", required=True, choices=METHODS)
    evaluate.add_argument(
        "--test-from", metavar="YYYY-MM", help="first test month (default: the last months)"
    )
    evaluate.add_argument("--fit-months", type=int, default=12, help="months fitted on (default 12)")
    evaluate.add_argument("--test-months", type=int, default=3, help="months tested on (default 3)")
    evaluate.add_argument("--out", metavar="FILE.csv", help="write the ranking table")
    _add_method_options(evaluate, sweep=True)
    evaluate.set_defaults(handler=_cmd_evaluate)

    trends = commands.add_parser("trends", help="monthly trend, week-hour pattern and emerging hotspots")
    _add_selection(trends)
    trends.add_argument("--by", choices=("source", "category"), help="split the monthly counts")
    trends.add_argument("--out", metavar="OUT", help=".gpkg (all layers), .csv, .geojson or .shp.zip")
    trends.set_defaults(method="gistar")
    _add_method_options(trends)
    trends.set_defaults(handler=_cmd_trends)

    from svd_geo.cli.places import add_commands

    add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``svd-geo`` command; return its exit status."""
    logging.basicConfig(level=logging.WARNING, format="svd-geo: %(message)s")
    args = build_parser().parse_args(argv)
    if getattr(args, "input", None):
        from svd_geo.partner.readers import read_ahead

        read_ahead(Path(args.input))
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except SvdGeoError as err:
        print(f"svd-geo {args.command}: error: {err}", file=sys.stderr)
        return EXIT_REFUSED


def run() -> None:
    """Run the ``svd-geo`` command as a program: exit with its status.

    Before exiting it freezes the garbage collector: the interpreter's last
    collections would walk every object again, which after a million incidents
    (a geometry column of a million references) took 0.3 s once the output was
    written.  Exiting frees the memory all the same.
    """
    status = main()
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    run()
