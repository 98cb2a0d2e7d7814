"""What is in the store, as tables the Data page and ``svd-geo info`` show."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from svd_geo.base.vocabulary import SOURCE_LABELS
from svd_geo.store.backends import AnyStore


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
    audit : pandas.DataFrame
        The audit log, newest first.
    """

    incidents: int
    interventions: int
    synthetic: bool
    by_source: pd.DataFrame
    by_category: pd.DataFrame
    by_month: pd.DataFrame
    imports: pd.DataFrame
    period: tuple[pd.Timestamp, pd.Timestamp] | None
    audit: pd.DataFrame


def summarise_store(store: AnyStore) -> StoreSummary:
    """Count the store's incidents by source, category and month.

    Parameters
    ----------
    store : AnyStore
        The store to summarise.

    Returns
    -------
    StoreSummary
        Counts and the imports log.
    """
    tables = store.incident_tables()
    imports = store.imports()
    by_source = tables["by_source"].astype({"area_only": "int64", "outside_study_area": "int64"})
    by_source.insert(1, "label", by_source["source"].map(SOURCE_LABELS).fillna(by_source["source"]))
    by_category = tables["by_category"].sort_values("incidents", ascending=False, kind="stable")
    by_month = tables["by_month"].assign(month=lambda t: pd.to_datetime(t["month"], format="%Y-%m"))
    first, last = tables["period"].iloc[0]
    period = None if first is None else (pd.Timestamp(first), pd.Timestamp(last))
    return StoreSummary(
        incidents=int(by_source["incidents"].sum()),
        interventions=store.counts()["interventions"],
        synthetic=bool(imports["synthetic"].any()),
        by_source=by_source,
        by_category=by_category.reset_index(drop=True),
        by_month=by_month,
        imports=imports,
        period=period,
        audit=store.audit(),
    )
