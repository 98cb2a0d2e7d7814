"""Density-based clusters of incidents: DBSCAN and HDBSCAN in metres.

police.uk snaps many crimes onto one point.  DBSCAN here collapses identical
points and counts each point's neighbourhood by weight (scikit-learn's
``sample_weight``), so the clusters are those of plain DBSCAN on the raw
points, found with far less work and memory.  The DBSCAN itself is an exact
grid sweep (:mod:`svd_geo.methods._dbscan`) whose labels equal scikit-learn's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from svd_geo.base.coords import distinct_points
from svd_geo.base.errors import DataValidationError, EmptySelectionError

NOISE = -1
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class UniquePoints:
    """Distinct locations, how many incidents stand on each, and the way back."""

    xy_m: FloatArray
    counts: IntArray
    inverse: IntArray


def collapse_points(x_m: FloatArray, y_m: FloatArray) -> UniquePoints:
    """Collapse identical points, keeping counts and the index back to each incident.

    Distinct points keep the order of their first occurrence.  DBSCAN finds
    clusters in index order and gives a border point to the first cluster that
    reaches it, so this order makes its labels those of the raw points.

    Parameters
    ----------
    x_m, y_m : numpy.ndarray
        Incident coordinates in metres.

    Returns
    -------
    UniquePoints
        The distinct points, how many incidents stand on each, and each incident's point.
    """
    inverse, unique = distinct_points(x_m, y_m)
    counts = np.bincount(inverse, minlength=len(unique)).astype(np.int64)
    return UniquePoints(unique, counts, inverse)


def _check_points(x_m: FloatArray) -> None:
    if len(x_m) == 0:
        msg = "no incidents with a point location to cluster; widen the filters."
        raise EmptySelectionError(msg)


def dbscan_labels(x_m: FloatArray, y_m: FloatArray, *, eps_m: float, min_samples: int) -> IntArray:
    """Label incidents by DBSCAN cluster, -1 for noise.

    Parameters
    ----------
    x_m, y_m : numpy.ndarray
        Eastings and northings in EPSG:27700 metres.
    eps_m : float
        Neighbourhood radius in metres.
    min_samples : int
        Incidents (the point itself included) a neighbourhood needs for a core point.

    Returns
    -------
    numpy.ndarray
        One label per incident; equal, up to renumbering, to scikit-learn's
        DBSCAN on the raw points.

    Raises
    ------
    DataValidationError
        When ``eps_m`` or ``min_samples`` is not positive.

    References
    ----------
    .. Ester, M., Kriegel, H.-P., Sander, J. and Xu, X. (1996). A density-based algorithm for
       discovering clusters in large spatial databases with noise. Proceedings of KDD-96: 226-231.
    .. Schubert, E., Sander, J., Ester, M., Kriegel, H.-P. and Xu, X. (2017). DBSCAN revisited,
       revisited. ACM Transactions on Database Systems 42(3): 19.
    """
    from svd_geo.methods._dbscan import grid_dbscan

    if eps_m <= 0 or min_samples < 1:
        msg = f"DBSCAN needs eps_m > 0 and min_samples >= 1, not {eps_m} and {min_samples}."
        raise DataValidationError(msg)
    _check_points(x_m)
    points = collapse_points(x_m, y_m)
    labels = grid_dbscan(points.xy_m, points.counts, eps_m, min_samples)
    return labels[points.inverse]


def hdbscan_labels(x_m: FloatArray, y_m: FloatArray, *, min_cluster_size: int) -> IntArray:
    """Label incidents by HDBSCAN cluster (scikit-learn), -1 for noise.

    HDBSCAN takes no sample weights, so it runs on every incident.

    Parameters
    ----------
    x_m, y_m : numpy.ndarray
        Incident coordinates in metres.
    min_cluster_size : int
        The smallest cluster.

    Returns
    -------
    numpy.ndarray of int
        Each incident's cluster, -1 for noise.

    References
    ----------
    .. Campello, R. J. G. B., Moulavi, D. and Sander, J. (2013). Density-based clustering based on
       hierarchical density estimates. PAKDD 2013, LNCS 7819: 160-172.
    """
    from sklearn.cluster import HDBSCAN

    if min_cluster_size < 2:
        msg = f"HDBSCAN needs min_cluster_size >= 2, not {min_cluster_size}."
        raise DataValidationError(msg)
    _check_points(x_m)
    xy = np.column_stack([x_m, y_m])
    model = HDBSCAN(min_cluster_size=min_cluster_size, allow_single_cluster=False, copy=True)
    return np.asarray(model.fit_predict(xy), dtype=np.int64)
