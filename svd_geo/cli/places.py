"""``svd-geo interventions``, ``coverage`` and ``briefing``: the place-based commands.

Kept apart from :mod:`svd_geo.cli.main` (which registers them) so that each module
stays readable; the same contracts apply: names, options and JSON keys stay.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from svd_geo.base.config import Config, shown_location
from svd_geo.cli.common import (
    add_json,
    add_method_options,
    add_selection,
    add_store,
    config_from,
    emit,
    export_inputs,
    log_export,
    method_params,
    refuse_output,
    selected_incidents,
)


def _cmd_interventions_add(args: argparse.Namespace) -> int:
    from svd_geo.outputs.files import write_csv_table
    from svd_geo.partner.detect import parse_overrides
    from svd_geo.partner.interventions import prepare_interventions, refuse_stored_again
    from svd_geo.store.backends import open_store

    config = config_from(args)
    overrides = parse_overrides(args.map or [])
    prepared = prepare_interventions(Path(args.file), synthetic=args.synthetic, overrides=overrides)
    store = open_store(config.store_path)
    refuse_stored_again(prepared.places, store.interventions(), Path(args.file).name)
    added = store.add_interventions(prepared.places)
    if args.rejected:
        write_csv_table(prepared.rejected, args.rejected)
    rows = prepared.rejected.to_dict(orient="records")
    lines = [f"{args.file}: {added} intervention places added, {len(rows)} rows set aside"]
    lines += [f"  note: {note}" for note in prepared.notes]
    lines += [f"  line {r['line']} ({r['column']}={r['value']!r}): {r['reason']}" for r in rows[:20]]
    summary = {"file": args.file, "added": added, "notes": prepared.notes, "rejected": rows}
    emit(args, summary, "\n".join(lines))
    return 0


def _cmd_interventions_list(args: argparse.Namespace) -> int:
    from svd_geo.store.backends import open_existing_store

    config = config_from(args)
    places = open_existing_store(config.store_path).interventions()
    if args.out:
        _write_places(args, config, places)
    table = places.drop(columns="geometry").assign(area_m2=places.area.round(0))
    records = table.to_dict(orient="records")
    text = table.to_string(index=False) if records else "no intervention places in the store"
    emit(args, records, text)
    return 0


def _write_places(args: argparse.Namespace, config: Config, places: Any) -> None:
    from svd_geo.outputs.files import write_export
    from svd_geo.outputs.metadata import data_sources, export_metadata, generated_now, write_sidecar

    out = Path(args.out)
    refuse_output(out, config)
    generated = generated_now()
    written = write_export({"intervention_places": places}, out, generated=generated)
    metadata = export_metadata(
        what="intervention places", parameters={}, filters="all places in the store",
        sources=data_sources(config, export_inputs(args, config)), generated=generated,
    )  # fmt: skip
    write_sidecar(written, {**metadata, "layers": {"intervention_places": len(places)}})
    log_export(args, config, written)


def _cmd_interventions_remove(args: argparse.Namespace) -> int:
    from svd_geo.store.backends import open_existing_store

    open_existing_store(config_from(args).store_path).remove_intervention(args.intervention_id)
    emit(args, {"removed": args.intervention_id}, f"removed intervention {args.intervention_id}")
    return 0


def _cmd_coverage(args: argparse.Namespace) -> int:
    from svd_geo.analyses.coverage import run_coverage
    from svd_geo.analyses.run import run_parameters
    from svd_geo.outputs.files import shareable_layer, write_export
    from svd_geo.outputs.metadata import data_sources, export_metadata, generated_now, write_sidecar

    config = config_from(args)
    out = Path(args.out)
    refuse_output(out, config)
    places = _places(args, config)
    incidents = selected_incidents(args, config)
    run, result = run_coverage(
        incidents,
        method_params(args),
        config,
        places,
        rank_by=args.rank_by,
        min_covered_share=args.min_covered_share,
    )
    layers = {"hotspot_coverage": result.hotspots, "uncovered_hotspots": result.uncovered,
              "intervention_places": result.places}  # fmt: skip
    if args.shareable:
        limit, step = config.small_count_threshold, config.round_counts_to
        layers = {name: shareable_layer(layer, limit, step) for name, layer in layers.items()}
    generated = generated_now()
    if out.name.lower().endswith(".csv"):
        written = write_export({"hotspot_coverage": layers["hotspot_coverage"]}, out)
    else:
        written = write_export(layers, out, generated=generated)
    metadata = export_metadata(
        what="coverage of hotspots by intervention places",
        parameters={
            **run_parameters(run),
            "rank_by": args.rank_by,
            "min_covered_share": args.min_covered_share,
        },
        filters=incidents.attrs.get("filters", ""),
        sources=data_sources(config, export_inputs(args, config)),
        generated=generated,
        harm=incidents.attrs.get("harm"),
    )
    write_sidecar(
        written, {**metadata, "overall": result.overall, "layers": {k: len(v) for k, v in layers.items()}}
    )
    log_export(args, config, written)
    payload = {**result.overall, "out": str(written),
               "uncovered": result.uncovered.drop(columns="geometry").to_dict(orient="records")}  # fmt: skip
    overall = result.overall
    text = (
        f"{int(overall['hotspots'])} hotspots, {int(overall['places_active'])} intervention places active; "
        f"covered: {overall['area_covered_share']:.0%} of hotspot area, "
        f"{overall['incidents_covered_share']:.0%} of incidents, "
        f"{overall['harm_covered_share']:.0%} of harm; "
        f"{int(overall['uncovered_hotspots'])} uncovered hotspots; wrote {written}"
    )
    emit(args, payload, text)
    return 0


def _places(args: argparse.Namespace, config: Config) -> Any:
    """Intervention places from --interventions FILE, or from the store (never creating one)."""
    from svd_geo.base.errors import DataValidationError
    from svd_geo.partner.interventions import prepare_interventions
    from svd_geo.store.backends import open_store, store_exists

    if getattr(args, "interventions", None):
        return prepare_interventions(Path(args.interventions)).places
    if not store_exists(config.store_path):
        msg = (
            f"no intervention places: there is no store at {shown_location(config.store_path)}. Add "
            "places with `svd-geo interventions add FILE`, or pass --interventions FILE."
        )
        raise DataValidationError(msg)
    return open_store(config.store_path).interventions()


def _cmd_briefing(args: argparse.Namespace) -> int:
    from svd_geo.outputs.briefing import build_briefing
    from svd_geo.outputs.files import write_text_atomically
    from svd_geo.outputs.metadata import generated_now

    config = config_from(args)
    out = Path(args.out)
    refuse_output(out, config, needed="viewer")
    incidents = selected_incidents(args, config)
    html = build_briefing(
        incidents, _places(args, config), config, params=method_params(args),
        generated=generated_now(), filters=incidents.attrs.get("filters", ""),
        inputs=export_inputs(args, config),
    )  # fmt: skip
    write_text_atomically(out, html)
    log_export(args, config, out)
    emit(args, {"out": str(out), "bytes": len(html.encode())}, f"wrote the briefing pack {out}")
    return 0


def add_commands(commands: Any) -> None:
    """Register ``interventions``, ``coverage`` and ``briefing`` on the ``svd-geo`` parser.

    Parameters
    ----------
    commands : argparse._SubParsersAction
        The ``svd-geo`` subparsers.
    """
    from svd_geo.base.vocabulary import METHODS

    places = commands.add_parser("interventions", help="intervention places: add, list, remove")
    actions = places.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="validate a file of intervention places and store them")
    add.add_argument(
        "file", metavar="FILE", help="GeoJSON, GeoPackage, zipped Shapefile, or CSV with radius_m"
    )
    add.add_argument("--synthetic", action="store_true", help="mark the places as invented (demo data)")
    add.add_argument(
        "--map", action="append", metavar="COLUMN=FIELD",
        help="use COLUMN as FIELD (name, partner, type, start_date, end_date, notes, radius_m, width_m "
        "or ignore); repeatable",
    )  # fmt: skip
    add.add_argument("--rejected", metavar="OUT.csv", help="write rows set aside to this CSV")
    add_store(add)
    add_json(add)
    add.set_defaults(handler=_cmd_interventions_add)
    listing = actions.add_parser("list", help="list the stored intervention places")
    listing.add_argument(
        "--out", metavar="FILE", help="also write the places: .gpkg, .geojson, .shp.zip or .csv"
    )
    add_store(listing)
    add_json(listing)
    listing.set_defaults(handler=_cmd_interventions_list)
    remove = actions.add_parser("remove", help="remove one intervention place")
    remove.add_argument(
        "intervention_id", type=int, metavar="ID", help="id from `svd-geo interventions list`"
    )
    add_store(remove)
    add_json(remove)
    remove.set_defaults(handler=_cmd_interventions_remove)

    cover = commands.add_parser("coverage", help="hotspots covered and uncovered by intervention places")
    add_selection(cover)
    cover.add_argument("--method", default="kde", choices=METHODS)
    cover.add_argument(
        "--out", required=True, metavar="FILE", help=".gpkg (all layers), .csv, .geojson or .shp.zip"
    )
    cover.add_argument("--interventions", metavar="FILE", help="places from this file instead of the store")
    cover.add_argument("--rank-by", choices=("incidents", "harm"), default="incidents")
    cover.add_argument(
        "--shareable", action="store_true", help="suppress counts below 5, for sharing beyond analysts"
    )
    cover.add_argument(
        "--min-covered-share",
        type=float,
        default=0.1,
        help="below this share of incidents covered: uncovered",
    )
    add_method_options(cover)
    cover.set_defaults(handler=_cmd_coverage)

    briefing = commands.add_parser("briefing", help="write the meeting briefing pack (one HTML file)")
    add_selection(briefing)
    briefing.add_argument("--out", required=True, metavar="FILE.html")
    briefing.set_defaults(method="kde")
    add_method_options(briefing)
    briefing.set_defaults(handler=_cmd_briefing)
