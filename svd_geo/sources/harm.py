"""The two published harm tables: ONS Crime Severity Score and Cambridge Crime Harm Index 2020.

Both are fetched by URL and sha256 through the registry (``harm-css-ons``,
``harm-cchi-2020``); the Cambridge table is downloaded for the user, cited and never
bundled.  Each gives a weight per offence; a record is weighted:

1. by its Home Office offence code, where the partner's file carries one.  A code
   with several scores (11 in the Cambridge table, e.g. 005/01) takes their
   median: the record does not say which of the offences it was;
2. otherwise by its police.uk category: the median weight of the category's
   offences.  A category's offences span orders of magnitude (violence holds
   homicide at 7,973 and common assault at 7.1 in the severity score); a median is
   its typical offence, where a mean would be set by its rarest, gravest one, and
   national offence counts to weight a mean are not published with the tables;
3. otherwise not at all: it counts 1, and the caller reports how many did.

Neither table names police.uk categories itself: the severity score's join to them
(by Dan Birks and Andrew P Smith) gives each offence its category, and the
Cambridge scores reach a category through the Home Office codes of that join.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from svd_geo.base.coords import parse_numbers
from svd_geo.base.texts import per_distinct

if TYPE_CHECKING:
    from svd_geo.base.config import Config
    from svd_geo.sources.registry import RegistryEntry

HARM_TABLES = {"css": "harm-css-ons", "cchi": "harm-cchi-2020"}
"""The registered harm tables by the name ``--harm`` takes."""
CCHI_SHEET = "CCHI 2020 values sheet"
CATEGORY_RULE = (
    "by Home Office offence code where the record has one (a code with several scores takes their median), "
    "otherwise by police.uk category (the median weight of its offences), otherwise 1"
)
"""How a record gets its weight from a published table, in words for every output."""

_SERIAL = re.compile(r"^\d{5}$")  # a code a spreadsheet turned into a date serial (43831 for 1/1)


@dataclass(frozen=True)
class HarmTable:
    """Weights of one harm table, by offence code and by police.uk category.

    Attributes
    ----------
    key : str
        ``css`` or ``cchi``.
    name, edition : str
        The table, and which edition of it.
    by_code : pandas.Series
        Weight by normalised Home Office code (:func:`normalise_offence_code`) and,
        for the severity score, by ONS offence code.
    by_category : pandas.Series
        Weight by police.uk category, lower case.
    attribution : str
        What the table's licence asks to be shown, and its citation.
    """

    key: str
    name: str
    edition: str
    by_code: pd.Series
    by_category: pd.Series
    attribution: str

    def code_weights(self, codes: pd.Series) -> pd.Series:
        """Look codes up: the code itself, else its class alone ("58/1" falls back to "58").

        Parameters
        ----------
        codes : pandas.Series
            Offence codes as the records hold them (any spelling).

        Returns
        -------
        pandas.Series
            Weight per record, NaN where the table has none.
        """
        return per_distinct(codes, self._weights_of_codes)

    def _weights_of_codes(self, codes: pd.Series) -> pd.Series:
        keys = codes.fillna("").map(normalise_offence_code)
        found = keys.map(self.by_code)
        return found.fillna(keys.str.split("/").str[0].map(self.by_code)).astype(float)

    def describe(self) -> str:
        """Say the table, its edition and the rule, for captions and sidecars.

        Returns
        -------
        str
            E.g. "ONS Crime Severity Score (2020 weights ...): by Home Office offence code ...".
        """
        return f"{self.name} ({self.edition}): {CATEGORY_RULE}"


def normalise_offence_code(code: object) -> str:
    """Write a Home Office offence code one way: class and subclass without leading zeros.

    "001/01", "1/1" and "00101" are all "1/1"; "056/1" is "56/1"; ONS codes such as
    "58A" or "4.1" are upper-cased and kept.

    Parameters
    ----------
    code : object
        A code as a file holds it.

    Returns
    -------
    str
        The code, "" for a blank one.
    """
    text = "" if code is None or code is pd.NA or (isinstance(code, float) and code != code) else str(code)
    text = text.strip().upper()
    if re.fullmatch(r"\d{5}", text):
        text = f"{text[:3]}/{text[3:]}"
    parts = text.split("/")
    if len(parts) == 2 and all(re.fullmatch(r"\d+[A-Z]?", p) for p in parts):
        return "/".join(p.lstrip("0") or "0" for p in parts)
    return text.lstrip("0") if re.fullmatch(r"\d+", text) else text


def _ons_codes(code: str) -> list[str]:
    """Split a cell of ONS codes: "1, 4.1/2/10" holds 1, 4.1, 4.2 and 4.10."""
    found: list[str] = []
    for part in (p.strip() for p in code.split(",")):
        head, *tails = part.split("/")
        found.append(normalise_offence_code(head))
        stem = head.rsplit(".", 1)[0] if "." in head else None
        found += [f"{stem}.{tail}" for tail in tails if stem]
    return [c for c in found if c]


def _median_by(keys: pd.Series, weights: pd.Series) -> pd.Series:
    frame = pd.DataFrame({"key": keys.to_numpy(), "weight": weights.to_numpy()})
    frame = frame[(frame["key"] != "") & frame["weight"].notna()]
    return frame.groupby("key")["weight"].median()


def _css_table(join: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    weights = parse_numbers(join["ONS_SEVERITY_weight"])
    ons = join["ONS_SEVERITY_code"].map(_ons_codes)
    ons_rows = pd.DataFrame({"key": ons, "weight": weights}).explode("key").fillna({"key": ""})
    ho = _join_ho_codes(join)
    by_code = pd.concat([_median_by(ho, weights), _median_by(ons_rows["key"], ons_rows["weight"])])
    offences = pd.DataFrame(
        {"code": join["ONS_SEVERITY_code"], "category": _categories(join), "weight": weights}
    )
    by_category = offences.drop_duplicates("code").groupby("category")["weight"].median()
    return by_code[~by_code.index.duplicated()], by_category


def _join_ho_codes(join: pd.DataFrame) -> pd.Series:
    """Return the join's Home Office codes, normalised; "" where blank or turned into a date serial."""
    return join["POLICE_UK_CAT_MAP_code"].map(
        lambda c: "" if _SERIAL.match(str(c)) else normalise_offence_code(c)
    )


