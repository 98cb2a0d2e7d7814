"""Create the store's GeoPackage file: its four layers, empty, with no spatial index.

The layers have no spatial index, whose triggers need GDAL's SQL functions (the
store writes through plain SQLite).
"""

from __future__ import annotations

import os
import tempfile
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
