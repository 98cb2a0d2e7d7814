"""Helpers and fixtures for partner/test_file_reads.py, partner/test_readers.py.

They build what those tests share: reading partner files fast: pyarrow's parse against pandas' C parser, reading ahead, checksums, distinct texts.
"""

from __future__ import annotations

import threading

CLEAN = {
    "byte-order mark": b"\xef\xbb\xbfid,Month,lat\n1,2024-01,53.1\n",
    "CRLF lines": b"id,Month,lat\r\n1,2024-01,53.1\r\n2,2024-02,53.2\r\n",
    "quoted commas": b'id,Location,weight\n1,"On or near Bench Street, Mansfield","1,250"\n',
    "leading zeros and padding": b"id,time,code\n007,0930, E01028268 \n010,,E01028269\n",
    "blank cells": b"a,b,c\n,,\n1,,3\n",
    "semicolons": b"a;b\n1;2\n",
    "line break in a cell": b'a,b\n"two\nlines",2\n',
}


UNUSUAL = {
    "Windows-1252": ("a,b\nCaf\xe9,1\n".encode("cp1252"), ["a", "b"], "Caf\xe9"),
    "blank headers of empty columns": (b"a,,,b\n1,,,2\n", ["a", "b"], "1"),
}


def _rewrite_in_a_loop(path, versions: list[bytes], stop: threading.Event) -> None:
    """Truncate the file and write it again in pieces, as a copy into place does."""
    turn = 0
    while not stop.is_set():
        data = versions[turn % len(versions)]
        with path.open("wb") as handle:
            for start in range(0, len(data), 65536):
                handle.write(data[start : start + 65536])
                handle.flush()
        turn += 1
