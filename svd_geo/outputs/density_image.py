"""Density and rate surfaces as coloured images for a Leaflet overlay, warped to the map's projection."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from svd_geo.base.config import ANALYSIS_CRS, DISPLAY_CRS
from svd_geo.base.coords import transformer
from svd_geo.outputs.maps import PALETTE

if TYPE_CHECKING:
    from affine import Affine

    from svd_geo.analyses.rates import RateSurface
    from svd_geo.methods.grid import Grid
    from svd_geo.methods.kde import DensitySurface

Overlay = tuple[str, list[list[float]], list[tuple[str, str]]]
"""An image overlay: PNG data URI, bounds ``[[south, west], [north, east]]`` in degrees, legend rows."""


DENSITY_PERCENTILES = (50, 75, 90, 95, 99)
"""Class breaks of the density overlay: percentiles of the cells with any density."""


DENSITY_MAX_PIXELS = 900
"""Longest side of the density image sent to the browser."""


MASKED_COLOUR = "#969696"
"""Cells whose rate is masked (too few residents) are drawn in this grey."""


def readable_breaks(breaks: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Round class breaks down to 1, 2 or 5 times a power of ten, keeping them rising.

    A legend of "from 98 / from 1,773 per km²" reads as "from 50 / from 1,000"; a
    break that rounds onto the one below keeps its own value, so no class vanishes.

    Parameters
    ----------
    breaks : numpy.ndarray
        Rising class breaks (the first may be 0).

    Returns
    -------
    numpy.ndarray
        The breaks, rounded down where that keeps them rising.
    """
    rounded: list[float] = []
    for value in np.asarray(breaks, dtype=np.float64):
        nice = float(value)
        if value > 0:
            power = 10 ** np.floor(np.log10(value))
            nice = float(max(step * power for step in (1, 2, 5, 10) if step * power <= value * (1 + 1e-9)))
        rounded.append(nice if not rounded or nice > rounded[-1] else float(value))
    return np.asarray(rounded, dtype=np.float64)


def density_image(surface: DensitySurface) -> Overlay:
    """Colour a density surface for a Leaflet image overlay.

    Cells below the median of the non-zero cells stay transparent.

    Parameters
    ----------
    surface : DensitySurface
        The density surface, EPSG:27700.

    Returns
    -------
    tuple
        PNG data URI, bounds ``[[south, west], [north, east]]`` in degrees, and
        legend rows (colour, "from N per km²").
    """
    return classed_image(surface.grid, surface.density_km2, unit="per km²")


def rate_image(rates: RateSurface) -> Overlay:
    """Colour a rate surface (incidents per 1,000 residents) for a Leaflet image overlay.

    Cells below the median rate stay transparent; cells with incidents whose rate
    is masked (too few residents within the kernel's reach) are grey, and the
    legend's last row says why.

    Parameters
    ----------
    rates : RateSurface
        The dual kernel density, EPSG:27700.

    Returns
    -------
    tuple
        PNG data URI, bounds in degrees, and legend rows.
    """
    return classed_image(
        rates.incidents.grid, np.nan_to_num(rates.per_1k), unit="per 1,000 residents",
        masked=rates.masked_cells,
        masked_label=f"masked: fewer than {rates.min_residents:,} residents within reach",
    )  # fmt: skip


def classed_image(
    grid: Grid,
    values: npt.NDArray[np.float64],
    *,
    unit: str,
    masked: npt.NDArray[np.bool_] | None = None,
    masked_label: str = "",
) -> Overlay:
    """Colour a surface by percentile classes of its positive cells, warped to Web Mercator.

    Leaflet stretches an image linearly in Web Mercator, so the surface (a
    British National Grid raster) is warped to EPSG:3857 first; drawn
    unwarped it would sit up to a few hundred metres off at its edges.

    Parameters
    ----------
    grid : Grid
        The surface's grid, EPSG:27700.
    values : numpy.ndarray
        Its values, shape ``(ny, nx)``, row 0 to the south; 0 where there is nothing.
    unit : str
        The legend's unit, e.g. "per km²".
    masked : numpy.ndarray of bool, optional
        Cells to draw grey (values there are ignored).
    masked_label : str, default ""
        The legend text of the grey cells.

    Returns
    -------
    tuple
        PNG data URI, bounds in degrees, and legend rows (colour, "from N <unit>").
    """
    import base64
    import io

    from PIL import Image

    transform, warped = _warped(grid, values, "bilinear")
    positive = values[values > 0]
    breaks = readable_breaks(
        np.percentile(positive, DENSITY_PERCENTILES) if positive.size else np.zeros(len(DENSITY_PERCENTILES))
    )
    colours = PALETTE[1:]
    height, width = warped.shape
    rgba = np.zeros((height, width, 4), dtype=np.uint8)
    level = np.searchsorted(breaks, warped, side="right") - 1
    for index, colour in enumerate(colours):
        rgba[level == index] = [*_rgb(colour), 190]
    legend = [(colour, f"from {value:,.4g} {unit}") for colour, value in zip(colours, breaks, strict=True)]
    if masked is not None and masked.any():
        _, grey = _warped(grid, masked.astype(np.float64), "nearest")
        rgba[grey > 0.5] = [*_rgb(MASKED_COLOUR), 150]
        legend.append((MASKED_COLOUR, masked_label))
    buffer = io.BytesIO()
    Image.fromarray(rgba, mode="RGBA").save(buffer, format="PNG", optimize=True)
    uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    from_mercator = transformer("EPSG:3857", DISPLAY_CRS)
    lon, lat = from_mercator.transform(
        [transform.c, transform.c + width * transform.a], [transform.f + height * transform.e, transform.f]
    )
    return uri, [[lat[0], lon[0]], [lat[1], lon[1]]], legend


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _warped(
    grid: Grid, values: npt.NDArray[np.float64], resampling: str
) -> tuple[Affine, npt.NDArray[np.float32]]:
    """Warp a south-up grid of values to a north-up Web Mercator image; return its transform and pixels."""
    import rasterio.warp

    from svd_geo.methods.grid import north_up_transform

    west, south, east, north = grid.bounds()
    resolution = max(east - west, north - south) / DENSITY_MAX_PIXELS
    with warnings.catch_warnings():
        # rasterio multiplies Affines with `*` inside warp, which affine 3 marks as deprecated.
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        transform, width, height = rasterio.warp.calculate_default_transform(
            ANALYSIS_CRS, "EPSG:3857", grid.nx, grid.ny, west, south, east, north, resolution=resolution
        )
        warped = np.zeros((height, width), dtype=np.float32)
        rasterio.warp.reproject(
            values[::-1].astype(np.float32), warped, src_transform=north_up_transform(grid),
            src_crs=ANALYSIS_CRS, dst_transform=transform, dst_crs="EPSG:3857",
            resampling=rasterio.warp.Resampling[resampling],
        )  # fmt: skip
    return transform, warped
