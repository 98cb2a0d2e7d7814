"""Grouping and binning arrays of incidents: what :mod:`svd_geo.store.postgis_columns` counts with.

numpy has no group-by of several integer columns but a sort: these number the
groups with ``bincount`` over the codes' combined range, and sum each group's
lattice shares in chunks, so five million rows never need five million-row temporaries.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from svd_geo.store.postgis_aggregates import Nearby

CHUNK_ROWS = 1 << 19
"""Rows a temporary array holds: half a million float64 are 4 MB."""
DENSE_GROUPS = 1 << 24
"""Up to this many possible groups a ``bincount`` numbers them; more, a sort (0.2 s a million rows)."""


def in_cells(x: np.ndarray, y: np.ndarray, near: Nearby) -> np.ndarray:
    """Return which points lie in the cells ``near`` names (``floor(x / cell)``, as the SQL tests them).

    Parameters
    ----------
    x, y : numpy.ndarray
        The points in EPSG:27700 (NaN: none, never inside).
    near : Nearby
        The cells.

    Returns
    -------
    numpy.ndarray
        True for each point in one of the cells.
    """
    with np.errstate(invalid="ignore"):
        ix, iy = np.floor(x / near.cell_size_m), np.floor(y / near.cell_size_m)
    located = ~np.isnan(ix)
    inside = np.zeros(len(x), dtype=bool)
    inside[located] = cells_named(ix[located].astype("int64"), iy[located].astype("int64"), near)
    return inside


def cells_named(ix: np.ndarray, iy: np.ndarray, near: Nearby) -> np.ndarray:
    """Return which lattice cells are among those ``near`` names: a look-up on a mask of their bounds.

    ``np.isin`` sorts (0.35 s for five million cells); the mask of a county's cells is a
    megabyte or two.

    Parameters
    ----------
    ix, iy : numpy.ndarray
        Cells' columns and rows on the lattice of ``near``'s cell size.
    near : Nearby
        The cells.

    Returns
    -------
    numpy.ndarray
        True for each cell ``near`` names.
    """
    named = np.zeros(len(ix), dtype=bool)
    if not near.gx:
        return named
    gx, gy = np.array(near.gx, dtype="int64"), np.array(near.gy, dtype="int64")
    x0, y0 = int(gx.min()), int(gy.min())
    shape = (int(gy.max()) - y0 + 1, int(gx.max()) - x0 + 1)
    ix, iy = ix - x0, iy - y0
    within = (ix >= 0) & (ix < shape[1]) & (iy >= 0) & (iy < shape[0])
    ix, iy = ix[within], iy[within]
    if shape[0] * shape[1] > DENSE_GROUPS:  # cells strewn over a country: sort after all
        named[within] = np.isin(iy * shape[1] + ix, (gy - y0) * shape[1] + gx - x0)
        return named
    mask = np.zeros(shape, dtype=bool)
    mask[gy - y0, gx - x0] = True
    named[within] = mask[iy, ix]
    return named


def cell_numbers(cells: np.ndarray, located: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return lattice columns (or rows) numbered from 0 (an unlocated row after the last), and the numbers.

    Parameters
    ----------
    cells : numpy.ndarray
        Each row's column (or row) on the lattice.
    located : numpy.ndarray
        Whether each row has a point.

    Returns
    -------
    tuple of numpy.ndarray
        Each row's number, and the numbers of the located cells.
    """
    if not located.any():
        return np.zeros(len(cells), dtype="int32"), np.zeros(0)
    low, high = cells[located].min(), cells[located].max()
    codes = np.where(located, cells - low, high - low + 1)
    return codes.astype("int32"), np.arange(high - low + 1)


