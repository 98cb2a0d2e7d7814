"""Create the store's GeoPackage file: its four layers, empty, with no spatial index.

The layers have no spatial index, whose triggers need GDAL's SQL functions (the
store writes through plain SQLite).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from svd_geo.store.protocol import (
    IMPORT_TYPES,
    INCIDENT_TYPES,
    INTERVENTION_TYPES,
    REJECTED_TYPES,
    empty_layer,
    empty_table,
)

NO_SPATIAL_INDEX = {"SPATIAL_INDEX": "NO"}


def create_store_file(path: Path) -> None:
    """Create an empty store GeoPackage at ``path`` atomically: written aside, then moved into place.

    Parameters
    ----------
    path : Path
        Where the store goes (its folder is created).
    """
    import pyogrio

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(suffix=".gpkg", dir=path.parent)
    os.close(handle)
    staging = Path(name)
    staging.unlink()
    try:
        pyogrio.write_dataframe(
            empty_layer(INCIDENT_TYPES),
            staging,
            layer="incidents",
            geometry_type="Point",
            layer_options=NO_SPATIAL_INDEX,
        )
        pyogrio.write_dataframe(
            empty_layer(INTERVENTION_TYPES),
            staging,
            layer="interventions",
            geometry_type="MultiPolygon",
            layer_options=NO_SPATIAL_INDEX,
        )
        pyogrio.write_dataframe(empty_table(IMPORT_TYPES), staging, layer="imports")
        pyogrio.write_dataframe(empty_table(REJECTED_TYPES), staging, layer="rejected")
        staging.replace(path)
    finally:
        staging.unlink(missing_ok=True)


def touch_contents(connection: sqlite3.Connection, tables: tuple[str, ...]) -> None:
    """Stamp the tables' last change in the GeoPackage's contents, as QGIS reads it.

    Parameters
    ----------
    connection : sqlite3.Connection
        A connection inside the write transaction.
    tables : tuple of str
        The tables changed.
    """
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    connection.executemany(
        "UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?",
        [(stamp, table) for table in tables],
    )


def as_multi(geometry: object) -> object:
    """Return a polygon as a one-part multipolygon (the interventions layer's type), anything else as it is.

    Parameters
    ----------
    geometry : shapely geometry
        A place's geometry.

    Returns
    -------
    shapely geometry
        The geometry, a MultiPolygon where it was a Polygon.
    """
    import shapely

    if isinstance(geometry, shapely.Polygon):
        return shapely.MultiPolygon([geometry])
    return geometry
