"""Class breaks for choropleths: mapclassify's schemes, and legend ranges a person reads."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

SCHEMES = {"quantiles": "Quantiles", "natural breaks": "NaturalBreaks", "equal interval": "EqualInterval"}


def classify_values(values: pd.Series, scheme: str, classes: int) -> tuple[np.ndarray, list[float]]:
    """Class each value with mapclassify; return class per value and the upper bounds.

    Parameters
    ----------
    values : pandas.Series
        The values.
    scheme : str
        A key of :data:`SCHEMES`.
    classes : int
        How many classes.

    Returns
    -------
    tuple
        The class of each value, and each class's upper bound.
    """
    from svd_geo.base.speed import import_mapclassify

    import_mapclassify()
    import mapclassify

    name = SCHEMES.get(scheme)
    if name is None:
        from svd_geo.base.errors import DataValidationError

        msg = f"unknown classification {scheme!r}; choose one of {', '.join(SCHEMES)}."
        raise DataValidationError(msg)
    data = values.to_numpy(dtype=float)
    k = max(1, min(classes, len(np.unique(data))))
    if k < 2:
        return np.zeros(len(data), dtype=int), [float(data.max()) if len(data) else 0.0]
    with warnings.catch_warnings():
        # Ties (many areas with the same count) leave quantiles fewer distinct bins; mapclassify then
        # lowers k itself and says so in a warning. The legend shows the bins it kept.
        warnings.filterwarnings("ignore", message="Not enough unique values", category=UserWarning)
        classifier = getattr(mapclassify, name)(data, k=k)
    return np.asarray(classifier.yb, dtype=int), [float(b) for b in classifier.bins]


def class_labels(values: pd.Series, bounds: list[float]) -> list[str]:
    """Say each class's range: whole numbers for counts ("6 – 41"), one decimal otherwise.

    A class whose range shows as one number says just that number ("50", not "50 – 50").

    Parameters
    ----------
    values : pandas.Series
        The values classed.
    bounds : list of float
        Each class's upper bound (mapclassify's ``bins``).

    Returns
    -------
    list of str
        One label per class, from its lowest value to its upper bound.
    """
    data = values.to_numpy(dtype=float)
    whole = bool(np.all(np.mod(data, 1) == 0))
    labels = []
    for i, upper in enumerate(bounds):
        inside = data[(data <= upper) & ((data > bounds[i - 1]) if i else True)]
        low = float(inside.min()) if len(inside) else upper
        if whole:  # counts: the class's own lowest and highest values, never a fractional bound
            high = float(inside.max()) if len(inside) else upper
            ends = (f"{low:,.0f}", f"{high:,.0f}")
        else:
            ends = (f"{low:,.1f}", f"{upper:,.1f}")
        labels.append(ends[0] if ends[0] == ends[1] else " – ".join(ends))
    return labels
