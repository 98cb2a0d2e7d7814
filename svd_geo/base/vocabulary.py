"""Names the command line, the pages and the library share.

Partner sources, analysis methods and boundary levels.  Kept free of heavy
imports, so that the command line can read its options (and start reading a
large input file) before pandas and the geospatial libraries are loaded.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

Source = Literal["police", "ambulance", "ed", "council", "youth", "other"]
SOURCES: tuple[str, ...] = get_args(Source)
"""Partner sources an import is labelled with."""

METHODS: tuple[str, ...] = ("kde", "dbscan", "hdbscan", "gistar")
"""Hotspot methods: kernel density, two clusterings, Getis-Ord Gi* on areas."""

THRESHOLD_PATTERN = re.compile(r"^(?:p(?P<pct>\d+(?:\.\d+)?)|mean(?P<mult>\d+(?:\.\d+)?)x)$")
"""A kernel density hotspot threshold: ``pNN`` (percentile of non-zero cells) or ``meanNx``."""

LEVELS = ("ward", "lsoa", "msoa", "oa", "district")
"""Boundary levels in the registry, finest last but one."""


SOURCE_LABELS = {
    "police": "Police",
    "ambulance": "Ambulance service",
    "ed": "Emergency department (ISTV)",
    "council": "Council (ASB)",
    "youth": "Youth services",
    "other": "Other partner",
}