def _categories(join: pd.DataFrame) -> pd.Series:
    return join["POLICE_UK_CAT_MAP_category"].str.strip().str.lower()


def _cchi_table(sheet: pd.DataFrame, join: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    codes = sheet["HOME_OFFICE_CLASSIFICATION"].map(normalise_offence_code)
    by_code = _median_by(codes, parse_numbers(sheet["CCHI Score"]))
    ho = _join_ho_codes(join)
    # Where the join gives no Home Office code (possession of weapons) its ONS code is the HO class (81, 90).
    ons = join["ONS_SEVERITY_code"].map(normalise_offence_code)
    pairs = pd.DataFrame({"code": ho.where(ho != "", ons), "category": _categories(join)})
    pairs = pairs[pairs["code"] != ""].drop_duplicates()
    # A join code of a class alone ("58") stands for every subclass of it.
    classes = by_code.index.str.split("/").str[0]
    rows = []
    for code, category in pairs.itertuples(index=False):
        scores = by_code[code] if code in by_code.index else by_code[classes == code]
        rows += [(category, float(score)) for score in pd.Series(scores).to_numpy()]
    by_category = pd.DataFrame(rows, columns=["category", "weight"]).groupby("category")["weight"].median()
    return by_code, by_category


def _cchi_sheet(entry: RegistryEntry, config: Config) -> pd.DataFrame:
    """Return the Cambridge sheet's codes and scores, parsed from the workbook once per checksum.

    Parsing the 112-column workbook costs each analysis 0.3 s; the two columns used
    are kept beside the cached download (git-ignored, like it; never bundled).
    """
    from svd_geo.sources.registry import fetch_file

    columns = ["HOME_OFFICE_CLASSIFICATION", "CCHI Score"]
    kept = config.cache_dir / f"{entry.id}-{entry.sha256[:16]}-scores.csv"
    if kept.is_file():
        return pd.read_csv(kept, dtype=str, keep_default_na=False)
    sheet = pd.read_excel(fetch_file(entry, config), sheet_name=CCHI_SHEET, dtype=str)[columns]
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_suffix(".partial")
        sheet.to_csv(partial, index=False)
        partial.replace(kept)
    except OSError:  # a read-only cache: parse the workbook every time
        pass
    return sheet.fillna("")


@lru_cache(maxsize=4)
def load_harm_table(key: str, config: Config) -> HarmTable:
    """Read a registered harm table (fetched by URL and sha256, or from the mirror).

    Parameters
    ----------
    key : {"css", "cchi"}
        Which table.
    config : Config
        Where the registry, cache and mirror are.

    Returns
    -------
    HarmTable
        Its weights by code and by police.uk category.
    """
    from svd_geo.sources.registry import load_registry
    from svd_geo.sources.tables import read_table_entry

    registry = load_registry(config)
    join = read_table_entry(registry[HARM_TABLES["css"]], config)
    if key == "css":
        entry = registry[HARM_TABLES["css"]]
        by_code, by_category = _css_table(join)
        name, edition = (
            "ONS Crime Severity Score",
            "weights as joined to police.uk categories by Birks and Smith",
        )
    else:
        entry = registry[HARM_TABLES["cchi"]]
        sheet = _cchi_sheet(entry, config)
        by_code, by_category = _cchi_table(sheet, join)
        name, edition = (
            "Cambridge Crime Harm Index",
            "2020, days of custody, sentencing guidelines of 6 October 2020",
        )
    attribution = entry.attribution + (f"; {entry.citation}" if entry.citation else "")
    return HarmTable(key, name, edition, by_code, by_category, attribution)
