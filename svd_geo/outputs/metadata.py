"""The metadata every export carries: its sources with vintages and sha256, filters, method and time."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from svd_geo.base.config import Config
from svd_geo.outputs.files import write_text_atomically
from svd_geo.partner.harm import HarmWeighting


def data_sources(config: Config, inputs: list[dict[str, object]]) -> dict[str, Any]:
    """Describe the data behind an export: partner files and the boundaries used.

    Parameters
    ----------
    config : Config
        Names the study area's districts and boundary vintages.
    inputs : list of dict
        Partner files: ``file``, ``sha256``, ``source`` and ``synthetic``.

    Returns
    -------
    dict
        ``inputs``, ``boundaries`` (id, level, vintage, url, sha256, licence) and ``attribution``.
    """
    from svd_geo.sources.registry import load_registry
    from svd_geo.sources.tables import attribution_text

    wanted = {("ward", config.ward_vintage), ("lsoa", config.lsoa_vintage)}
    boundaries = [
        {"id": e.id, "level": e.level, "vintage": e.vintage, "url": e.url or e.mirror_path,
         "sha256": e.sha256, "licence": e.licence}
        for e in load_registry(config).values()
        if e.kind == "boundary" and (e.level, e.vintage) in wanted
        and ("*" in e.districts or set(e.districts) & set(config.districts))
    ]  # fmt: skip
    return {"inputs": inputs, "boundaries": boundaries, "attribution": attribution_text(config)}


def generated_now() -> str:
    """Return the time stamped on exports: UTC, to the second, ISO 8601.

    Returns
    -------
    str
        E.g. ``2026-12-01T22:37:46Z``.
    """
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def store_inputs(store_path: Path | str) -> list[dict[str, object]]:
    """Describe the partner files in a store (file, sha256, source, synthetic) for metadata.

    Parameters
    ----------
    store_path : Path or str
        The store: a GeoPackage's path or a database URL.

    Returns
    -------
    list of dict
        One per import: ``file``, ``sha256``, ``source``, ``synthetic``.
    """
    from svd_geo.store.backends import open_store

    records = (
        open_store(store_path).imports()[["file", "sha256", "source", "synthetic"]].to_dict(orient="records")
    )
    return [{str(key): value for key, value in record.items()} for record in records]


def export_metadata(
    *,
    what: str,
    parameters: dict[str, object],
    filters: str,
    sources: dict[str, Any],
    generated: str,
    harm: HarmWeighting | None = None,
) -> dict[str, object]:
    """Build the metadata sidecar of an export.

    ``generated`` is the only field that changes when the same export is run again.

    Parameters
    ----------
    what : str
        What the export holds, in words (with the hotspot definition).
    parameters : dict
        The method's parameters.
    filters : str
        The selection in words.
    sources : dict
        Partner files and boundary sources (:func:`data_sources`).
    generated : str
        The time stamp (:func:`generated_now`).
    harm : HarmWeighting, optional
        How the incidents were weighted: the table, its edition, the rule and how
        many records had no weight (none: each counts 1).

    Returns
    -------
    dict
        The sidecar's content.
    """
    from svd_geo import __version__

    return {
        "what": what,
        "parameters": parameters,
        "filters": filters,
        "harm": (harm or HarmWeighting("count", "")).as_metadata(),
        "crs": "EPSG:27700 (GeoJSON: EPSG:4326, RFC 7946)",
        **sources,
        "generated": generated,
        "software": f"svd-geo {__version__}",
    }


def write_sidecar(path: Path, metadata: dict[str, object]) -> Path:
    """Write ``FILE.metadata.json`` beside an export (sorted keys, so runs compare line by line).

    Parameters
    ----------
    path : Path
        The export.
    metadata : dict
        Its metadata.

    Returns
    -------
    Path
        The sidecar's path.
    """
    sidecar = path.with_name(path.name + ".metadata.json")
    write_text_atomically(sidecar, sidecar_json(metadata))
    return sidecar


def sidecar_json(metadata: dict[str, object]) -> str:
    """Return metadata as the sidecar's JSON text (sorted keys, so runs compare line by line).

    Parameters
    ----------
    metadata : dict
        The metadata.

    Returns
    -------
    str
        Indented JSON with sorted keys.
    """
    return json.dumps(metadata, indent=2, sort_keys=True, default=str) + "\n"
