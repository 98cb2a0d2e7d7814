"""The kernel density surface as a coloured image for a Leaflet overlay, warped to the map's projection."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from svd_geo.base.config import ANALYSIS_CRS, DISPLAY_CRS
from svd_geo.base.coords import transformer
from svd_geo.outputs.maps import PALETTE

if TYPE_CHECKING:
    from svd_geo.methods.kde import DensitySurface


DENSITY_PERCENTILES = (50, 75, 90, 95, 99)
"""Class breaks of the density overlay: percentiles of the cells with any density."""


DENSITY_MAX_PIXELS = 900
"""Longest side of the density image sent to the browser."""


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


def density_image(surface: DensitySurface) -> tuple[str, list[list[float]], list[tuple[str, str]]]:
    """Colour a density surface for a Leaflet image overlay.

    Leaflet stretches an image linearly in Web Mercator, so the surface (a
    British National Grid raster) is warped to EPSG:3857 first; drawn
    unwarped it would sit up to a few hundred metres off at its edges.
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
    import base64
    import io

    import rasterio.warp
    from PIL import Image

    from svd_geo.methods.grid import north_up_transform

    grid = surface.grid
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
            surface.density_km2[::-1].astype(np.float32), warped, src_transform=north_up_transform(grid),
            src_crs=ANALYSIS_CRS, dst_transform=transform, dst_crs="EPSG:3857",
            resampling=rasterio.warp.Resampling.bilinear,
        )  # fmt: skip
    positive = surface.density_km2[surface.density_km2 > 0]
    breaks = readable_breaks(
        np.percentile(positive, DENSITY_PERCENTILES) if positive.size else np.zeros(len(DENSITY_PERCENTILES))
    )
    colours = PALETTE[1:]
    rgba = np.zeros((height, width, 4), dtype=np.uint8)
    level = np.searchsorted(breaks, warped, side="right") - 1
    for index, colour in enumerate(colours):
        rgba[level == index] = [*(int(colour[i : i + 2], 16) for i in (1, 3, 5)), 190]
    buffer = io.BytesIO()
    Image.fromarray(rgba, mode="RGBA").save(buffer, format="PNG", optimize=True)
    uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    from_mercator = transformer("EPSG:3857", DISPLAY_CRS)
    lon, lat = from_mercator.transform(
        [transform.c, transform.c + width * transform.a], [transform.f + height * transform.e, transform.f]
    )
    legend = [(colour, f"from {value:,.4g} per km²") for colour, value in zip(colours, breaks, strict=True)]
    return uri, [[lat[0], lon[0]], [lat[1], lon[1]]], legend
