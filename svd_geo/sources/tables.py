"""Registered tables of area statistics, and the licence and attribution texts of every registered file."""

from __future__ import annotations

import io
import re

import pandas as pd

from svd_geo.base.config import Config
from svd_geo.sources.registry import RegistryEntry, fetch_file, load_registry


def read_table_entry(entry: RegistryEntry, config: Config) -> pd.DataFrame:
    """Read a registered table (CSV, optionally gzipped) with every column as text.

    Byte-order marks are removed and thousands separators stay in the text;
    use :func:`svd_geo.base.coords.parse_numbers` on numeric columns.

    Parameters
    ----------
    entry : RegistryEntry
        A registered table.
    config : Config
        Where to find it.

    Returns
    -------
    pandas.DataFrame
        Its rows, every cell as text.
    """
    path = fetch_file(entry, config)
    raw = path.read_bytes()
    if path.suffix == ".gz":
        import gzip

        raw = gzip.decompress(raw)
    return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8-sig")


def licence_table(config: Config) -> pd.DataFrame:
    """Return the registry as a table: id, kind, level or topic, vintage, licence, attribution.

    Parameters
    ----------
    config : Config
        Where the registry is.

    Returns
    -------
    pandas.DataFrame
        One row per registered file.
    """
    rows = [
        {
            "id": e.id,
            "kind": e.kind,
            "level": e.level or e.topic,
            "vintage": e.vintage,
            "districts": ", ".join(e.districts).replace("*", "all of England"),
            "source": e.url or f"mirror: {e.mirror_path}",
            "sha256": e.sha256,
            "licence": e.licence,
            "attribution": e.attribution,
        }
        for e in load_registry(config).values()
    ]
    return pd.DataFrame(rows)


def attribution_text(config: Config) -> str:
    """Return the attribution every map shows: the registry's, once each, plus police.uk's.

    Parameters
    ----------
    config : Config
        Where the registry is.

    Returns
    -------
    str
        The attribution line.
    """
    sentences: dict[str, str] = {}
    for entry in load_registry(config).values():
        if entry.kind != "boundary":
            continue
        for sentence in re.split(r"(?<=\.)\s+", entry.attribution.strip()):
            # "... database right 2016." and "... database right." say the same once, without
            # the year, which then covers every vintage drawn.
            key = re.sub(r"\s*\b(19|20)\d\d\b", "", sentence).rstrip(". ")
            if key and (key not in sentences or not re.search(r"\b(19|20)\d\d\b", sentence)):
                sentences[key] = sentence if sentence.endswith(".") else sentence + "."
    police = (
        "police.uk data: Contains public sector information licensed under the Open Government Licence v3.0."
    )
    return " ".join([*sentences.values(), police])
