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
