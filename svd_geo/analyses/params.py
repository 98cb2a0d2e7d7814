"""The one definition of each hotspot method: its parameters and their defaults.

Every page, the command line, coverage, evaluation and the briefing start from
:class:`HotspotParams`; nothing else holds a default.  Light on purpose (no
numpy or pandas): the command line reads the defaults for its help text before
it loads anything heavy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from svd_geo.base.errors import DataValidationError
from svd_geo.base.vocabulary import METHODS, THRESHOLD_PATTERN


@dataclass(frozen=True)
class HotspotParams:
    """Parameters of a hotspot run, and the one set of defaults of each method.

    Every page, the command line, coverage, evaluation and the briefing start from
    these defaults; the Hotspots page's choice becomes the dashboard session's
    definition.  Each method reads its own fields.

    Attributes
    ----------
    method : str
        ``kde``, ``dbscan``, ``hdbscan`` or ``gistar``.
    kernel, bandwidth_m, cell_size_m, threshold
        Kernel density: quartic radius or Gaussian sigma of 250 m (None: Scott's
        rule), the cell size (None: chosen from the bandwidth) and the hotspot
        threshold, the top 1% of non-zero cells.  250 m is street scale: Scott's
        rule on a town's clustered incidents gave 1.9 km, one blob per town.
    eps_m, min_samples
        DBSCAN neighbourhood radius (metres) and core size.
    min_cluster_size
        HDBSCAN smallest cluster.
    areas, area_code_field, neighbours, tolerance_m, permutations, seed
        Gi*: area unit (``ward``, ``lsoa``, ``hex:SIZE_M`` or a boundary file), the
        code field of a file, the neighbour rule, the contiguity tolerance, and the
        seeded permutation test.
    """

    method: str = "kde"
    kernel: str = "quartic"
    bandwidth_m: float | None = 250.0
    cell_size_m: float | None = None
    threshold: str = "p99"
    eps_m: float = 150.0
    min_samples: int = 20
    min_cluster_size: int = 20
    areas: str = "lsoa"
    area_code_field: str | None = None
    neighbours: str = "queen"
    tolerance_m: float = 5.0
    permutations: int = 999
    seed: int = 12345

    @property
    def uses_area_codes(self) -> bool:
        """Whether the run counts incidents by ward or LSOA code (only Gi* on those)."""
        return self.method == "gistar" and self.areas in ("ward", "lsoa")

    @property
    def reads_coordinates_only(self) -> bool:
        """Whether the run reads points only as coordinates (density and clustering; Gi* places them)."""
        return self.method in ("kde", "dbscan", "hdbscan")

    def describe(self) -> str:
        """Say in words which hotspot definition these parameters are, for every label and export.

        Returns
        -------
        str
            E.g. ``"kernel density: quartic, 250 m bandwidth, hotspots the top 1% of cells"``.
        """
        if self.method == "kde":
            bandwidth = (
                "Scott's rule bandwidth" if self.bandwidth_m is None else f"{self.bandwidth_m:g} m bandwidth"
            )
            return f"kernel density: {self.kernel}, {bandwidth}, hotspots {_threshold_words(self.threshold)}"
        if self.method == "dbscan":
            return f"DBSCAN: {self.eps_m:g} m radius, {self.min_samples} incidents per core point"
        if self.method == "hdbscan":
            return f"HDBSCAN: clusters of at least {self.min_cluster_size} incidents"
        return f"Gi*: {self.areas} areas, {self.neighbours} neighbours, {self.permutations} permutations"

    def to_spec(self) -> str:
        """Return the method and its own parameters as one line, e.g. ``kde;bandwidth_m=250;...``.

        The dashboard carries the session's definition in its URL as this text;
        :func:`params_from_spec` reads it back.

        Returns
        -------
        str
            ``METHOD;NAME=VALUE;...`` with the method's own parameters.
        """
        fields = asdict(self)
        chosen = [
            f"{name}={fields[name]}" for name in METHOD_PARAMETERS[self.method] if fields[name] is not None
        ]
        return ";".join([self.method, *chosen])


def _threshold_words(threshold: str) -> str:
    match = THRESHOLD_PATTERN.match(threshold.strip().lower())
    if match is None:
        return threshold
    if match["pct"] is not None:
        return f"the top {100 - float(match['pct']):g}% of cells"
    return f"{float(match['mult']):g}x the mean density"


def params_from_spec(spec: str) -> HotspotParams:
    """Read a definition written by :meth:`HotspotParams.to_spec`.

    Parameters
    ----------
    spec : str
        ``METHOD;NAME=VALUE;...`` with the method's own parameters (others are ignored).

    Returns
    -------
    HotspotParams
        The defaults with the named parameters replaced.

    Raises
    ------
    DataValidationError
        For an unknown method, or a value that is not of its parameter's type or not positive.
    """
    method, *pairs = spec.split(";")
    if method not in METHODS:
        msg = f"hotspot definition {spec!r}: unknown method {method!r}; choose one of {', '.join(METHODS)}."
        raise DataValidationError(msg)
    values: dict[str, Any] = {}
    for pair in pairs:
        name, _, text = pair.partition("=")
        if name not in METHOD_PARAMETERS[method]:
            continue
        kind = _FIELD_TYPES.get(name, str)
        try:
            value = kind(text)
        except ValueError as err:
            msg = f"hotspot definition {spec!r}: {name}={text!r} is not a {kind.__name__}."
            raise DataValidationError(msg) from err
        if isinstance(value, int | float) and not value > 0:
            msg = f"hotspot definition {spec!r}: {name} must be above 0."
            raise DataValidationError(msg)
        values[name] = value
    return HotspotParams(method=method, **values)


METHOD_PARAMETERS = {
    "kde": ("kernel", "bandwidth_m", "cell_size_m", "threshold"),
    "dbscan": ("eps_m", "min_samples"),
    "hdbscan": ("min_cluster_size",),
    "gistar": ("areas", "area_code_field", "neighbours", "tolerance_m", "permutations", "seed"),
}
_FIELD_TYPES: dict[str, type[float] | type[int]] = {
    "bandwidth_m": float, "cell_size_m": float, "eps_m": float, "tolerance_m": float,
    "min_samples": int, "min_cluster_size": int, "permutations": int, "seed": int,
}  # fmt: skip
