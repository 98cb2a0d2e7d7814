"""Where an analysis's incidents come from: a partner file read without storing it, or the store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from svd_geo.base.config import Config

if TYPE_CHECKING:
    import geopandas as gpd


def load_input(
    path: Path, config: Config, *, source: str | None = None, join_areas: bool = True, points: bool = True
) -> gpd.GeoDataFrame:
    """Read a partner file as incidents (validated as on import), without storing it.

    The frame keeps a ``row`` column: the 0-based data row across the file's tables.
    The columns only the store keeps (:data:`svd_geo.base.schema.STORED_ONLY_COLUMNS`)
    are left out.

    Parameters
    ----------
    path : Path
        Any file ``svd-geo ingest`` reads.
    config : Config
        Settings for the area join.
    source : str, optional
        The partner source (police for a police.uk CSV, other otherwise, when None).
    join_areas : bool, default True
        False leaves blank area codes blank (no spatial join).
    points : bool, default True
        False builds no point geometries: the points are only in the coordinate columns
        (for density and clustering; needs ``join_areas`` False, which places points).

    Returns
    -------
    geopandas.GeoDataFrame
        The accepted incidents, EPSG:27700, with ``attrs["rows"]`` the file's data rows.

    Raises
    ------
    DataValidationError
        When the file cannot be read or has no usable location or date.
    ValueError
        When ``points`` is False while ``join_areas`` is True.
    """
    from svd_geo.partner.ingest import prepare_import

    prepared = prepare_import(path, source, config, join_areas=join_areas, for_store=False, points=points)
    offsets = {}
    running = 0
    for detection in prepared.detections:
        offsets[detection.table] = running
        running += detection.rows
    incidents = prepared.incidents  # a frame of its own: prepare_import selected its columns
    # Series.map on a million file names takes most of a second; factorize then look up.
    tables, names = pd.factorize(incidents["source_file"])
    table_offsets = np.array([offsets.get(name, 0) for name in names], dtype=np.int64)
    incidents["row"] = incidents["source_row"].to_numpy() + table_offsets[tables]
    incidents.attrs["rows"] = running
    return incidents


def load_store_incidents(config: Config) -> gpd.GeoDataFrame:
    """Read every incident in the store named by ``config.store_path`` (refusing a missing store).

    Parameters
    ----------
    config : Config
        Names the store.

    Returns
    -------
    geopandas.GeoDataFrame
        The stored incidents, EPSG:27700.

    Raises
    ------
    StoreError
        When there is no store at that path, or it is not an svd-geo store.
    """
    from svd_geo.store.backends import open_existing_store

    return open_existing_store(config.store_path).incidents()
