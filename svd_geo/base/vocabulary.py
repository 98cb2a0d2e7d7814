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

HARM_LABELS = {
    "count": "count (each incident 1)",
    "css": "ONS Crime Severity Score",
    "cchi": "Cambridge Crime Harm Index 2020",
}
"""The harm weightings the dashboard and ``--harm`` offer (besides a user's table)."""

_PARTNER_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("youth", re.compile(r"\byouth\b", re.IGNORECASE)),
    ("police", re.compile(r"\b(?:police|constabulary)\b", re.IGNORECASE)),
    ("ambulance", re.compile(r"\bambulance\b", re.IGNORECASE)),
    ("ed", re.compile(r"\b(?:hospital|a&e|emergency department|nhs|istv)\b", re.IGNORECASE)),
    ("council", re.compile(r"\b(?:council|borough|district)\b", re.IGNORECASE)),
)  # youth first: a county council's youth service records contacts, not council ASB reports


NEVER_AS_POINTS = frozenset({"ed", "youth"})
"""Sources whose records are never drawn or exported as points (health and young people's data)."""


NEEDS_START = "Needs a start date: add the day the intervention began to compare before and after."
"""The before/after verdict of a place with no start date (it still counts for coverage)."""


def source_of_partner(partner: str) -> str | None:
    """Return the partner source whose records an organisation makes, read from its name.

    Parameters
    ----------
    partner : str
        An intervention's partner, as typed (e.g. "Nottinghamshire Police").

    Returns
    -------
    str or None
        One of :data:`SOURCES` but ``other``, or None when the name says none.
    """
    for source, words in _PARTNER_WORDS:
        if words.search(partner or ""):
            return source
    return None
