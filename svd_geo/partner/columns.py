"""Column detection for partner files: which column holds which field."""

from __future__ import annotations

import re

from svd_geo.base.errors import DataValidationError

FIELDS = (
    "latitude",
    "longitude",
    "easting",
    "northing",
    "x",
    "y",
    "lsoa_code",
    "ward_code",
    "datetime",
    "date",
    "time",
    "month",
    "category",
    "weight",
    "means",
    "external_id",
    "place",
    "offence_code",
)
"""Fields a partner column can be mapped to (``--map COLUMN=FIELD``).

``place`` is a public description of the place, as police.uk's ``Location``
("On or near Westgate"); it is read from police.uk street files and, in other
files, only from a column mapped to it by hand: a partner's free-text address
column must never reach a hotspot's name.  ``offence_code`` is a Home Office
offence code (e.g. 008/01), which harm tables weight a record by.
"""

IGNORE = "ignore"
"""Pseudo-field: ``--map COLUMN=ignore`` stops a detected column being used."""

# Header spellings seen in police.uk, ambulance, ISTV and council extracts, in
# their folded form (lower case, letters and digits only).  Order matters: the
# first field whose synonyms match a header takes it.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "latitude": ("latitude", "lat", "ylat", "latwgs84", "incidentlatitude"),
    "longitude": ("longitude", "lon", "lng", "long", "xlong", "lonwgs84", "incidentlongitude"),
    "easting": ("easting", "eastings", "east", "bngx", "osgridx", "gridx", "xcoordinate"),
    "northing": ("northing", "northings", "north", "bngy", "osgridy", "gridy", "ycoordinate"),
    "x": ("x",),
    "y": ("y",),
    "lsoa_code": (
        "lsoacode",
        "lsoa",
        "lsoa11cd",
        "lsoa21cd",
        "lsoa11code",
        "lsoa21code",
        "lsoacode2011",
        "lsoacode2021",
        "incidentlsoa",
        "locationlsoa",
    ),
    "ward_code": ("wardcode", "ward", "wd13cd", "wd22cd", "wd23cd", "wd24cd", "electoralward"),
    "datetime": (
        "datetime",
        "incidentdatetime",
        "occurred",
        "occurredat",
        "timestamp",
        "calldatetime",
        "attendancedatetime",
        "arrivaldatetime",
        "dateandtime",
        "datetimeofincident",
    ),
    "date": (
        "date",
        "incidentdate",
        "dateofincident",
        "attendancedate",
        "arrivaldate",
        "calldate",
        "contactdate",
        "reportdate",
        "reporteddate",
        "offencedate",
        "eventdate",
        "startdate",
    ),
    "time": (
        "time",
        "incidenttime",
        "timeofincident",
        "attendancetime",
        "arrivaltime",
        "calltime",
        "contacttime",
        "offencetime",
        "eventtime",
    ),
    "month": ("month", "yearmonth", "period"),
    "category": (
        "category",
        "crimetype",
        "type",
        "offence",
        "offencetype",
        "incidenttype",
        "assaulttype",
        "calltype",
        "callcategory",
        "asbcategory",
        "contacttype",
        "classification",
        "injurytype",
        "natureofincident",
        "chiefcomplaint",
    ),
    "weight": ("weight", "harmweight", "count", "incidents"),
    "means": ("weapon", "means", "weaponormeans", "weaponused", "assaultmeans", "mechanism"),
    "external_id": ("crimeid", "id", "incidentid", "reference", "referenceid", "recordid"),
    "offence_code": (
        "offencecode",
        "hocode",
        "hooffencecode",
        "homeofficecode",
        "homeofficeoffencecode",
        "homeofficeclassification",
        "hoclassification",
        "hoc",
        "crimecode",
        "notifiableoffencecode",
    ),
}


def fold(header: str) -> str:
    """Fold a header for matching: lower case, letters and digits only.

    Parameters
    ----------
    header : str
        A column header.

    Returns
    -------
    str
        E.g. ``"LSOA Code (2011)"`` becomes ``"lsoacode2011"``.
    """
    return re.sub(r"[^a-z0-9]", "", header.lower())


