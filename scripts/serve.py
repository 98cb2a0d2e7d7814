"""Start the dashboard with its code imported and its lookups read before the first visitor.

`streamlit run` imports nothing until someone opens the app, so the first visit
after a start paid for every import (geopandas, folium, mapclassify, plotly,
rasterio: about 5 s on the 2-core machine) and for reading the boundaries and
populations, and for reading the store and building its first map. This launcher
does all that first, in the server process, then hands over to Streamlit's own
command line with the same arguments (`python scripts/serve.py [streamlit run options]`).
"""

from __future__ import annotations

import contextlib
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the app's own modules (ui_cache), as `streamlit run app.py` finds them


def preload() -> None:
    """Import the libraries the pages use, read the lookups, and build the first views.

    The first views (Overview and Map in the default filters) go into the same
    Streamlit resource caches the pages read. streamlit-folium is not imported here:
    it registers its component only when imported inside a running script.
    """
    import folium.plugins  # noqa: F401
    import plotly.express  # noqa: F401
    from streamlit.runtime.caching import cache_data_api

    import svd_geo.analyses.coverage

    # Imported for what they import: matplotlib, shapely predicates, the maps' helpers.
    import svd_geo.outputs.briefing
    import svd_geo.views.interventions  # noqa: F401
    from svd_geo.analyses.polygons import density_hotspots  # noqa: F401  (rasterio.features)
    from svd_geo.base.config import Config
    from svd_geo.base.errors import SvdGeoError
    from svd_geo.base.speed import freeze_what_is_loaded, import_mapclassify, index_loaded_modules
    from svd_geo.views.common import warm_lookups

    # Declaring st.cache_data functions before the server exists logs "No runtime found" once
    # for each; harmless here (the warm-up fills st.cache_resource caches, which need none).
    # Streamlit sets its loggers' levels when imported, hence after that import.
    cache_log = logging.getLogger(cache_data_api.__name__)
    cache_log.setLevel(logging.ERROR)
    from ui.cache import warm_first_views

    cache_log.setLevel(logging.NOTSET)

    import_mapclassify()
    with contextlib.suppress(SvdGeoError):  # a missing mirror is reported by the pages themselves
        warm_lookups(Config())
        warm_first_views()
    # Both measured in svd_geo.base.speed: streamlit-folium's first component declaration
    # (0.5 s), and full collection passes over a million incidents (0.14 s each).
    index_loaded_modules()
    freeze_what_is_loaded()


def main() -> None:
    """Preload, then run ``streamlit run app.py`` with this command's arguments."""
    from svd_geo.base.speed import limit_malloc_arenas

    limit_malloc_arenas()  # before any thread: each rerun's thread would keep an arena of its own
    preload()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
