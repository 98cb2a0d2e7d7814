"""Kernel density estimation of incidents on a regular grid in EPSG:27700.

Points are linearly binned onto the grid and convolved with the discretised
kernel by FFT (the approach of R's KernSmooth and KDEpy), so the cost grows
with the grid, not with points times cells.  The surface holds incidents per
square kilometre: summed over cells and multiplied by the cell area it gives
back the number (or total weight) of incidents.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from svd_geo.base.errors import DataValidationError, EmptySelectionError

if TYPE_CHECKING:
    from affine import Affine

Kernel = Literal["quartic", "gaussian"]
KERNELS: tuple[str, ...] = ("quartic", "gaussian")
FloatArray = npt.NDArray[np.float64]

M2_PER_KM2 = 1_000_000.0
GAUSSIAN_REACH_SIGMAS = 4.0
CELLS_PER_BANDWIDTH = {"quartic": 10.0, "gaussian": 4.0}
# The quartic kernel of radius r has the spread of a Gaussian of sigma r / (2 sqrt 2).
QUARTIC_RADIUS_PER_SIGMA = 2.0 * math.sqrt(2.0)
_THRESHOLD = re.compile(r"^(?:p(?P<pct>\d+(?:\.\d+)?)|mean(?P<mult>\d+(?:\.\d+)?)x)$")


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


@dataclass(frozen=True)
class DensitySurface:
    """A kernel density surface.

    Attributes
    ----------
    density_km2 : numpy.ndarray
        Incidents per square kilometre, shape ``(ny, nx)``, row 0 to the south.
    grid : Grid
        Where the cells lie.
    kernel : str
        ``"quartic"`` or ``"gaussian"``.
    bandwidth_m : float
        Quartic radius, or Gaussian standard deviation, in metres.
    bandwidth_rule : str
        ``"given"`` or the rule that chose the bandwidth.
    incidents : float
        Number (or total weight) of incidents on the surface.
    """

    density_km2: FloatArray
    grid: Grid
    kernel: str
    bandwidth_m: float
    bandwidth_rule: str
    incidents: float


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


def reach_m(kernel: str, bandwidth_m: float) -> float:
    """Return how far a kernel reaches: the quartic radius, or four Gaussian sigmas.

    Parameters
    ----------
    kernel : {"quartic", "gaussian"}
        The kernel.
    bandwidth_m : float
        Its bandwidth in metres.

    Returns
    -------
    float
        The distance in metres beyond which the kernel is (taken as) zero.
    """
    return bandwidth_m if kernel == "quartic" else GAUSSIAN_REACH_SIGMAS * bandwidth_m


def choose_bandwidth_m(x_m: FloatArray, y_m: FloatArray, kernel: str) -> float:
    """Choose a bandwidth by Scott's rule with Silverman's robust spread.

    ``sigma = min(sd, IQR / 1.349)`` averaged over both axes, ``h = sigma * n**(-1/6)``
    (Scott's rule in two dimensions).  That is the Gaussian bandwidth; the quartic
    radius of the same spread is ``2 * sqrt(2) * h``.  Rounded to 10 m.

    Parameters
    ----------
    x_m, y_m : numpy.ndarray
        Point coordinates in metres.
    kernel : {"quartic", "gaussian"}
        The kernel the bandwidth is for.

    Returns
    -------
    float
        The bandwidth in metres (quartic radius or Gaussian sigma).

    Raises
    ------
    EmptySelectionError
        With fewer than two distinct points.

    References
    ----------
    .. Scott, D. W. (1992). Multivariate Density Estimation. Wiley, section 6.3.
    .. Silverman, B. W. (1986). Density Estimation for Statistics and Data Analysis. Chapman and
       Hall, equation 3.31 (the robust spread).
    """
    n = len(x_m)
    spreads = []
    for values in (x_m, y_m):
        q75, q25 = np.percentile(values, [75, 25])
        robust = min(float(np.std(values)), float(q75 - q25) / 1.349)
        spreads.append(robust if robust > 0 else float(np.std(values)))
    sigma = float(np.mean(spreads))
    if n < 2 or sigma <= 0:
        msg = "need at least two incidents at different places to choose a bandwidth; give --bandwidth-m."
        raise EmptySelectionError(msg)
    h = sigma * n ** (-1 / 6)
    bandwidth = h * QUARTIC_RADIUS_PER_SIGMA if kernel == "quartic" else h
    return max(10.0, round(float(bandwidth) / 10) * 10.0)


def default_cell_size_m(kernel: str, bandwidth_m: float) -> float:
    """Return a cell size fine enough for 1% accuracy: r/10 (quartic) or sigma/4 (Gaussian).

    Parameters
    ----------
    kernel : {"quartic", "gaussian"}
        The kernel.
    bandwidth_m : float
        Its bandwidth in metres.

    Returns
    -------
    float
        The cell size in metres.
    """
    return max(1.0, round(bandwidth_m / CELLS_PER_BANDWIDTH[kernel], 1))


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


def kernel_values(kernel: str, bandwidth_m: float, distance_m: FloatArray) -> FloatArray:
    """Evaluate a kernel (per square metre, integrating to 1) at distances in metres.

    Parameters
    ----------
    kernel : {"quartic", "gaussian"}
        The kernel.
    bandwidth_m : float
        Quartic radius or Gaussian sigma, metres.
    distance_m : numpy.ndarray
        Distances in metres.

    Returns
    -------
    numpy.ndarray
        Kernel values per square metre.
    """
    if kernel == "quartic":
        ratio = np.clip(1.0 - (distance_m / bandwidth_m) ** 2, 0.0, None)
        values: FloatArray = 3.0 / (math.pi * bandwidth_m**2) * ratio**2
        return values
    gaussian: FloatArray = np.exp(-0.5 * (distance_m / bandwidth_m) ** 2) / (2 * math.pi * bandwidth_m**2)
    return np.where(distance_m <= GAUSSIAN_REACH_SIGMAS * bandwidth_m, gaussian, 0.0)


def kernel_matrix(kernel: str, bandwidth_m: float, cell_size_m: float) -> FloatArray:
    """Return the kernel on cell-centre offsets, scaled so each point's mass is exactly 1.

    Parameters
    ----------
    kernel : {"quartic", "gaussian"}
        The kernel.
    bandwidth_m : float
        Quartic radius or Gaussian sigma, metres.
    cell_size_m : float
        Cell size in metres.

    Returns
    -------
    numpy.ndarray
        A square matrix of the kernel per cell, summing to 1.
    """
    half = math.ceil(reach_m(kernel, bandwidth_m) / cell_size_m)
    offsets = np.arange(-half, half + 1) * cell_size_m
    distance = np.hypot(offsets[None, :], offsets[:, None])
    values = kernel_values(kernel, bandwidth_m, distance)
    scaled: FloatArray = values / (float(values.sum()) * cell_size_m**2)
    return scaled


def check_kernel(kernel: str) -> None:
    """Raise a clear error for an unknown kernel name.

    Parameters
    ----------
    kernel : str
        A kernel name.

    Raises
    ------
    DataValidationError
        When it is neither ``quartic`` nor ``gaussian``.
    """
    if kernel not in KERNELS:
        msg = f"unknown kernel {kernel!r}; choose one of {', '.join(KERNELS)}."
        raise DataValidationError(msg)


def compute_kde(
    x_m: FloatArray,
    y_m: FloatArray,
    *,
    weights: FloatArray | None = None,
    kernel: str = "quartic",
    bandwidth_m: float | None = None,
    cell_size_m: float | None = None,
    grid: Grid | None = None,
) -> DensitySurface:
    """Estimate the density of incidents on a grid.

    Parameters
    ----------
    x_m, y_m : numpy.ndarray
        Eastings and northings in EPSG:27700 metres.
    weights : numpy.ndarray, optional
        Weight of each incident (harm); 1 each by default.
    kernel : {"quartic", "gaussian"}
        Quartic: ``K(d) = 3 / (pi r^2) (1 - d^2/r^2)^2`` for ``d < r`` with
        ``bandwidth_m = r`` (as QGIS, ArcGIS and CrimeStat); Gaussian with
        ``bandwidth_m`` the standard deviation, cut at 4 sigma.
    bandwidth_m : float, optional
        Chosen by :func:`choose_bandwidth_m` when not given.
    cell_size_m : float, optional
        By default :func:`default_cell_size_m`.
    grid : Grid, optional
        A grid to use instead of one fitted around the points (e.g. to compare periods).

    Returns
    -------
    DensitySurface
        Incidents per square kilometre.

    Raises
    ------
    EmptySelectionError
        When there are no points.

    References
    ----------
    .. Silverman, B. W. (1982). Kernel density estimation using the fast Fourier transform. Applied
       Statistics 31(1): 93-99.
    .. Wand, M. P. (1994). Fast computation of multivariate kernel estimators. Journal of
       Computational and Graphical Statistics 3(4): 433-445 (linear binning).
    """
    check_kernel(kernel)
    x = np.asarray(x_m, dtype=np.float64)
    y = np.asarray(y_m, dtype=np.float64)
    if len(x) == 0:
        msg = "no incidents with a point location to estimate density from; widen the filters."
        raise EmptySelectionError(msg)
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=np.float64)
    rule = "given"
    if bandwidth_m is None:
        bandwidth_m, rule = choose_bandwidth_m(x, y, kernel), "scott-robust"
    if bandwidth_m <= 0:
        msg = f"bandwidth must be positive metres, not {bandwidth_m}."
        raise DataValidationError(msg)
    cell = cell_size_m or (grid.cell_size_m if grid else default_cell_size_m(kernel, bandwidth_m))
    grid = grid or grid_around(x, y, cell_size_m=cell, margin_m=reach_m(kernel, bandwidth_m))
    inside = _inside_grid(x, y, grid)
    binned = linear_bin(x[inside], y[inside], w[inside], grid)
    density = _convolve(binned, kernel_matrix(kernel, bandwidth_m, grid.cell_size_m))
    return DensitySurface(
        density * M2_PER_KM2, grid, kernel, float(bandwidth_m), rule, float(w[inside].sum())
    )


def _inside_grid(x: FloatArray, y: FloatArray, grid: Grid) -> npt.NDArray[np.bool_]:
    west, south, east, north = grid.bounds()
    half = grid.cell_size_m / 2
    return (x >= west + half) & (x < east - half) & (y >= south + half) & (y < north - half)


def _smooth_size(n: int) -> int:
    """Return the smallest 2-3-5-smooth number >= n (fast FFT lengths)."""
    size = n
    while True:
        rest = size
        for factor in (2, 3, 5):
            while rest % factor == 0:
                rest //= factor
        if rest == 1:
            return size
        size += 1


def _convolve(binned: FloatArray, kernel: FloatArray) -> FloatArray:
    # numpy's FFT rather than scipy.signal.fftconvolve: importing scipy.signal alone
    # takes about 1.5 s, longer than the whole estimate, on every CLI call.
    full = (binned.shape[0] + kernel.shape[0] - 1, binned.shape[1] + kernel.shape[1] - 1)
    padded = (_smooth_size(full[0]), _smooth_size(full[1]))
    spectrum = np.fft.rfft2(binned, padded) * np.fft.rfft2(kernel, padded)
    product = np.fft.irfft2(spectrum, padded)
    top, left = (kernel.shape[0] - 1) // 2, (kernel.shape[1] - 1) // 2
    result: FloatArray = product[top : top + binned.shape[0], left : left + binned.shape[1]]
    # FFT round-off leaves values of about 1e-17 where the true density is zero.
    result[result < kernel.max() * 1e-12] = 0.0
    return np.ascontiguousarray(result)


def exact_density_km2(
    x_m: FloatArray, y_m: FloatArray, at_x_m: FloatArray, at_y_m: FloatArray, kernel: str, bandwidth_m: float
) -> FloatArray:
    """Sum the kernel over every point at each evaluation place (slow; for checking).

    Parameters
    ----------
    x_m, y_m : numpy.ndarray
        Point coordinates in metres.
    at_x_m, at_y_m : numpy.ndarray
        Where to evaluate, metres.
    kernel : {"quartic", "gaussian"}
        The kernel.
    bandwidth_m : float
        Quartic radius or Gaussian sigma, metres.

    Returns
    -------
    numpy.ndarray
        Density in points per km² at each place.
    """
    distance = np.hypot(at_x_m[:, None] - x_m[None, :], at_y_m[:, None] - y_m[None, :])
    summed: FloatArray = kernel_values(kernel, bandwidth_m, distance).sum(axis=1) * M2_PER_KM2
    return summed


def parse_threshold(text: str) -> tuple[str, float]:
    """Parse ``p95``/``p99`` (percentile of non-zero cells) or ``mean3x`` (multiple of the mean).

    Parameters
    ----------
    text : str
        ``pNN`` or ``meanNx``.

    Returns
    -------
    tuple of (str, float)
        ``("percentile", 95.0)`` or ``("mean", 3.0)``.
    """
    match = _THRESHOLD.match(text.strip().lower())
    if match is None:
        msg = f"threshold {text!r}: write pNN (e.g. p95, p99) or meanNx (e.g. mean1x, mean3x)."
        raise DataValidationError(msg)
    if match["pct"] is not None:
        value = float(match["pct"])
        if not 0 < value < 100:
            msg = f"threshold {text!r}: the percentile must lie between 0 and 100."
            raise DataValidationError(msg)
        return "percentile", value
    return "mean", float(match["mult"])


def threshold_value_km2(surface: DensitySurface, threshold: str) -> float:
    """Return the density above which cells are hotspots.

    ``pNN`` is the NN-th percentile of the non-zero cells; ``meanNx`` is N times
    the mean of the non-zero cells (Chainey's 1x/2x/3x classes).

    Parameters
    ----------
    surface : DensitySurface
        The density surface.
    threshold : str
        ``pNN`` or ``meanNx``.

    Returns
    -------
    float
        The threshold density in incidents per km².

    Raises
    ------
    DataValidationError
        For a threshold in neither form.
    """
    kind, value = parse_threshold(threshold)
    nonzero = surface.density_km2[surface.density_km2 > 0]
    if nonzero.size == 0:
        return math.inf
    if kind == "percentile":
        return float(np.percentile(nonzero, value))
    return float(nonzero.mean() * value)
