"""svd-geo: geospatial hotspot analysis for the Serious Violence Duty.

The library does all loading, validation, analysis, storage and export; the
Streamlit pages in ``pages/`` only draw widgets and call it.
"""

from __future__ import annotations

__version__ = "0.1.0"
