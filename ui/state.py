"""Session-state keys shared by app.py and pages/: one constant per key."""

from __future__ import annotations

# Sign-in (ui/auth.py): the signed-in account's name, the form's fields, sign-out.
KEY_ACCOUNT = "account"
KEY_SIGN_IN_USER = "sign_in_user"
KEY_SIGN_IN_PASSWORD = "sign_in_password"  # noqa: S105  (a widget key, not a password)
KEY_SIGN_OUT = "sign_out"

KEY_UPLOAD = "upload"
KEY_UPLOAD_SOURCE = "upload_source"
KEY_UPLOAD_MAPPING = "upload_mapping"
KEY_IMPORT_BUTTON = "import_button"
KEY_IMPORT_MESSAGE = "import_message"
KEY_REMOVE_ID = "remove_import_id"
KEY_REMOVE_CONFIRM = "remove_confirm"
KEY_REMOVE_BUTTON = "remove_button"
KEY_REJECTED_ID = "rejected_import_id"

# Shared sidebar filters (mirrored in the URL) and the meeting mode.
KEY_SOURCES = "sources"
KEY_CATEGORIES = "categories"
KEY_DATE_FROM = "date_from"
KEY_DATE_TO = "date_to"
KEY_PRESENT = "present"
KEY_DISTRICTS = "districts"
KEY_WARDS = "wards"
KEY_WEEKDAYS = "days"
KEY_HOURS = "hours"
KEY_HARM = "harm"
KEY_DEPRIVATION = "deprivation_domain"
KEY_UNREPORTED_MAP = "unreported_map"
ALL_HOURS = (0, 24)

# Map page.
KEY_MAP_LEVEL = "map_level"
KEY_MAP_MEASURE = "map_measure"
KEY_MAP_SCHEME = "map_scheme"
KEY_MAP_LAYERS = "map_layers"
KEY_MAP_BASEMAP = "basemap"
KEY_MAP = "map"
# What the Map page shows before anyone changes it (the server builds this view at start).
MAP_DEFAULT_LEVEL = "ward"
MAP_DEFAULT_MEASURE = "count"
MAP_DEFAULT_SCHEME = "quantiles"
MAP_DEFAULT_LAYERS = ("areas", "hotspots", "interventions", "labels")
MAP_DEFAULT_BASEMAP = "streets"
MAP_LEVELS = ("ward", "lsoa")
MAP_MEASURES = ("count", "rate")

# The session's hotspot definition (HotspotParams.to_spec text; also the URL parameter),
# chosen on the Hotspots page and used by every page.
KEY_HOTSPOT_DEFINITION = "hotspots"

# Hotspots, Trends and Overview pages.
KEY_HS_METHOD = "hs_method"
KEY_HS_BANDWIDTH = "hs_bw"
KEY_HS_KERNEL = "hs_kernel"
KEY_HS_THRESHOLD = "hs_threshold"
KEY_HS_EPS = "hs_eps"
KEY_HS_MIN_SAMPLES = "hs_min"
KEY_HS_MIN_CLUSTER = "hs_mcs"
KEY_HS_AREAS = "hs_areas"
KEY_HS_NEIGHBOURS = "hs_nb"
KEY_HS_ACCURACY = "hs_accuracy"
KEY_HS_MAP = "hotspot_map"
KEY_TREND_AREAS = "trend_areas"
KEY_EMERGING_MAP = "emerging_map"
KEY_OVERVIEW_MAP = "overview_map"

# Interventions page
KEY_PLACES_MAP = "places_map"
KEY_PLACES_DRAWN = "places_drawn"
KEY_PLACES_UPLOAD = "places_upload"
KEY_PLACES_IMPORT = "places_import"
KEY_PLACES_MESSAGE = "places_message"
KEY_PLACES_REJECTED = "places_rejected"
KEY_PLACE_NAME = "place_name"
KEY_PLACE_PARTNER = "place_partner"
KEY_PLACE_TYPE = "place_type"
KEY_PLACE_START = "place_start"
KEY_PLACE_END = "place_end"
KEY_PLACE_NOTES = "place_notes"
KEY_PLACE_RADIUS = "place_radius"
KEY_PLACE_SAVE = "place_save"
KEY_PLACE_PICK = "place_pick"
KEY_PLACE_EDIT = "place_edit"
KEY_PLACE_RESHAPE = "place_reshape"
KEY_PLACE_REMOVE_CONFIRM = "place_remove_confirm"
KEY_PLACE_REMOVE = "place_remove"
KEY_BEFORE_AFTER = "before_after_place"
KEY_BEFORE_AFTER_OWN = "before_after_own"
KEY_BRIEFING = "briefing"

DEFAULTS: dict[str, object] = {
    KEY_HARM: "count",
    KEY_IMPORT_MESSAGE: None,
    KEY_SOURCES: [],
    KEY_CATEGORIES: [],
    KEY_DATE_FROM: None,
    KEY_DATE_TO: None,
    KEY_PRESENT: False,
    KEY_DISTRICTS: [],
    KEY_WARDS: [],
    KEY_WEEKDAYS: [],
    KEY_HOURS: ALL_HOURS,
    KEY_MAP_LEVEL: MAP_DEFAULT_LEVEL,
    KEY_MAP_MEASURE: MAP_DEFAULT_MEASURE,
    KEY_MAP_SCHEME: MAP_DEFAULT_SCHEME,
    KEY_MAP_LAYERS: list(MAP_DEFAULT_LAYERS),
    KEY_MAP_BASEMAP: MAP_DEFAULT_BASEMAP,
    KEY_PLACES_MESSAGE: None,
    KEY_PLACES_REJECTED: None,
    KEY_PLACES_DRAWN: None,
}