def detect_columns(headers: list[str]) -> dict[str, str]:
    """Guess which column holds each field.

    Parameters
    ----------
    headers : list of str
        Column names as read from the file.

    Returns
    -------
    dict of str to str
        Field name to column name, for the fields found.
    """
    found: dict[str, str] = {}
    taken: set[str] = set()
    for field_name, synonyms in _SYNONYMS.items():
        for synonym in synonyms:
            match = next((h for h in headers if fold(h) == synonym and h not in taken), None)
            if match is not None:
                found[field_name] = match
                taken.add(match)
                break
    return found


def apply_overrides(
    detected: dict[str, str], overrides: dict[str, str], headers: list[str], *, file_name: str
) -> dict[str, str]:
    """Apply ``COLUMN=FIELD`` overrides on top of detected columns.

    Parameters
    ----------
    detected : dict of str to str
        Field to column, from :func:`detect_columns`.
    overrides : dict of str to str
        Column to field (or ``"ignore"``), as the user gave them.
    headers : list of str
        The file's columns, to check the overrides against.
    file_name : str
        For messages.

    Returns
    -------
    dict of str to str
        Field to column after the overrides.

    Raises
    ------
    ValueError
        When an override names a column the file lacks or an unknown field.
    """
    mapping = dict(detected)
    for column, field_name in overrides.items():
        if column not in headers:
            msg = (
                f"{file_name}: --map names column {column!r}, which the file lacks; "
                f"its columns are {', '.join(headers)}."
            )
            raise DataValidationError(msg)
        if field_name not in (*FIELDS, IGNORE):
            msg = (
                f"{file_name}: --map {column}={field_name}: unknown field {field_name!r}; "
                f"choose one of {', '.join((*FIELDS, IGNORE))}."
            )
            raise DataValidationError(msg)
        mapping = {f: c for f, c in mapping.items() if c != column and f != field_name}
        if field_name != IGNORE:
            mapping[field_name] = column
    return mapping


INTERVENTION_FIELDS = ("name", "partner", "type", "start_date", "end_date", "notes")


# Header spellings of each field, folded (lower case, letters and digits): the first
# column whose header matches takes the field, as for incident files.
_PLACE_SYNONYMS = {
    "name": ("name", "placename", "title", "intervention", "interventionname", "scheme", "project"),
    "partner": ("partner", "agency", "organisation", "organization", "leadpartner", "lead", "owner"),
    "type": ("type", "kind", "interventiontype"),
    "startdate": ("startdate", "start", "starts", "startedon", "from", "fromdate", "datefrom", "begins",
                  "began", "commenced", "launched"),
    "enddate": ("enddate", "end", "ends", "endedon", "to", "todate", "dateto", "until", "finished"),
    "notes": ("notes", "note", "description", "comments", "comment", "details"),
    "radiusm": ("radiusm", "radius", "radiusmetres", "radiusmeters", "buffer", "bufferm", "buffermetres",
                "buffermeters"),
    "widthm": ("widthm", "width", "widthmetres", "widthmeters"),
}  # fmt: skip


PLACE_FIELDS = (*INTERVENTION_FIELDS, "radius_m", "width_m")
"""Fields a column of a places file can be mapped to (``--map COLUMN=FIELD``, or ``=ignore``)."""


def place_columns(headers: list[str], overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Detect which column holds each field of a places file, ``--map`` choices first.

    Parameters
    ----------
    headers : list of str
        The file's column headers.
    overrides : dict of str to str, optional
        ``COLUMN -> FIELD`` (one of :data:`PLACE_FIELDS`, or ``ignore``).

    Returns
    -------
    dict of str to str
        Folded field name (``startdate``) to column.

    Raises
    ------
    DataValidationError
        When an override names a column the file lacks or a field that is not one.
    """
    chosen: dict[str, str] = {}
    for column, field_name in (overrides or {}).items():
        if column not in headers or field_name not in (*PLACE_FIELDS, IGNORE):
            msg = (
                f"--map {column}={field_name}: the column must be one of {', '.join(headers)} and the field "
                f"one of {', '.join(PLACE_FIELDS)} or {IGNORE}."
            )
            raise DataValidationError(msg)
        if field_name != IGNORE:
            chosen[field_name.replace("_", "")] = column
    taken = set((overrides or {}).keys())
    for field_name, synonyms in _PLACE_SYNONYMS.items():
        if field_name in chosen:
            continue
        for header in headers:
            if header not in taken and fold(header) in synonyms:
                chosen[field_name] = header
                taken.add(header)
                break
    return chosen
