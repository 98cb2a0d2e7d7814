"""Kernel density estimation of incidents on a regular grid in EPSG:27700.

Points are linearly binned onto the grid and convolved with the discretised
kernel by FFT (the approach of R's KernSmooth and KDEpy), so the cost grows
with the grid, not with points times cells.  The surface holds incidents per
square kilometre: summed over cells and multiplied by the cell area it gives
back the number (or total weight) of incidents.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from svd_geo.base.errors import DataValidationError, EmptySelectionError
from svd_geo.methods.grid import M2_PER_KM2, Grid, grid_around, inside_grid, linear_bin

if TYPE_CHECKING:
    pass

Kernel = Literal["quartic", "gaussian"]
KERNELS: tuple[str, ...] = ("quartic", "gaussian")
FloatArray = npt.NDArray[np.float64]

GAUSSIAN_REACH_SIGMAS = 4.0
CELLS_PER_BANDWIDTH = {"quartic": 10.0, "gaussian": 4.0}
# The quartic kernel of radius r has the spread of a Gaussian of sigma r / (2 sqrt 2).
QUARTIC_RADIUS_PER_SIGMA = 2.0 * math.sqrt(2.0)


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


FFT_NOISE = 1e-10
"""Densities below this share of the peak are the FFT's rounding noise, not incidents (set to 0)."""


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
    spreads = []
    for values in (x_m, y_m):
        q25, q75 = np.percentile(values, [25, 75])
        spreads.append((float(np.std(values)), float(q25), float(q75)))
    return bandwidth_of_spread(len(x_m), spreads, kernel)


def bandwidth_of_spread(n: int, spreads: list[tuple[float, float, float]], kernel: str) -> float:
    """Choose a bandwidth by Scott's rule from the points' spread (see :func:`choose_bandwidth_m`).

    Parameters
    ----------
    n : int
        How many points.
    spreads : list of tuple of float
        ``(std, q25, q75)`` of the eastings and of the northings.
    kernel : {"quartic", "gaussian"}
        The kernel the bandwidth is for.

    Returns
    -------
    float
        The bandwidth in metres.

    Raises
    ------
    EmptySelectionError
        With fewer than two distinct points.
    """
    robust = [min(std, (q75 - q25) / 1.349) for std, q25, q75 in spreads]
    sigma = float(np.mean([r if r > 0 else std for r, (std, _, _) in zip(robust, spreads, strict=True)]))
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
    inside = inside_grid(x, y, grid)
    binned = linear_bin(x[inside], y[inside], w[inside], grid)
    return density_of_binned(binned, grid, kernel, float(bandwidth_m), rule, total=float(w[inside].sum()))


def density_of_binned(
    binned: FloatArray, grid: Grid, kernel: str, bandwidth_m: float, rule: str, *, total: float
) -> DensitySurface:
    """Smooth weights already binned on a grid into a density (the second half of :func:`compute_kde`).

    Parameters
    ----------
    binned : numpy.ndarray
        Weight per cell, shape ``(ny, nx)`` (see :func:`svd_geo.methods.grid.linear_bin`).
    grid : Grid
        The grid.
    kernel : {"quartic", "gaussian"}
        The kernel.
    bandwidth_m : float
        Its bandwidth in metres.
    rule : str
        How the bandwidth was chosen (``given`` or ``scott-robust``).
    total : float
        The number (or total weight) of the incidents binned.

    Returns
    -------
    DensitySurface
        Incidents per square kilometre.
    """
    density = _convolve(binned, kernel_matrix(kernel, bandwidth_m, grid.cell_size_m))
    # The FFT leaves rounding noise (about 1e-16 of the peak, of either sign) where no kernel
    # reaches; a threshold on the "non-zero" cells would count it, so it is zeroed.
    density[density < FFT_NOISE * density.max(initial=0.0)] = 0.0
    return DensitySurface(density * M2_PER_KM2, grid, kernel, bandwidth_m, rule, total)


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
