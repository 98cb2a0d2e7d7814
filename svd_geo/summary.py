"""What is in the store, as tables the Data page and ``svd-geo info`` show."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from svd_geo.ingest import SOURCE_LABELS
from svd_geo.store import GeoPackageStore


@dataclass(frozen=True)
class StoreSummary:
    """Counts of stored incidents.

    Attributes
    ----------
    incidents : int
        Incidents stored.
    interventions : int
        Intervention places stored.
    synthetic : bool
        Whether any import is SYNTHETIC demo data.
    by_source : pandas.DataFrame
        ``source, label, incidents, area_only, outside_study_area``.
    by_category : pandas.DataFrame
        ``source, category, incidents``, largest first.
    by_month : pandas.DataFrame
        ``month`` (first day), ``source``, ``incidents``.
    imports : pandas.DataFrame
        The imports log.
    period : tuple of pandas.Timestamp or None
        First and last date-time stored.
    """

    incidents: int
    interventions: int
    synthetic: bool
    by_source: pd.DataFrame
    by_category: pd.DataFrame
    by_month: pd.DataFrame
    imports: pd.DataFrame
    period: tuple[pd.Timestamp, pd.Timestamp] | None


def summarise_store(store: GeoPackageStore) -> StoreSummary:
    """Count the store's incidents by source, category and month.

    Parameters
    ----------
    store : GeoPackageStore
        The store to summarise.

    Returns
    -------
    StoreSummary
        Counts and the imports log.
    """
    incidents = store.incidents()
    imports = store.imports()
    frame = pd.DataFrame(incidents.drop(columns="geometry"))
    frame["area_only"] = incidents.geometry.isna().to_numpy()
    by_source = (
        frame.groupby("source")
        .agg(
            incidents=("source", "size"),
            area_only=("area_only", "sum"),
            outside_study_area=("in_study_area", lambda s: int((~s).sum())),
        )
        .reset_index()
    )
    by_source.insert(1, "label", by_source["source"].map(SOURCE_LABELS).fillna(by_source["source"]))
    by_category = (
        frame.groupby(["source", "category"])
        .size()
        .rename("incidents")
        .reset_index()
        .sort_values("incidents", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    frame["month"] = frame["occurred"].dt.to_period("M").dt.to_timestamp()
    by_month = frame.groupby(["month", "source"]).size().rename("incidents").reset_index()
    period = None if frame.empty else (frame["occurred"].min(), frame["occurred"].max())
    return StoreSummary(
        incidents=len(frame),
        interventions=store.counts()["interventions"],
        synthetic=bool(imports["synthetic"].any()),
        by_source=by_source,
        by_category=by_category,
        by_month=by_month,
        imports=imports,
        period=period,
    )
