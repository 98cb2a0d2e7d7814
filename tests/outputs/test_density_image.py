"""svd_geo.outputs.density_image."""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image


def test_density_overlay_sits_where_the_incidents_are(session_config):
    from pyproj import Transformer

    from svd_geo.methods.kde import compute_kde
    from svd_geo.outputs.density_image import density_image

    rng = np.random.default_rng(3)
    x, y = 453_700 + rng.normal(0, 40, 500), 360_900 + rng.normal(0, 40, 500)
    x, y = np.append(x, [446_000, 461_000]), np.append(y, [352_000, 367_000])  # stretch the grid
    uri, bounds, legend = density_image(compute_kde(x, y, bandwidth_m=200.0))
    image = np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))))
    rows, columns = np.nonzero(np.all(image[..., :3] == (189, 0, 38), axis=-1))  # the top class
    (south, west), (north, east) = bounds
    to_mercator = Transformer.from_crs(4326, 3857, always_xy=True)
    (left, right), (bottom, top) = to_mercator.transform([west, east], [south, north])
    mx = left + (columns.mean() + 0.5) / image.shape[1] * (right - left)
    my = top - (rows.mean() + 0.5) / image.shape[0] * (top - bottom)
    lon, lat = Transformer.from_crs(3857, 4326, always_xy=True).transform(mx, my)
    east_m, north_m = Transformer.from_crs(4326, 27700, always_xy=True).transform(lon, lat)
    pixel_m = (461_000 - 446_000 + 400) / image.shape[1]
    assert abs(east_m - 453_700) < 2 * pixel_m and abs(north_m - 360_900) < 2 * pixel_m
    assert [label.startswith("from ") for _, label in legend] == [True] * 5


def test_density_legend_breaks_are_round_numbers_that_still_rise():
    from svd_geo.outputs.density_image import readable_breaks

    assert readable_breaks(np.array([3.2, 98.0, 1773.0, 4200.0, 6100.0])).tolist() == [
        2,
        50,
        1000,
        2000,
        5000,
    ]
    # A break that would round onto the one below keeps its value: no class disappears.
    assert readable_breaks(np.array([0.0, 0.5, 0.52, 0.7])).tolist() == [0.0, 0.5, 0.52, 0.7]


def test_rate_overlay_greys_the_masked_cells_and_says_why():
    from svd_geo.analyses.rates import RateSurface
    from svd_geo.methods.kde import compute_kde
    from svd_geo.outputs.density_image import MASKED_COLOUR, rate_image

    rng = np.random.default_rng(5)
    x = np.r_[453_000 + rng.normal(0, 40, 300), 456_000 + rng.normal(0, 40, 300)]
    y = np.r_[360_900 + rng.normal(0, 40, 300), 360_900 + rng.normal(0, 40, 300)]
    surface = compute_kde(x, y, bandwidth_m=200.0)
    xs, _ = surface.grid.centres()
    east = np.broadcast_to(xs > 454_500, surface.density_km2.shape)  # the second cluster: no residents
    per_1k = np.where(east, np.nan, surface.density_km2 / 100.0)
    rates = RateSurface(surface, np.full_like(per_1k, 100.0), per_1k, 100, east & (surface.density_km2 > 0))
    uri, _, legend = rate_image(rates)
    image = np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))))
    grey = np.all(image[..., :3] == tuple(int(MASKED_COLOUR[i : i + 2], 16) for i in (1, 3, 5)), axis=-1)
    top = np.all(image[..., :3] == (189, 0, 38), axis=-1)
    assert grey.any() and top.any()
    # Grey lies to the east of the middle, the coloured classes to the west.
    assert np.nonzero(grey)[1].min() > image.shape[1] / 2 > np.nonzero(top)[1].max()
    assert legend[-1] == (MASKED_COLOUR, "masked: fewer than 100 residents within reach")
    assert all(label.endswith("per 1,000 residents") for _, label in legend[:-1])
