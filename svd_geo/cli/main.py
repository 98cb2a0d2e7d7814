"""The ``svd-geo`` command line: the parser of every command group, and the entry point.

Names, options and JSON keys are contracts that analysts script against: keep them.
Errors raised on purpose (:class:`~svd_geo.base.errors.SvdGeoError`) print one clear line
and exit with status 2; nothing else is caught.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from svd_geo import __version__
from svd_geo.base.errors import SvdGeoError
from svd_geo.base.speed import freeze_what_is_loaded
from svd_geo.cli import analysis, data, places, users
from svd_geo.cli.common import EXIT_REFUSED


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``svd-geo`` command.

    Returns
    -------
    argparse.ArgumentParser
        The parser, every command group registered.
    """
    parser = argparse.ArgumentParser(
        prog="svd-geo",
        description="Serious Violence Duty hotspot analysis: ingest partner data, store it, map it.",
    )
    parser.add_argument("--version", action="version", version=f"svd-geo {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    for group in (data, analysis, places, users):
        group.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``svd-geo`` command; return its exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (``sys.argv[1:]`` when None).

    Returns
    -------
    int
        0 on success, 2 when a file or option is refused (one line on stderr).
    """
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
    except OSError as err:  # a full disk or a folder it may not write: files written whole or not at all
        print(f"svd-geo {args.command}: error: {err}; the files it writes are as they were", file=sys.stderr)
        return EXIT_REFUSED


def run() -> None:
    """Run the ``svd-geo`` command as a program: exit with its status.

    Before exiting it keeps what is loaded out of the interpreter's last
    collections (:func:`svd_geo.base.speed.freeze_what_is_loaded`); exiting
    frees the memory all the same.
    """
    status = main()
    freeze_what_is_loaded()
    sys.exit(status)


if __name__ == "__main__":
    run()
