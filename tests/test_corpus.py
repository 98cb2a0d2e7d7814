"""Every file of the corpus of broken and hostile input gives the outcome a user needs.

Run through the command line (``svd-geo ingest``) and the dashboard's upload alike:
a refusal names the file and the fix and leaves the store as it was; an acceptance
states its warning.  Never a traceback, never a partial import.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from svd_geo.base.errors import SvdGeoError
from svd_geo.cli.main import main
from svd_geo.store.backends import open_store
from svd_geo.views.data import import_upload
from tests.corpus.cases import CASES, GOOD, HEADER, Case


def test_the_corpus_covers_at_least_forty_files():
    assert len(CASES) >= 40 and len({case.name for case in CASES}) == len(CASES)


def _counts(store_path):
    return open_store(store_path).counts()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_command_line_refuses_or_accepts_with_a_warning(
    case: Case, config, tmp_path, capsys, monkeypatch
):
    for name, value in (("SVD_GEO_MIRROR", str(config.mirror_dir)), ("SVD_GEO_CACHE", str(config.cache_dir)),
                        ("SVD_GEO_OFFLINE", "1")):  # fmt: skip
        monkeypatch.setenv(name, value)
    path = tmp_path / case.name
    case.build(path)
    store = config.store_path
    earlier = tmp_path / "earlier.csv"  # the store holds one import before the case's
    earlier.write_text(HEADER + GOOD)
    assert main(["ingest", str(earlier), "--source", "police", "--store", str(store)]) == 0
    for name, value in case.environment:
        monkeypatch.setenv(name, value)
    before = _counts(store)
    capsys.readouterr()
    rejected_csv = tmp_path / "rejected.csv"
    status = main(["ingest", str(path), "--source", case.source, "--store", str(store), "--json",
                   "--rejected", str(rejected_csv)])  # fmt: skip
    out, err = capsys.readouterr()
    if case.refused:
        assert status == 2, out
        assert case.name in err and re.search(case.expect, err), err
        assert _counts(store) == before
        return
    assert status == 0, err
    summary = json.loads(out)["imports"][0]
    assert (
        summary["accepted"] > 0 and _counts(store)["incidents"] == before["incidents"] + summary["accepted"]
    )
    if case.expect:
        notes = [note for detection in summary["detections"] for note in detection["notes"]]
        reasons = pd.read_csv(rejected_csv)["reason"].tolist() if summary["rejected"] else []
        assert any(re.search(case.expect, str(said)) for said in [*notes, *reasons]), (notes, reasons)
    if summary["rejected"]:
        lines = pd.read_csv(rejected_csv)["line"].dropna()
        assert (lines >= 2).all()  # rows as a spreadsheet numbers them: the header is line 1


@pytest.mark.parametrize("case", [c for c in CASES if c.refused], ids=[c.name for c in CASES if c.refused])
def test_an_upload_is_refused_in_the_same_words_and_stores_nothing(case: Case, config, tmp_path, monkeypatch):
    for name, value in case.environment:
        monkeypatch.setenv(name, value)
    path = tmp_path / case.name
    case.build(path)
    store = open_store(config.store_path)
    with pytest.raises(SvdGeoError, match=case.expect) as refused:
        import_upload(path.read_bytes(), case.name, case.source, config, store)
    assert case.name in str(refused.value)
    assert store.counts() == {"incidents": 0, "imports": 0, "interventions": 0}
