"""svd_geo.base.errors."""

from __future__ import annotations

import pytest

from svd_geo.base import errors


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (errors.DataValidationError, ValueError),
        (errors.CrsError, ValueError),
        (errors.ChecksumError, ValueError),
        (errors.SourceUnavailableError, FileNotFoundError),
        (errors.EmptySelectionError, LookupError),
        (errors.StoreError, RuntimeError),
    ],
)
def test_every_error_is_one_the_app_and_command_catch_and_still_its_builtin_kind(error, builtin):
    # The CLI and the pages catch SvdGeoError alone; callers outside may catch the builtin.
    with pytest.raises(errors.SvdGeoError, match=r"partner\.csv: row 3"):
        raise error("partner.csv: row 3")
    assert issubclass(error, builtin)
