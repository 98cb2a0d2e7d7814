"""svd_geo.sources.harm: weights looked up by hand in the mirror's two tables."""

from __future__ import annotations

import pandas as pd
import pytest

from svd_geo.sources.harm import load_harm_table, normalise_offence_code


@pytest.mark.parametrize(
    ("code", "normal"),
    [("001/01", "1/1"), ("1/1", "1/1"), ("00101", "1/1"), ("056/1", "56/1"), (" 58a ", "58A"), ("4.10", "4.10"),
     ("092", "92"), ("", ""), (None, "")],
)  # fmt: skip
def test_offence_codes_are_written_one_way(code, normal):
    assert normalise_offence_code(code) == normal


@pytest.fixture(scope="module")
def css(session_config):
    return load_harm_table("css", session_config)


@pytest.fixture(scope="module")
def cchi(session_config):
    return load_harm_table("cchi", session_config)


def test_severity_score_by_code_as_the_ons_table_gives_it(css):
    # policeuk-ons-code-join.csv: "1, 4.1/2/10" (homicide) 7973.393423; 92E / 92/61 (possession of
    # cannabis) 1.770623478; 56A / 56/1 (arson endangering life) 826.1900614.
    weights = css.code_weights(pd.Series(["001/01", "4.2", "092/61", "92E", "56/1", "999/99", None]))
    assert weights.iloc[:5].tolist() == pytest.approx(
        [7973.393423, 7973.393423, 1.770623478, 1.770623478, 826.1900614]
    )
    assert weights.iloc[5:].isna().all()


def test_severity_score_by_police_uk_category_is_the_median_of_its_offences(css):
    # Robbery: 34A and 34B, both 799.6288702; shoplifting: 46 alone, 11.85553905.
    assert css.by_category["robbery"] == pytest.approx(799.6288702)
    assert css.by_category["shoplifting"] == pytest.approx(11.85553905)
    assert "anti-social behaviour" not in css.by_category


def test_harm_index_by_code_with_the_median_where_a_code_has_several_scores(cchi):
    # CCHI 2020 values sheet: 001/01 murder 5475; 092/61 possession of cannabis 2; 046/00 shoplifting 1;
    # 005/01 holds 1825 five times and 1460 twice: the median is 1825.
    weights = cchi.code_weights(pd.Series(["1/1", "092/61", "46/0", "005/01", "999/99"]))
    assert weights.iloc[:4].tolist() == [5475, 2, 1, 1825]
    assert pd.isna(weights.iloc[4])
    assert cchi.by_category["shoplifting"] == 1


def test_every_table_names_itself_its_edition_rule_and_citation(css, cchi):
    assert css.describe().startswith("ONS Crime Severity Score (weights as joined to police.uk categories")
    assert "median" in css.describe() and "Open Government Licence" in css.attribution
    assert "Sherman" in cchi.attribution and "2020" in cchi.describe()


def test_weapons_reach_a_harm_index_weight_through_their_ons_codes_as_home_office_classes(
    cchi, session_config
):
    import glob

    # The join gives possession of weapons no Home Office code; its ONS codes 81 and 90 are HO classes.
    sheet = pd.read_excel(
        glob.glob(f"{session_config.mirror_dir}/**/cchi2020dataxls.xlsx", recursive=True)[0],
        sheet_name="CCHI 2020 values sheet", dtype=str,
    )  # fmt: skip
    weapons = sheet[sheet["HOME_OFFICE_CLASSIFICATION"].fillna("").str.match(r"^0?(81|90)/")]
    assert len(weapons) > 10
    assert cchi.by_category["possession of weapons"] == pd.to_numeric(weapons["CCHI Score"]).median()
