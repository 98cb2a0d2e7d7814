"""Helpers and fixtures for pages/test_interventions.py, ui/test_places.py.

They build what those tests share: the Interventions page through AppTest: coverage shown, import, a drawn place saved, edit, remove.
"""

from __future__ import annotations

from svd_geo.store.backends import open_store

PLACES_CSV = (
    b"name,partner,type,start_date,end_date,latitude,longitude,radius_m\n"
    b"Knife arch at the bus station,Police,knife arch,2024-06-01,,53.1436,-1.1960,150\n"
    b"No radius,Police,patrol,2024-06-01,,53.1436,-1.1960,\n"
)


BIGGER = {
    "type": "Polygon",
    "coordinates": [[[-1.21, 53.13], [-1.18, 53.13], [-1.18, 53.15], [-1.21, 53.13]]],
}


DRAWN = {
    "type": "Polygon",
    "coordinates": [[[-1.20, 53.14], [-1.19, 53.14], [-1.19, 53.145], [-1.20, 53.14]]],
}


def names(store_path) -> list[str]:
    return sorted(open_store(store_path).interventions()["name"])