def group_ids(codes: list[np.ndarray], sizes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Return the rows' distinct combinations of codes numbered from 0, and a row of each.

    numpy has no grouping of several integer columns that is not a sort: the codes are
    combined into one number, which ``bincount`` (or, over a vast range, ``unique``) groups.

    Parameters
    ----------
    codes : list of numpy.ndarray
        Each key's codes, one a row, from 0.
    sizes : list of int
        How many codes each key has.

    Returns
    -------
    tuple of numpy.ndarray
        Each row's group, and the first row of each group.
    """
    count = len(codes[0]) if codes else 0
    combined = np.zeros(count, dtype="int64")
    for part, size in zip(codes, sizes, strict=True):
        combined = combined * max(size, 1) + part
    span = int(np.prod([max(size, 1) for size in sizes], dtype=float))
    if span <= DENSE_GROUPS:
        occupied = np.flatnonzero(np.bincount(combined, minlength=span))
        number = np.full(span, -1, dtype="int64")
        number[occupied] = np.arange(len(occupied))
        group = number[combined]
    else:
        _, group = np.unique(combined, return_inverse=True)
    first = np.full(int(group.max()) + 1 if count else 0, count, dtype="int64")
    for start in range(0, count, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, count)
        np.minimum.at(first, group[start:stop], np.arange(start, stop))
    return group, first


def lattice_cells(axis: np.ndarray, rows: np.ndarray, cell_size_m: float) -> np.ndarray:
    """Return each row's bin column (or row) on the lattice, ``floor(x / cell - 0.5)``; NaN without a point.

    In chunks, and as float32 (exact below 2**24 cells): five million float64
    temporaries took the app server 600 MB.

    Parameters
    ----------
    axis : numpy.ndarray
        Every incident's easting (or northing).
    rows : numpy.ndarray
        The rows to bin.
    cell_size_m : float
        The lattice's cell size.

    Returns
    -------
    numpy.ndarray
        The bins' columns (or rows), float32.
    """
    cells = np.empty(len(rows), dtype="float32")
    for start in range(0, len(rows), CHUNK_ROWS):
        part = slice(start, start + CHUNK_ROWS)
        cells[part] = np.floor(axis[rows[part]] / cell_size_m - 0.5)
    return cells


def bin_figures(
    group: np.ndarray, size: int, points: tuple[np.ndarray, np.ndarray], rows: np.ndarray, cell_size_m: float
) -> dict[str, np.ndarray]:
    """Return each bin's summed shares, its quadrants' counts and its points' bounds, as the SQL does.

    Parameters
    ----------
    group : numpy.ndarray
        Each row's bin.
    size : int
        How many bins.
    points : tuple of numpy.ndarray
        Every incident's easting and northing.
    rows : numpy.ndarray
        The rows binned.
    cell_size_m : float
        The lattice's cell size.

    Returns
    -------
    dict of numpy.ndarray
        ``w00, w10, w01, w11, n00, n10, n01, n11, records, xmin_m, ymin_m, xmax_m, ymax_m`` a bin.
    """
    starts = list(range(0, len(rows), CHUNK_ROWS))
    halves = [starts[: len(starts) // 2], starts[len(starts) // 2 :]]
    # Two threads on two cores: numpy lets go of the GIL in its arithmetic (1.5 times as fast).
    with ThreadPoolExecutor(max_workers=2) as pool:
        parts = list(
            pool.map(lambda half: _chunk_figures(group, size, points, rows, cell_size_m, half), halves)
        )
    sums = {name: parts[0][0][name] + parts[1][0][name] for name in parts[0][0]}
    bounds = {
        name: (np.fmin if "min" in name else np.fmax)(parts[0][1][name], parts[1][1][name])
        for name in parts[0][1]
    }
    records, sx, sy, sxy, nx, ny, nxy = sums.values()
    counts = {"n00": records - nx - ny + nxy, "n10": nx - nxy, "n01": ny - nxy, "n11": nxy}
    shares = {"w00": records - sx - sy + sxy, "w10": sx - sxy, "w01": sy - sxy, "w11": sxy}
    return {
        **shares, **{k: v.astype("int64") for k, v in counts.items()}, "records": records.astype("int64"),
        **{k: np.where(np.isinf(v), np.nan, v) for k, v in bounds.items()},
    }  # fmt: skip


def _chunk_figures(
    group: np.ndarray, size: int, points: tuple[np.ndarray, np.ndarray], rows: np.ndarray, cell_size_m: float,
    starts: list[int],
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:  # fmt: skip
    """Sum the shares and count the quadrants of some chunks of rows; their points' bounds."""
    sums = {name: np.zeros(size) for name in ("records", "sx", "sy", "sxy", "nx", "ny", "nxy")}
    bounds = {"xmin_m": np.full(size, np.inf), "ymin_m": np.full(size, np.inf)}
    bounds |= {"xmax_m": np.full(size, -np.inf), "ymax_m": np.full(size, -np.inf)}
    for start in starts:
        part = slice(start, start + CHUNK_ROWS)
        at, (x, y) = group[part], (axis[rows[part]] for axis in points)
        # As the SQL: the same operations in the same order give the same shares, bit for bit.
        fx, fy = x / cell_size_m - 0.5, y / cell_size_m - 0.5
        wx, wy = fx - np.floor(fx), fy - np.floor(fy)
        with np.errstate(invalid="ignore"):  # unlocated rows: NaN shares, and never past a half
            east, north = wx >= 0.5, wy >= 0.5
        added = {"records": None, "sx": wx, "sy": wy, "sxy": wx * wy}
        added |= {"nx": east, "ny": north, "nxy": east & north}
        for name, values in added.items():
            sums[name] += np.bincount(at, weights=values, minlength=size)
        for name, values, reduce in (
            ("xmin_m", x, np.fmin), ("ymin_m", y, np.fmin), ("xmax_m", x, np.fmax), ("ymax_m", y, np.fmax),
        ):  # fmt: skip
            reduce.at(bounds[name], at, values)
    return sums, bounds
