"""The Trends page: the trend run of a view, with its categories' series and seasonality."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from svd_geo.analyses.params import HotspotParams
from svd_geo.analyses.trends import TrendsRun, run_trends
from svd_geo.methods.trends import seasonality, top_category_months

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from svd_geo.base.config import Config


@dataclass
class TrendsView:
    """What the Trends page draws.

    Attributes
    ----------
    run : TrendsRun
        Monthly series by partner, trend test, week-hour matrix and emerging hotspots.
    by_category : pandas.DataFrame
        Monthly counts of the most frequent categories.
    seasonal : pandas.DataFrame
        Incidents per calendar month.
    incidents : int
        How many incidents the view selects.
    """

    run: TrendsRun
    by_category: pd.DataFrame
    seasonal: pd.DataFrame
    incidents: int


def build_trends_view(selected: gpd.GeoDataFrame, config: Config, *, areas: str) -> TrendsView:
    """Build the Trends page's figures from the incidents a view selects.

    Parameters
    ----------
    selected : geopandas.GeoDataFrame
        The view's incidents, EPSG:27700 (at least one).
    config : Config
        Where the boundaries are.
    areas : str
        Area unit of the emerging hotspots (``hex:SIZE_M``, ``ward`` or ``lsoa``).

    Returns
    -------
    TrendsView
        The figures.

    Raises
    ------
    DataValidationError
        When the area unit cannot be used.
    """
    run = run_trends(selected, HotspotParams(method="gistar", areas=areas), config, by="source")
    return TrendsView(run, top_category_months(selected), seasonality(run.monthly), len(selected))
