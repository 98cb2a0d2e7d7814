"""``svd-geo demo``, ``ingest``, ``info``, ``remove`` and ``boundaries``: the data commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from svd_geo.base.config import is_database_url, shown_location
from svd_geo.cli.common import (
    add_json,
    add_store,
    config_from,
    emit,
)


def _cmd_demo(args: argparse.Namespace) -> int:
    from svd_geo.store.backends import open_store
    from svd_geo.store.demo import build_demo_store

    config = config_from(args)
    store = open_store(config.store_path)
    beside = Path.cwd() if is_database_url(config.store_path) else Path(config.store_path).parent
    out_dir = Path(args.out_dir) if args.out_dir else beside / "demo"
    summaries = build_demo_store(store, config, out_dir=out_dir, seed=args.seed, incidents=args.incidents)
    lines = [f"SYNTHETIC demo data (seed {args.seed}) in {shown_location(config.store_path)}:"]
    lines += [
        f"  import {s['import_id']}: {s['source']:<9} {s['accepted']:>8} accepted "
        f"{s['rejected']:>6} rejected  {s['file']}"
        + ("  (already imported)" if s["already_imported"] else "")
        for s in summaries
    ]
    emit(args, {"store": shown_location(config.store_path), "imports": summaries}, "\n".join(lines))
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    import pandas as pd

    from svd_geo.outputs.files import write_csv_table
    from svd_geo.partner.detect import parse_overrides
    from svd_geo.partner.ingest import prepare_import
    from svd_geo.store.backends import open_store

    config = config_from(args)
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
    emit(args, {"imports": results}, "\n".join(lines))
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from svd_geo.store.backends import open_existing_store

    config = config_from(args)
    store = open_existing_store(config.store_path)
    counts = store.counts()
    imports = store.imports()
    records = imports.to_dict(orient="records")
    by_source = store.counts_by_source()
    synthetic = bool(imports["synthetic"].any())
    payload = {
        "store": shown_location(config.store_path),
        "incidents": counts["incidents"],
        "interventions": counts["interventions"],
        "by_source": by_source,
        "synthetic": synthetic,
        "imports": records,
    }
    lines = [
        f"{shown_location(config.store_path)}: {counts['incidents']} incidents, "
        f"{counts['interventions']} interventions" + ("  [includes SYNTHETIC demo data]" if synthetic else "")
    ]
    lines += [f"  {source}: {count}" for source, count in by_source.items()]
    lines += [
        f"  import {r['id']}: {r['source']:<9} {r['accepted']:>8} accepted {r['rejected']:>6} "
        f"rejected  {r['file']}  {r['imported_at']}"
        for r in records
    ]
    emit(args, payload, "\n".join(lines))
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:
    from svd_geo.store.backends import open_existing_store

    config = config_from(args)
    removed = open_existing_store(config.store_path).remove_import(args.import_id)
    emit(
        args,
        {"import_id": args.import_id, "incidents_removed": removed},
        f"removed import {args.import_id} and its {removed} incidents",
    )
    return 0


def _cmd_boundaries(args: argparse.Namespace) -> int:
    from svd_geo.outputs.files import write_layer
    from svd_geo.sources.boundaries import load_boundaries

    config = config_from(args)
    districts = tuple(args.district) if args.district else None
    frame = load_boundaries(args.level, config, districts=districts, vintage=args.vintage)
    out = write_layer(frame, Path(args.out), layer=f"{args.level}_boundaries")
    emit(
        args,
        {"out": str(out), "areas": len(frame)},
        f"wrote {len(frame)} {args.level} areas to {out}",
    )
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:
    from svd_geo.base.roles import require_role
    from svd_geo.store.backends import open_existing_store

    config = config_from(args)
    require_role(config.role, "analyst", "read the audit log")
    log = open_existing_store(config.store_path).audit()
    records = log.to_dict(orient="records")
    emit(args, records, log.to_string(index=False) if records else "the audit log is empty")
    return 0


def add_commands(commands: Any) -> None:
    """Register these commands on the ``svd-geo`` subparsers.

    Parameters
    ----------
    commands : argparse._SubParsersAction
        The ``svd-geo`` subparsers.
    """
    from svd_geo.base.vocabulary import LEVELS, SOURCES

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
    add_store(demo)
    add_json(demo)
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
    add_store(ingest)
    add_json(ingest)
    ingest.set_defaults(handler=_cmd_ingest)

    info = commands.add_parser("info", help="what is in the store")
    add_store(info)
    add_json(info)
    info.set_defaults(handler=_cmd_info)

    audit = commands.add_parser("audit", help="who imported, removed, changed or exported what, and when")
    add_store(audit)
    add_json(audit)
    audit.set_defaults(handler=_cmd_audit)

    remove = commands.add_parser("remove", help="remove an import and its incidents")
    remove.add_argument("import_id", type=int, metavar="IMPORT_ID", help="id from `svd-geo info`")
    add_store(remove)
    add_json(remove)
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
    add_store(boundaries)
    add_json(boundaries)
    boundaries.set_defaults(handler=_cmd_boundaries)
