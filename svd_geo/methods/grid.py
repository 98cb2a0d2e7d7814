"""The grid a kernel density is computed on: cells in EPSG:27700 metres, and linear binning onto it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from affine import Affine

FloatArray = npt.NDArray[np.float64]
M2_PER_KM2 = 1_000_000.0


@dataclass(frozen=True)
class Grid:
    """A regular grid whose edges lie on multiples of the cell size.

    Attributes
    ----------
    x0_m, y0_m : float
        South-west corner (easting, northing) in metres.
    cell_size_m : float
        Width and height of a cell in metres.
    nx, ny : int
        Cells west to east and south to north.
    """

    x0_m: float
    y0_m: float
    cell_size_m: float
    nx: int
    ny: int

    @property
    def cell_area_km2(self) -> float:
        """Area of one cell in square kilometres."""
        return self.cell_size_m**2 / M2_PER_KM2

    def centres(self) -> tuple[FloatArray, FloatArray]:
        """Return the easting of each column's and the northing of each row's centre.

        Returns
        -------
        tuple of numpy.ndarray
            Column centre eastings and row centre northings, metres.
        """
        xs: FloatArray = self.x0_m + (np.arange(self.nx, dtype=np.float64) + 0.5) * self.cell_size_m
        ys: FloatArray = self.y0_m + (np.arange(self.ny, dtype=np.float64) + 0.5) * self.cell_size_m
        return xs, ys

    def bounds(self) -> tuple[float, float, float, float]:
        """Return (west, south, east, north) in metres.

        Returns
        -------
        tuple of float
            West, south, east and north edges in metres.
        """
        return (
            self.x0_m,
            self.y0_m,
            self.x0_m + self.nx * self.cell_size_m,
            self.y0_m + self.ny * self.cell_size_m,
        )


def cell_index(grid: Grid, x_m: FloatArray, y_m: FloatArray) -> npt.NDArray[np.int64]:
    """Return each point's cell as ``row * nx + column`` of the grid (row 0 south), -1 outside it.

    Parameters
    ----------
    grid : Grid
        The grid.
    x_m, y_m : numpy.ndarray
        Point coordinates in metres.

    Returns
    -------
    numpy.ndarray of int64
        The cell of each point, -1 outside the grid.
    """
    ix = np.floor((x_m - grid.x0_m) / grid.cell_size_m).astype(np.int64)
    iy = np.floor((y_m - grid.y0_m) / grid.cell_size_m).astype(np.int64)
    inside = (ix >= 0) & (ix < grid.nx) & (iy >= 0) & (iy < grid.ny)
    return np.where(inside, iy * grid.nx + ix, -1)


def north_up_transform(grid: Grid) -> Affine:
    """Return the affine transform of a grid written north-up (row 0 to the north).

    Parameters
    ----------
    grid : Grid
        The grid.

    Returns
    -------
    affine.Affine
        The transform of the grid's top-left corner and cell size, for a GeoTIFF.
    """
    from affine import Affine

    west, _, _, north = grid.bounds()
    # Built directly: rasterio's from_origin multiplies Affines with `*`, which affine 3 deprecates.
    return Affine(grid.cell_size_m, 0.0, west, 0.0, -grid.cell_size_m, north)


def grid_around(x_m: FloatArray, y_m: FloatArray, *, cell_size_m: float, margin_m: float) -> Grid:
    """Return a grid aligned to multiples of the cell size covering the points plus a margin.

    Parameters
    ----------
    x_m, y_m : numpy.ndarray
        Point coordinates in metres.
    cell_size_m : float
        Cell size in metres.
    margin_m : float
        How far the grid reaches beyond the points.

    Returns
    -------
    Grid
        The grid.
    """
    pad = margin_m + cell_size_m
    west = math.floor((float(np.min(x_m)) - pad) / cell_size_m) * cell_size_m
    south = math.floor((float(np.min(y_m)) - pad) / cell_size_m) * cell_size_m
    east = math.ceil((float(np.max(x_m)) + pad) / cell_size_m) * cell_size_m
    north = math.ceil((float(np.max(y_m)) + pad) / cell_size_m) * cell_size_m
    nx = round((east - west) / cell_size_m)
    ny = round((north - south) / cell_size_m)
    return Grid(west, south, cell_size_m, nx, ny)


def linear_bin(x_m: FloatArray, y_m: FloatArray, weights: FloatArray, grid: Grid) -> FloatArray:
    """Spread each point's weight over the four nearest cell centres, bilinearly.

    Parameters
    ----------
    x_m, y_m : numpy.ndarray
        Point coordinates in metres.
    weights : numpy.ndarray
        Each point's weight (1 for a count).
    grid : Grid
        The grid to bin onto.

    Returns
    -------
    numpy.ndarray
        Weight per cell, shape ``(ny, nx)``; it sums to the total weight.

    References
    ----------
    .. Wand, M. P. (1994). Fast computation of multivariate kernel estimators. Journal of
       Computational and Graphical Statistics 3(4): 433-445.
    """
    fx = (x_m - grid.x0_m) / grid.cell_size_m - 0.5
    fy = (y_m - grid.y0_m) / grid.cell_size_m - 0.5
    ix = np.floor(fx).astype(np.int64)
    iy = np.floor(fy).astype(np.int64)
    wx = fx - ix
    wy = fy - iy
    size = grid.nx * grid.ny
    total = np.zeros(size)
    for dx, dy, share in (
        (0, 0, (1 - wx) * (1 - wy)),
        (1, 0, wx * (1 - wy)),
        (0, 1, (1 - wx) * wy),
        (1, 1, wx * wy),
    ):
        total += np.bincount((iy + dy) * grid.nx + (ix + dx), weights=weights * share, minlength=size)
    return total.reshape(grid.ny, grid.nx)


def inside_grid(x: FloatArray, y: FloatArray, grid: Grid) -> npt.NDArray[np.bool_]:
    """Return which points lie inside a grid.

    Parameters
    ----------
    x, y : numpy.ndarray
        Point coordinates in metres.
    grid : Grid
        The grid.

    Returns
    -------
    numpy.ndarray of bool
        One flag per point.
    """
    west, south, east, north = grid.bounds()
    half = grid.cell_size_m / 2
    return (x >= west + half) & (x < east - half) & (y >= south + half) & (y < north - half)
