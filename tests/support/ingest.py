"""Helpers and fixtures for partner/test_columns.py, partner/test_dates.py, partner/test_detect.py, partner/test_ingest.py, partner/test_rejections.py.

They build what those tests share: detection and validation of partner files: one test per failure mode.
"""

from __future__ import annotations

from pyproj import Transformer

MANSFIELD_LON, MANSFIELD_LAT = -1.1975, 53.1440


_E, _N = Transformer.from_crs(4326, 27700, always_xy=True).transform(MANSFIELD_LON, MANSFIELD_LAT)


MANSFIELD_E, MANSFIELD_N = round(_E), round(_N)


def rejected_reasons(prepared) -> list[str]:
    return prepared.rejected["reason"].tolist()
