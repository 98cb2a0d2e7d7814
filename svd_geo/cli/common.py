"""What every ``svd-geo`` command shares: settings, output, the selection and method options."""

from __future__ import annotations

import argparse
import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from svd_geo.base.config import Config, is_database_url, store_location

EXIT_REFUSED = 2
logger = logging.getLogger("svd_geo")


def config_from(args: argparse.Namespace) -> Config:
    """Return the settings, with the store the command names (``--store``).

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.

    Returns
    -------
    Config
        The settings.
    """
    config = Config()
    store = getattr(args, "store", None)
    return replace(config, store_path=store_location(store)) if store else config


def log_export(args: argparse.Namespace, config: Config, out: Path) -> None:
    """Write an export of the store's data to its audit log (an input file's analysis is not the store's).

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options (``input`` names a file analysed instead of the store).
    config : Config
        The settings: which store.
    out : Path
        The file written.
    """
    from svd_geo.sources.registry import sha256_of
    from svd_geo.store.backends import open_store, store_exists

    if not getattr(args, "input", None) and store_exists(config.store_path):
        open_store(config.store_path).log_export(out.name, sha256_of(out))


def emit(args: argparse.Namespace, payload: Any, text: str) -> None:
    """Print the result: JSON with ``--json``, else the text.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.
    payload : object
        What ``--json`` prints.
    text : str
        What is printed otherwise.
    """
    if getattr(args, "json", False):
        print(json.dumps(payload, indent=2, default=str))
    else:
        print(text)


def add_store(parser: argparse.ArgumentParser) -> None:
    """Add ``--store``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        A command's parser.
    """
    parser.add_argument(
        "--store",
        metavar="PATH",
        help="store GeoPackage (default: $SVD_GEO_STORE or data/store.gpkg)",
    )


def add_json(parser: argparse.ArgumentParser) -> None:
    """Add ``--json``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        A command's parser.
    """
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def add_selection(parser: argparse.ArgumentParser, *, harm: bool = True) -> None:
    """Add the input and the selection options every analysis command takes.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        A command's parser.
    harm : bool, default True
        Offer ``--harm``: False for a command that counts records whatever they weigh.
    """
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
    parser.set_defaults(harm="count")
    if harm:
        _add_harm(parser)
    add_store(parser)
    add_json(parser)


def _add_harm(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--harm", "--weights", dest="harm", default="count", metavar="count|css|cchi|FILE",
        help="weight incidents by harm: count (none, the default), css (ONS Crime Severity Score), cchi "
        "(Cambridge Crime Harm Index 2020) or a CSV of category,weight (--weights FILE is the old spelling)",
    )  # fmt: skip


def selected_incidents(
    args: argparse.Namespace, config: Config, *, join_areas: bool = True, points: bool = True
) -> Any:
    """Return the incidents the command's input and selection options select, weighted when asked.

    ``join_areas`` and ``points`` False read an input file leanly (see
    :func:`svd_geo.select.inputs.load_input`); the store's incidents are read whole.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.
    config : Config
        The settings.
    join_areas : bool, default True
        Fill blank area codes of an input file by spatial join.
    points : bool, default True
        Build an input file's point geometries.

    Returns
    -------
    geopandas.GeoDataFrame
        The selected incidents, ``attrs["filters"]`` saying what was kept.

    Raises
    ------
    EmptySelectionError
        When nothing is selected.
    DataValidationError
        For an unreadable input file or weight table.
    """
    from svd_geo.partner.harm import weigh_incidents
    from svd_geo.select.filters import IncidentFilter, filter_incidents
    from svd_geo.select.inputs import load_input, load_store_incidents

    if args.input:
        # A file's areas are found from its points, so joining them needs the points built.
        incidents = load_input(
            Path(args.input), config, source=args.source, join_areas=join_areas, points=points or join_areas
        )
    else:
        incidents = load_store_incidents(config)
    selection = IncidentFilter(
        categories=tuple(args.category or ()),
        sources=(args.source,) if args.source and not args.input else (),
        date_from=args.date_from,
        date_to=args.date_to,
    )
    selected = filter_incidents(incidents, selection)
    selected, weighting = weigh_incidents(selected, args.harm, config)
    if weighting.unweighted and weighting.choice != "count":
        logger.warning("%s", weighting.sentence())
    said = selection.describe() + (
        "" if weighting.choice == "count" else f"; weighted by {weighting.label()}"
    )
    selected.attrs = {**incidents.attrs, "filters": said, "harm": weighting}
    return selected


