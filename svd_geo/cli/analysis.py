"""``svd-geo hotspots``, ``evaluate`` and ``trends``: the analysis commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from svd_geo.base.errors import DataValidationError
from svd_geo.cli.common import (
    SWEEPABLE,
    add_method_options,
    add_selection,
    config_from,
    emit,
    export_metadata_of,
    log_export,
    make_shareable,
    method_params,
    refuse_output,
    selected_incidents,
)
from svd_geo.select.filters import View


def _cmd_hotspots(args: argparse.Namespace) -> int:
    from svd_geo.analyses.run import run_hotspots
    from svd_geo.outputs.results import draws_polygons, write_hotspot_output

    config = config_from(args)
    refuse_output(Path(args.out), config)
    if args.input and Path(args.out).resolve() == Path(args.input).resolve():
        msg = f"--out {args.out}: that is the input file; write the result to another file."
        raise DataValidationError(msg)
    params = method_params(args)
    incidents = selected_incidents(
        args, config, join_areas=params.uses_area_codes, points=not params.reads_coordinates_only
    )
    run = run_hotspots(incidents, params, config, polygons=draws_polygons(Path(args.out), args.method))
    if args.shareable:
        make_shareable(run, Path(args.out), config)
    out = write_hotspot_output(run, Path(args.out), export_metadata_of(args, config, incidents, "hotspots"))
    log_export(args, config, out)
    summary = {**run.summary, "out": str(out), "filters": incidents.attrs.get("filters", "")}
    text = f"{args.method}: " + ", ".join(f"{k} {v}" for k, v in summary.items() if k != "method")
    emit(args, summary, text)
    return 0


def _cmd_trends(args: argparse.Namespace) -> int:
    from svd_geo.analyses.trends import run_trends
    from svd_geo.outputs.results import write_trends_output

    config = config_from(args)
    if args.out:
        refuse_output(Path(args.out), config)
    incidents = selected_incidents(args, config)
    run = run_trends(incidents, method_params(args), config, by=args.by)
    summary = {**run.summary, "filters": incidents.attrs.get("filters", "")}
    if args.out:
        summary["out"] = str(write_trends_output(run, Path(args.out)))
        log_export(args, config, Path(args.out))
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
    emit(args, payload, text)
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from svd_geo.analyses.evaluate import sweep
    from svd_geo.outputs.files import write_csv_table

    config = config_from(args)
    incidents = selected_incidents(args, config)
    swept = {name: getattr(args, name) for name in SWEEPABLE if isinstance(getattr(args, name), list)}
    base = method_params(args, **{name: values[0] for name, values in swept.items()})
    table = sweep(
        incidents, base, swept, config,
        test_start=args.test_from, fit_months=args.fit_months, test_months=args.test_months,
    )  # fmt: skip
    if args.out:
        write_csv_table(table, args.out)
    shown = [c for c in ("method", *swept, "hit_rate", "area_share", "pai", "rri", "baseline_hit_rate",
                         "baseline_pai", "pai_10pct", "baseline_hit_rate_10pct") if c in table]  # fmt: skip
    emit(
        args,
        {"periods": table["periods"].iloc[0], "ranking": table.to_dict(orient="records")},
        f"{table['periods'].iloc[0]}\n"
        + table[shown].to_string(index=False, float_format=lambda v: f"{v:.3f}"),
    )
    return 0


def _cmd_deprivation(args: argparse.Namespace) -> int:
    from svd_geo.analyses.deprivation import deprivation_rates
    from svd_geo.outputs.files import write_csv_table
    from svd_geo.outputs.metadata import write_sidecar

    config = config_from(args)
    if args.out:
        refuse_output(Path(args.out), config)
    incidents = selected_incidents(args, config, points=args.imd == 2025)  # 2021 LSOAs place points
    rates = deprivation_rates(incidents, config, domain=args.domain, edition=args.imd)
    ratio = rates.ratio
    summary = {
        "domain": rates.title, "rate_ratio": ratio.ratio, "rate_ratio_low": ratio.low,
        "rate_ratio_high": ratio.high, "most_deprived_decile": ratio.most,
        "least_deprived_decile": ratio.least, "left_out": rates.left_out,
        "harm_ratio": rates.harm_ratio, "filters": incidents.attrs.get("filters", ""),
    }  # fmt: skip
    if args.out:
        out = Path(args.out)
        write_csv_table(rates.table, out)
        what = f"incidents per 1,000 residents by decile of the {rates.title}"
        write_sidecar(out, {**export_metadata_of(args, config, incidents, what), **summary})
        log_export(args, config, out)
        summary["out"] = str(out)
    text = (
        rates.table.to_string(index=False, float_format=lambda v: f"{v:,.2f}")
        + "\n"
        + " ".join(filter(None, [ratio.sentence(rates.title), rates.harm_sentence()]))
    )
    if rates.left_out:
        text += (
            f"\n{rates.left_out:,} incidents have no LSOA of the study area with residents and are left out."
        )
    emit(args, {**summary, "deciles": rates.table.to_dict(orient="records")}, text)
    return 0


def _cmd_unreported(args: argparse.Namespace) -> int:
    from svd_geo.analyses.unreported import unreported_violence
    from svd_geo.outputs.files import write_layer
    from svd_geo.outputs.metadata import write_sidecar

    config = config_from(args)
    if args.out:
        refuse_output(Path(args.out), config)
    incidents = selected_incidents(args, config, points=False)
    result = unreported_violence(incidents, config, level=args.level)
    summary = {**result.overall, "level": args.level, "filters": incidents.attrs.get("filters", "")}
    if args.out:
        out = write_layer(result.areas, Path(args.out), layer="unreported_violence")
        what = "emergency-department and ambulance violence records against police-recorded violence"
        write_sidecar(out, {**export_metadata_of(args, config, incidents, what), "overall": result.overall})
        log_export(args, config, out)
        summary["out"] = str(out)
    overall = result.overall
    text = (
        f"{overall['health']:,.0f} health-service violence records, {overall['police']:,.0f} police-recorded "
        f"violent crimes in the study area; health to police {overall['ratio']:.2f} "
        f"(95% interval {overall['ratio_low']:.2f} to {overall['ratio_high']:.2f})\n"
        + result.shown(View()).head(10).to_string(index=False)
    )
    emit(args, summary, text)
    return 0


def _cmd_repeats(args: argparse.Namespace) -> int:
    from svd_geo.analyses.repeats import repeat_locations
    from svd_geo.outputs.files import write_csv_table
    from svd_geo.outputs.metadata import write_sidecar

    config = config_from(args)
    if args.out:
        refuse_output(Path(args.out), config)
    incidents = selected_incidents(args, config, join_areas=False)  # a location's ward is found for it alone
    table = repeat_locations(incidents, config, min_incidents=args.min_incidents)
    summary = {"locations": len(table), "min_incidents": args.min_incidents,
               "filters": incidents.attrs.get("filters", "")}  # fmt: skip
    if args.out:
        out = Path(args.out)
        write_csv_table(table, out)
        what = f"repeat locations: at least {args.min_incidents} incidents at one point"
        write_sidecar(out, {**export_metadata_of(args, config, incidents, what), **summary})
        log_export(args, config, out)
        summary["out"] = str(out)
    text = f"{len(table):,} locations with at least {args.min_incidents} incidents\n" + table.head(
        20
    ).to_string(index=False)
    emit(
        args,
        {**summary, "repeats": table.astype({"first": str, "last": str}).to_dict(orient="records")},
        text,
    )
    return 0


def _cmd_rates(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from svd_geo.analyses.rates import rate_surface
    from svd_geo.outputs.metadata import write_sidecar
    from svd_geo.outputs.results import write_raster

    config = config_from(args)
    refuse_output(Path(args.out), config)
    # Residents are placed, not incidents: read as the density does, coordinates only.
    incidents = selected_incidents(args, config, join_areas=False, points=False)
    rates = rate_surface(
        incidents, config, kernel=args.kernel or "quartic", bandwidth_m=args.bandwidth_m or 500.0,
        cell_size_m=args.cell_size_m or 50.0, min_residents=args.min_residents,
    )  # fmt: skip
    out = write_raster(
        replace(rates.incidents, density_km2=rates.per_1k),
        Path(args.out),
        units="incidents per 1,000 residents",
    )
    summary = {**rates.summary(), "filters": incidents.attrs.get("filters", ""), "out": str(out)}
    write_sidecar(
        out, {**export_metadata_of(args, config, incidents, "incidents per 1,000 residents"), **summary}
    )
    log_export(args, config, out)
    emit(args, summary, f"{rates.describe()} Wrote {out}.")
    return 0


def add_commands(commands: Any) -> None:
    """Register these commands on the ``svd-geo`` subparsers.

    Parameters
    ----------
    commands : argparse._SubParsersAction
        The ``svd-geo`` subparsers.
    """
    from svd_geo.base.vocabulary import METHODS

    hotspots = commands.add_parser("hotspots", help="find hotspots: kde, dbscan, hdbscan or gistar")
    add_selection(hotspots)
    hotspots.add_argument("--method", required=True, choices=METHODS)
    hotspots.add_argument(
        "--out", required=True, metavar="OUT", help=".tif (kde surface), .gpkg, .shp.zip, .geojson or .csv"
    )
    hotspots.add_argument(
        "--shareable", action="store_true", help="suppress counts below 5, for sharing beyond analysts"
    )
    add_method_options(hotspots)
    hotspots.set_defaults(handler=_cmd_hotspots)

    evaluate = commands.add_parser("evaluate", help="forecast accuracy (PAI, RRI) of hotspot parameters")
    add_selection(evaluate)
    evaluate.add_argument("--method", required=True, choices=METHODS)
    evaluate.add_argument(
        "--test-from", metavar="YYYY-MM", help="first test month (default: the last months)"
    )
    evaluate.add_argument("--fit-months", type=int, default=12, help="months fitted on (default 12)")
    evaluate.add_argument("--test-months", type=int, default=3, help="months tested on (default 3)")
    evaluate.add_argument("--out", metavar="FILE.csv", help="write the ranking table")
    add_method_options(evaluate, sweep=True)
    evaluate.set_defaults(handler=_cmd_evaluate)

    trends = commands.add_parser("trends", help="monthly trend, week-hour pattern and emerging hotspots")
    add_selection(trends, harm=False)  # monthly counts of records
    trends.add_argument("--by", choices=("source", "category"), help="split the monthly counts")
    trends.add_argument("--out", metavar="OUT", help=".gpkg (all layers), .csv, .geojson or .shp.zip")
    trends.set_defaults(method="gistar")
    add_method_options(trends)
    trends.set_defaults(handler=_cmd_trends)

    deprivation = commands.add_parser(
        "deprivation", help="incidents per 1,000 residents by deprivation decile, with exact intervals"
    )
    add_selection(deprivation)
    deprivation.add_argument(
        "--domain", choices=("imd", "crime"), default="imd",
        help="the Index of Multiple Deprivation (default) or its Crime domain",
    )  # fmt: skip
    deprivation.add_argument(
        "--imd", type=int, choices=(2019, 2025), default=2019,
        help="the Indices of Deprivation 2019 on 2011 LSOAs (default) or 2025 on 2021 LSOAs",
    )  # fmt: skip
    deprivation.add_argument("--out", metavar="FILE.csv", help="write the table, with a metadata sidecar")
    deprivation.set_defaults(handler=_cmd_deprivation)

    unreported = commands.add_parser(
        "unreported",
        help="emergency-department and ambulance violence the police records do not match, per area",
    )
    add_selection(unreported, harm=False)  # shares of records matched
    unreported.add_argument(
        "--level", choices=("lsoa", "ward"), default="lsoa", help="the areas (default lsoa)"
    )
    unreported.add_argument("--out", metavar="OUT", help=".gpkg, .geojson, .shp.zip or .csv, with a sidecar")
    unreported.set_defaults(handler=_cmd_unreported)

    repeats = commands.add_parser("repeats", help="repeat locations: points with at least N incidents")
    add_selection(repeats)
    repeats.add_argument("--min-incidents", type=int, default=10, metavar="N", help="fewest incidents (10)")
    repeats.add_argument("--out", metavar="FILE.csv", help="write the table, with a metadata sidecar")
    repeats.set_defaults(handler=_cmd_repeats)

    rates = commands.add_parser(
        "rates", help="incidents per 1,000 residents as a surface (dual kernel density)"
    )
    add_selection(rates)
    rates.add_argument("--out", required=True, metavar="FILE.tif", help="the ratio surface, NaN where masked")
    rates.add_argument("--kernel", choices=("quartic", "gaussian"), help="kernel of both densities (quartic)")
    rates.add_argument("--bandwidth-m", type=float, metavar="M", help="bandwidth of both (500)")
    rates.add_argument("--cell-size-m", type=float, metavar="M", help="cell size (50)")
    rates.add_argument("--min-residents", type=int, default=100, metavar="N",
                       help="mask cells with fewer residents within the kernel's reach (100)")  # fmt: skip
    rates.set_defaults(handler=_cmd_rates)
