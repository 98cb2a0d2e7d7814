"""The data page (pages/data.py), run with Streamlit's AppTest."""

from __future__ import annotations

import shutil

from tests.support.app import run_app, texts


def test_empty_store_shows_guidance(app_env):
    at = run_app()
    assert "The store is empty" in texts(at)
    assert not at.error


def test_demo_store_shows_counts_and_synthetic_label(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Incidents stored (all partners, all categories)"] == "4,000"
    assert "SYNTHETIC" in texts(at)
    assert len(at.dataframe) >= 4


def test_the_data_page_shows_the_audit_log(app_env, demo_store_path):
    shutil.copy(demo_store_path, app_env.store_path)
    at = run_app()
    logs = [
        frame.value
        for frame in at.dataframe
        if list(frame.value.columns) == ["at", "who", "action", "what", "sha256"]
    ]
    assert len(logs) == 1 and (logs[0]["action"] == "import").sum() == 5
    assert logs[0]["what"].str.contains("SYNTHETIC-police.csv as import").any()
