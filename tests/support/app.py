"""Helpers and fixtures for pages/test_data.py, pages/test_hotspots.py, pages/test_interventions.py, pages/test_map.py, pages/test_overview.py, pages/test_trends.py, test_app.py, ui/test_cache.py, ui/test_filters.py, ui/test_hotspots.py, ui/test_places.py, ui/test_upload.py, views/test_overview.py.

They build what those tests share: the Streamlit app through AppTest: the Data page on empty and demo stores.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from svd_geo.base.config import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")


AMBULANCE_CSV = b"incident_datetime,latitude,longitude,call_category\n2024-05-04 23:10,53.1440,-1.1975,Assault\n2024-05-05 01:20,53.1253,-1.2616,Assault\n2024-05-05 02:00,0,0,Assault\n"


def run_app(page: str = "pages/data.py") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    # Switching even to the Overview page, the default: widgets then carry the ids of the
    # runs that follow (the first run's page ran on its own, so its widgets' ids differ and
    # a first widget change would be lost).
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in at.text] + [i.value for i in at.info]
    parts += [s.value for s in at.success] + [w.value for w in at.warning] + [e.value for e in at.error]
    return "\n".join(str(p) for p in parts)
