"""Session-state keys shared by app.py and pages/: one constant per key."""

from __future__ import annotations

KEY_UPLOAD = "upload"
KEY_UPLOAD_SOURCE = "upload_source"
KEY_UPLOAD_MAPPING = "upload_mapping"
KEY_IMPORT_BUTTON = "import_button"
KEY_IMPORT_MESSAGE = "import_message"
KEY_REMOVE_ID = "remove_import_id"
KEY_REMOVE_CONFIRM = "remove_confirm"
KEY_REMOVE_BUTTON = "remove_button"
KEY_REJECTED_ID = "rejected_import_id"

DEFAULTS: dict[str, object] = {
    KEY_IMPORT_MESSAGE: None,
}
