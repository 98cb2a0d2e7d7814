"""Violence against the population at risk: incidents per 1,000 residents as a surface (dual KDE).

A density of incidents says where violence is; where many people live, much of it
is expected.  The dual kernel density (as R's sfhotspot ``hotspot_dual_kde``) puts
a density of residents beside it, on the same grid with the same kernel and
bandwidth, and divides: incidents per 1,000 residents.

Residents come from the registered LSOA populations, spread evenly over each
LSOA's area (each grid cell whose centre lies in the LSOA takes an equal share),
then smoothed with the incidents' kernel.  Where the smoothed residents within the
kernel's reach are fewer than ``min_residents`` (100 by default), the ratio of
two small numbers means nothing: those cells are masked (NaN), and the outputs
say so.  Residents living outside the study area are not counted, so rates are
shown only on cells inside a study-area LSOA (outside it they are NaN but not
masked: there is no rate to withhold), and cells at its edge are masked more
often than they would be.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from svd_geo.select.points import harm_weights, point_incidents, point_xy

if TYPE_CHECKING:
    import geopandas as gpd

    from svd_geo.base.config import Config
    from svd_geo.methods.grid import Grid
    from svd_geo.methods.kde import DensitySurface

MIN_RESIDENTS = 100
"""Fewest residents within the kernel's reach for a cell's rate to be shown."""


@dataclass(frozen=True)
class RateSurface:
    """Incidents, residents and their ratio on one grid.

    Attributes
    ----------
    incidents : DensitySurface
        Incidents (or harm) per km².
    residents_km2 : numpy.ndarray
        Smoothed residents per km², the same shape.
    per_1k : numpy.ndarray
        Incidents per 1,000 residents over the period; NaN where masked.
    min_residents : int
        The mask: fewer residents than this within the kernel's reach.
    masked_cells : numpy.ndarray of bool
        Cells inside the study area, with incidents, whose rate is withheld.
    """

    incidents: DensitySurface
    residents_km2: npt.NDArray[np.float64]
    per_1k: npt.NDArray[np.float64]
    min_residents: int
    masked_cells: npt.NDArray[np.bool_]

    @property
    def masked(self) -> int:
        """How many cells with incidents inside the study area were masked."""
        return int(self.masked_cells.sum())

    def summary(self) -> dict[str, object]:
        """Return the figures a sidecar and ``--json`` record.

        Returns
        -------
        dict
            The method in words, bandwidth, mask and the largest rate shown.
        """
        shown = self.per_1k[~np.isnan(self.per_1k)]
        return {
            "method": self.describe(), "bandwidth_m": self.incidents.bandwidth_m, "masked_cells": self.masked,
            "min_residents": self.min_residents, "max_per_1k": float(shown.max()) if shown.size else None,
        }  # fmt: skip

    def describe(self) -> str:
        """Say how the surface was made and what is masked.

        Returns
        -------
        str
            The method in one sentence, for captions and sidecars.
        """
        surface = self.incidents
        return (
            f"Incidents per 1,000 residents: a {surface.kernel} kernel of {surface.bandwidth_m:,.0f} m over "
            f"incidents and over residents (LSOA populations spread over each LSOA's area), divided; "
            f"{self.masked:,} cells in the study area with incidents but fewer than {self.min_residents} "
            "residents within the kernel's reach are masked; no rate is shown outside the study area."
        )


def resident_cells(grid: Grid, config: Config) -> npt.NDArray[np.float64]:
    """Spread each study-area LSOA's residents evenly over the grid cells whose centre it holds.

    Parameters
    ----------
    grid : Grid
        The grid.
    config : Config
        Where the LSOA boundaries and populations are.

    Returns
    -------
    numpy.ndarray
        Residents per cell, shape ``(ny, nx)``, row 0 to the south.
    """
    from rasterio.features import rasterize

    from svd_geo.methods.grid import north_up_transform
    from svd_geo.sources.areas import area_population, study_context

    _, lsoas = study_context(config)
    population = area_population("lsoa", config).reindex(lsoas["area_code"]).to_numpy(dtype=float)
    # Burnt in by GDAL's cell-centre rule: a cell belongs to the LSOA holding its centre (0 for none).
    shapes = ((geometry, slot + 1) for slot, geometry in enumerate(lsoas.geometry))
    burnt = rasterize(shapes, out_shape=(grid.ny, grid.nx), transform=north_up_transform(grid), fill=0,
                      dtype="int32")[::-1]  # fmt: skip
    cells_per_lsoa = np.bincount(burnt.ravel(), minlength=len(lsoas) + 1)
    share = np.r_[0.0, np.nan_to_num(population) / np.maximum(cells_per_lsoa[1:], 1)]
    residents: npt.NDArray[np.float64] = share[burnt]
    return residents


RATE_BANDWIDTH_M = 500.0
"""The rate surface's bandwidth: wide enough that most cells reach a few hundred residents."""


