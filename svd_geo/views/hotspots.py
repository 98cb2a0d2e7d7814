"""The Hotspots page's downloads: a result as file bytes and its metadata (never in meetings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from svd_geo.base.roles import require_role
from svd_geo.select.filters import View

if TYPE_CHECKING:
    import pandas as pd

    from svd_geo.analyses.run import HotspotRun


def refuse_export_in_meetings(view: View) -> None:
    """Raise PermissionError in presentation mode, which cannot export.

    Parameters
    ----------
    view : View
        The dashboard's mode.

    Raises
    ------
    PermissionError
        In presentation mode.
    """
    require_role(view.role, "analyst", "export files")
    if view.presentation:
        msg = "presentation mode cannot export; switch it off to download."
        raise PermissionError(msg)


def used_sentence(run: HotspotRun) -> str:
    """Say how many incidents a run used, of how many selected, and why the rest were not.

    Parameters
    ----------
    run : HotspotRun
        The result (its ``summary`` gives ``incidents``, ``located`` and, for Gi*,
        ``unplaced_incidents``).

    Returns
    -------
    str
        E.g. "15,982 of 20,000 incidents have a point and were used; the other 4,018
        are recorded only to an area and count in area totals, not in these hotspots."
        With harm weights, how they were weighted follows.
    """
    total, located = int(run.summary["incidents"]), int(run.summary["located"])
    if run.params.method == "gistar":
        unplaced = int(run.summary["unplaced_incidents"])
        used = (
            f"{total - unplaced:,} of {total:,} incidents fall in the {run.params.areas} areas and were used"
        )
        why = "are outside the study area or have no location in them"
        return used + (f"; the other {unplaced:,} {why}." if unplaced else ".") + _harm_words(run)
    used = f"{located:,} of {total:,} incidents have a point and were used"
    rest = total - located
    why = "are recorded only to an area (LSOA or ward) and count in area totals, not in these hotspots"
    return used + (f"; the other {rest:,} {why}." if rest else ".") + _harm_words(run)


def _harm_words(run: HotspotRun) -> str:
    harm = run.summary.get("harm")
    return f" {harm}" if harm and "no harm weights" not in harm else ""


REPEAT_MIN_INCIDENTS = 10
"""The fewest incidents at one point the Hotspots page lists as a repeat location."""


def repeats_section(table: pd.DataFrame, view: View) -> tuple[str, pd.DataFrame]:
    """Return the repeat locations' caption and table as the page shows them (in meetings without points).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`svd_geo.analyses.repeats.repeat_locations`.
    view : View
        The filters counted, and presentation mode (a meeting sees the description
        and ward, never the point).

    Returns
    -------
    tuple of str and pandas.DataFrame
        What a repeat location is and how its trend is read; the table, harm only
        where weights were applied.
    """
    from svd_geo.partner.harm import weights_differ

    shown = table.drop(columns=["easting_m", "northing_m"]) if view.presentation else table
    if not weights_differ(table, count="incidents"):
        shown = shown.drop(columns=["harm", "harm_rank"])
    caption = (
        f"{len(table):,} points hold {REPEAT_MIN_INCIDENTS} incidents or more (police.uk snap points or a "
        "partner's exact points; emergency-department and youth-service records are never located). "
        "Trend: Mann-Kendall on the monthly counts over the whole months, rising or falling at p < 0.05. "
        f"Counting {view.describe()}."
    )
    return caption, shown


def hotspot_sidecar(run: HotspotRun, view: View, metadata: dict[str, object]) -> bytes:
    """Return the metadata sidecar of a hotspot download as JSON bytes.

    Parameters
    ----------
    run : HotspotRun
        The result.
    view : View
        The dashboard's mode.
    metadata : dict
        The export's metadata (:func:`svd_geo.outputs.files.export_metadata`).

    Returns
    -------
    bytes
        The sidecar's JSON.

    Raises
    ------
    PermissionError
        In presentation mode, which cannot export.
    """
    from svd_geo.analyses.run import run_parameters
    from svd_geo.outputs.metadata import sidecar_json

    refuse_export_in_meetings(view)
    return sidecar_json({**metadata, "parameters": run_parameters(run), "rows": len(run.layer)}).encode()


def hotspot_download(run: HotspotRun, suffix: str, view: View) -> bytes:
    """Return a hotspot result as the bytes of a file of the given format.

    Parameters
    ----------
    run : HotspotRun
        The result.
    suffix : str
        ``.gpkg``, ``.shp.zip``, ``.geojson``, ``.csv`` or ``.tif``.
    view : View
        The dashboard's mode.

    Returns
    -------
    bytes
        The file's content.

    Raises
    ------
    PermissionError
        In presentation mode, which cannot export.
    """
    import tempfile
    from pathlib import Path

    from svd_geo.outputs.results import write_hotspot_output

    refuse_export_in_meetings(view)
    with tempfile.TemporaryDirectory() as folder:
        path = write_hotspot_output(run, Path(folder) / f"hotspots{suffix}")
        return path.read_bytes()
