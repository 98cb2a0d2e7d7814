"""svd_geo.partner.file_reads."""

from __future__ import annotations

import threading

from svd_geo.base.errors import DataValidationError
from svd_geo.partner.readers import (
    read_ahead,
    read_partner_file,
)
from tests.support.reading import _rewrite_in_a_loop


def test_a_file_rewritten_while_it_is_read_gives_its_rows_or_a_clear_error(tmp_path):
    # A memory-mapped file truncated while pyarrow parsed it killed the process with SIGBUS.
    path = tmp_path / "partner.csv"
    versions = [
        ("id,Month\n" + "".join(f"{i},2024-01\n" for i in range(rows))).encode() for rows in (40_000, 60_000)
    ]
    path.write_bytes(versions[0])
    stop = threading.Event()
    writer = threading.Thread(target=_rewrite_in_a_loop, args=(path, versions, stop))
    writer.start()
    outcomes = {"read": 0, "refused": 0}
    try:
        for attempt in range(60):
            if attempt % 3 == 0:
                read_ahead(path)
            try:
                frame = read_partner_file(path)[0].frame
            except DataValidationError as err:
                assert str(err).startswith("partner.csv: "), err
                outcomes["refused"] += 1
            else:
                assert frame.columns.tolist() == ["id", "Month"]
                assert len(frame) <= 60_000
                outcomes["read"] += 1
    finally:
        stop.set()
        writer.join()
    assert sum(outcomes.values()) == 60
    path.write_bytes(versions[1])
    assert len(read_partner_file(path)[0].frame) == 60_000
