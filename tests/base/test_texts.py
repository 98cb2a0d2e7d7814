"""svd_geo.base.texts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from svd_geo.base.texts import distinct_texts


def test_distinct_texts_strip_and_take_back_to_the_rows():
    values = pd.Series(["a", " a ", None, "", "b", "a"], dtype="str")
    distinct = distinct_texts(values)
    rows = distinct.per_row(distinct.texts.to_numpy(dtype=object))
    assert rows.tolist() == ["a", "a", "", "", "b", "a"]
    assert distinct.counts.sum() == len(values)
    assert len(distinct.texts) == len(set(distinct.codes))
    upper = distinct.text_column(distinct.texts.str.upper(), np.array([True, False, True, True, True, False]))
    assert list(upper) == ["A", "", "", "B"]
