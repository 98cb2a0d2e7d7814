"""The Hotspots page's downloads: a result as file bytes and its metadata (never in meetings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from svd_geo.select.filters import View

if TYPE_CHECKING:
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
    if view.presentation:
        msg = "presentation mode cannot export; switch it off to download."
        raise PermissionError(msg)


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
