"""svd_geo.store.audit."""

from __future__ import annotations

import json

from svd_geo.partner.interventions import prepare_interventions
from svd_geo.sources.registry import sha256_of
from svd_geo.store.backends import open_store


def test_every_change_is_logged_with_who_what_and_the_files_checksum(
    store_location, prepared_sample, write_csv, monkeypatch
):
    monkeypatch.setenv("SVD_GEO_USER", "analyst@ashfield.gov.uk")
    store = open_store(store_location)
    imported = store.add_import(prepared_sample)
    places = prepare_interventions(write_csv("name,partner,start,latitude,longitude,radius_m\n"
                                             "Arch,police,2024-01-01,53.1436,-1.1960,100\n")).places  # fmt: skip
    store.add_interventions(places)
    place_id = int(store.interventions()["id"].iloc[0])
    store.add_interventions(places.assign(name="Arch, moved"), replacing=place_id)
    store.remove_intervention(int(store.interventions()["id"].iloc[0]))
    store.remove_import(imported.import_id)
    log = store.audit()
    assert log["action"].tolist() == ["remove import", "remove place", "edit place", "add places", "import"]
    assert (log["who"] == "analyst@ashfield.gov.uk").all()
    assert log["sha256"].iloc[-1] == prepared_sample.sha256
    assert log["what"].iloc[-1].startswith(f"police_uk_20.csv as import {imported.import_id}: ")
    assert log["what"].iloc[2] == "Arch, moved"


def test_a_refused_or_repeated_import_logs_nothing(store_location, prepared_sample):
    store = open_store(store_location)
    store.add_import(prepared_sample)
    store.add_import(prepared_sample)  # the same file again: nothing added, nothing logged
    assert store.audit()["action"].tolist() == ["import"]


def test_exports_of_the_stores_data_are_logged_and_read_by_svd_geo_audit(run, demo_store_path, tmp_path):
    import shutil

    store = tmp_path / "store.gpkg"
    shutil.copy(demo_store_path, store)
    out = tmp_path / "hotspots.gpkg"
    run("hotspots", "--store", str(store), "--method", "kde", "--out", str(out))
    log = json.loads(run("audit", "--store", str(store), "--json").stdout)
    assert log[0]["action"] == "export" and log[0]["what"] == "hotspots.gpkg"
    assert log[0]["sha256"] == sha256_of(out)