RATE_CELL_SIZE_M = 50.0
"""The rate surface's cell size."""


def rate_surface(
    incidents: gpd.GeoDataFrame,
    config: Config,
    *,
    kernel: str = "quartic",
    bandwidth_m: float = RATE_BANDWIDTH_M,
    cell_size_m: float = RATE_CELL_SIZE_M,
    min_residents: int = MIN_RESIDENTS,
) -> RateSurface:
    """Estimate incidents per 1,000 residents: the dual kernel density of incidents and residents.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The selected incidents, EPSG:27700; those with a point are used, weighted
        by harm where weights were applied.
    config : Config
        Where the boundaries and populations are.
    kernel : {"quartic", "gaussian"}, default "quartic"
        The kernel of both densities.
    bandwidth_m : float, default 500
        Its bandwidth: wide enough that most cells reach a few hundred residents.
    cell_size_m : float, default 50
        The grid's cell size.
    min_residents : int, default 100
        Cells with fewer residents than this within the kernel's reach are masked.

    Returns
    -------
    RateSurface
        The two densities and their ratio.

    References
    ----------
    .. Ashby, M. P. J. (2023) sfhotspot: hot-spot analysis with simple features, ``hotspot_dual_kde``.
       R package. https://github.com/mpjashby/sfhotspot
    """
    from svd_geo.methods.kde import compute_kde

    points = point_incidents(incidents, columns=["weight"])
    x, y = point_xy(points)
    surface = compute_kde(
        x, y, weights=harm_weights(points), kernel=kernel, bandwidth_m=bandwidth_m, cell_size_m=cell_size_m
    )
    return rates_of_density(surface, config, min_residents=min_residents)


def rates_of_density(
    surface: DensitySurface, config: Config, *, min_residents: int = MIN_RESIDENTS
) -> RateSurface:
    """Divide a density of incidents by that of residents on its grid (the end of :func:`rate_surface`).

    Parameters
    ----------
    surface : DensitySurface
        The incidents' density (by default :data:`RATE_BANDWIDTH_M` and :data:`RATE_CELL_SIZE_M`).
    config : Config
        Where the boundaries and populations are.
    min_residents : int, default 100
        Cells with fewer residents than this within the kernel's reach are masked.

    Returns
    -------
    RateSurface
        The two densities and their ratio.
    """
    from svd_geo.methods.kde import compute_kde, reach_m

    kernel = surface.kernel
    cells = resident_cells(surface.grid, config)
    xs, ys = surface.grid.centres()
    cx, cy = np.meshgrid(xs, ys)
    lived = cells.ravel() > 0
    residents = compute_kde(
        cx.ravel()[lived], cy.ravel()[lived], weights=cells.ravel()[lived], kernel=kernel,
        bandwidth_m=surface.bandwidth_m, grid=surface.grid,
    ).density_km2  # fmt: skip
    within_reach = residents * math.pi * reach_m(kernel, surface.bandwidth_m) ** 2 / 1e6
    in_study = cells > 0  # residents outside the study area are not counted: no rate there
    shown = in_study & (within_reach >= min_residents) & (residents > 0)  # never a rate over no one
    with np.errstate(invalid="ignore", divide="ignore"):
        per_1k = np.where(shown, surface.density_km2 / residents * 1000, np.nan)
    masked_cells = in_study & (surface.density_km2 > 0) & ~shown
    return RateSurface(surface, residents, per_1k, min_residents, masked_cells)