SWEEPABLE = {
    "bandwidth_m": float, "cell_size_m": float, "threshold": str, "eps_m": float, "min_samples": int,
    "min_cluster_size": int, "areas": str, "neighbours": str,
}  # fmt: skip


def add_method_options(parser: argparse.ArgumentParser, *, sweep: bool = False) -> None:
    """Add the method options, each defaulting to :class:`~svd_geo.analyses.params.HotspotParams`.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        A command's parser.
    sweep : bool, default False
        Let each option take several values (``svd-geo evaluate``).
    """
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


def method_params(args: argparse.Namespace, **chosen: Any) -> Any:
    """Return the options given, over the defaults of :class:`~svd_geo.analyses.params.HotspotParams`.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.
    **chosen
        Values that replace the options (one point of a sweep).

    Returns
    -------
    HotspotParams
        The parameters.
    """
    from svd_geo.analyses.params import HotspotParams

    names = (*SWEEPABLE, "kernel", "area_code_field", "permutations", "seed")
    given = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    return HotspotParams(method=args.method, **{**given, **chosen})


def export_metadata_of(
    args: argparse.Namespace, config: Config, incidents: Any, what: str
) -> dict[str, object]:
    """Return the metadata sidecar of an export made from the command's input.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.
    config : Config
        The settings.
    incidents : geopandas.GeoDataFrame
        The selected incidents.
    what : str
        What the export holds.

    Returns
    -------
    dict
        The sidecar's content.
    """
    from svd_geo.outputs.metadata import data_sources, export_metadata, generated_now

    return export_metadata(
        what=what, parameters={}, filters=incidents.attrs.get("filters", ""),
        sources=data_sources(config, export_inputs(args, config)), generated=generated_now(),
        harm=incidents.attrs.get("harm"),
    )  # fmt: skip


def refuse_output(out: Path, config: Config, needed: str = "analyst") -> None:
    """Refuse an output the user's role may not write, or one that is the store itself.

    Parameters
    ----------
    out : Path
        The output path.
    config : Config
        Names the store and the user's role.
    needed : str, default "analyst"
        The least role the output needs (a viewer may write the briefing, a presentation output).

    Raises
    ------
    DataValidationError
        When they are the same file.
    PermissionDeniedError
        When the role may not write it.
    """
    from svd_geo.base.errors import DataValidationError
    from svd_geo.base.roles import require_role

    require_role(config.role, needed, "export files" if needed == "analyst" else "write this")

    if not is_database_url(config.store_path) and out.resolve() == Path(config.store_path).resolve():
        msg = f"--out {out} is the store; write results to another file."
        raise DataValidationError(msg)


def make_shareable(run: Any, out: Path, config: Config) -> None:
    """Suppress small counts in a result for sharing beyond analysts (``--shareable``).

    Parameters
    ----------
    run : HotspotRun
        The result (its layer is replaced).
    out : Path
        The output path.
    config : Config
        The small-count threshold and rounding.

    Raises
    ------
    DataValidationError
        For a per-incident CSV of cluster labels.
    """
    from svd_geo.base.errors import DataValidationError
    from svd_geo.outputs.files import shareable_layer

    if run.labels is not None and out.name.lower().endswith(".csv"):
        msg = "--shareable: a CSV of cluster labels has one row per incident; share the polygons instead."
        raise DataValidationError(msg)
    run.layer = shareable_layer(run.layer, config.small_count_threshold, config.round_counts_to)


def export_inputs(args: argparse.Namespace, config: Config) -> list[dict[str, object]]:
    """Describe the partner data an export was made from: the input file or the store's imports.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.
    config : Config
        Names the store.

    Returns
    -------
    list of dict
        ``file``, ``sha256`` and ``source`` of each input.
    """
    from svd_geo.outputs.metadata import store_inputs
    from svd_geo.sources.registry import sha256_of

    if getattr(args, "input", None):
        path = Path(args.input)
        return [{"file": path.name, "sha256": sha256_of(path), "source": args.source or "from the file"}]
    return store_inputs(config.store_path)
