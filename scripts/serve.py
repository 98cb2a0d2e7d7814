"""Start the dashboard with its code imported and its lookups read before the first visitor.

`streamlit run` imports nothing until someone opens the app, so the first visit
after a start paid for every import (geopandas, folium, mapclassify, plotly,
rasterio: about 5 s on the 2-core machine) and for reading the boundaries and
populations. This launcher does both first, in the server process, then hands
over to Streamlit's own command line with the same arguments
(`python scripts/serve.py [streamlit run options]`).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def preload() -> None:
    """Import the libraries the pages use and read the boundaries and populations they look up.

    Only plain libraries: Streamlit modules (ui_*, streamlit-folium) must be imported by
    the running server, which registers their caches and components as they load.
    """
    import folium.plugins  # noqa: F401
    import plotly.express  # noqa: F401

    # Imported for what they import: matplotlib, shapely predicates, the maps' helpers.
    import svd_geo.briefing
    import svd_geo.coverage
    import svd_geo.places_view  # noqa: F401
    from svd_geo._without_numba import import_mapclassify
    from svd_geo.config import Config
    from svd_geo.dashboard import warm_lookups
    from svd_geo.errors import SvdGeoError
    from svd_geo.hotspots import density_hotspots  # noqa: F401  (scipy.ndimage, rasterio.features)

    import_mapclassify()
    with contextlib.suppress(SvdGeoError):  # a missing mirror is reported by the pages themselves
        warm_lookups(Config())


def main() -> None:
    """Preload, then run ``streamlit run app.py`` with this command's arguments."""
    preload()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
