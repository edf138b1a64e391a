"""The schemas' IATI mappings agree with the IATI code lists in ../shared/standards."""

from __future__ import annotations

import csv
from pathlib import Path

import pycountry
import pytest

from solidarity_cli import standards
from solidarity_cli.models.agreement import Measure, ResultType
from solidarity_cli.models.codes import ConditionType
from solidarity_cli.models.strategy import SectorVocabulary
from tests.conftest import PROJECT, SHARED

CODELISTS = SHARED / "standards" / "iati-codelists" / "en"


def _codelist(name: str) -> dict[str, str]:
    path = CODELISTS / f"{name}.csv"
    if not path.is_file():
        pytest.skip(f"IATI code lists are not at {CODELISTS}")
    with path.open(encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def test_condition_types() -> None:
    names = _codelist("ConditionType")
    assert {c.iati_code: c.value for c in ConditionType} == {
        code: name.lower() for code, name in names.items()
    }


def test_result_types() -> None:
    names = _codelist("ResultType")
    codes = {"output": "1", "outcome": "2", "impact": "3", "other": "9"}
    assert {codes[r.value]: r.value for r in ResultType} == {
        code: name.lower() for code, name in names.items()
    }


def test_indicator_measures_in_code_order() -> None:
    names = _codelist("IndicatorMeasure")
    assert [m.value for m in Measure] == [names[str(i)].lower() for i in range(1, 6)]


def test_sector_vocabularies() -> None:
    names = _codelist("SectorVocabulary")
    assert names[SectorVocabulary.DAC_5.iati_code].startswith(
        "OECD DAC CRS Purpose Codes (5 digit)"
    )
    assert names[SectorVocabulary.SDG_GOAL.iati_code] == "SDG Goal"
    assert names[SectorVocabulary.SDG_TARGET.iati_code] == "SDG Target"


def _shipped_dac_codes(root: Path) -> set[str]:
    from solidarity_cli.checking import check_repository

    dataset = check_repository(root).dataset
    codes = set()
    for strategy in dataset.strategies.values():
        for need in strategy.needs:
            codes |= {s.code for s in need.sectors if s.vocabulary is SectorVocabulary.DAC_5}
    for donor in dataset.donors.values():
        codes |= {
            s.code for s in donor.preferences.sectors if s.vocabulary is SectorVocabulary.DAC_5
        }
    return codes


def test_shipped_data_uses_real_dac_sector_codes() -> None:
    sectors = _codelist("Sector")
    used = _shipped_dac_codes(PROJECT)
    assert used, "the shipped data classifies its needs by sector"
    assert used <= set(sectors), sorted(used - set(sectors))


def test_iso_tables_are_pycountrys() -> None:
    """Read from pycountry's JSON files, the code sets are the ones its objects give."""
    languages = {lang.alpha_3 for lang in pycountry.languages}
    languages |= {lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")}
    assert standards.country_codes() == {c.alpha_2 for c in pycountry.countries}
    assert standards.subdivision_codes() == {s.code for s in pycountry.subdivisions}
    assert standards.currency_codes() == {c.alpha_3 for c in pycountry.currencies}
    assert standards.language_codes() == languages
    assert {"CV", "CV-PN", "CVE", "kea", "pt"} <= (
        standards.country_codes()
        | standards.subdivision_codes()
        | standards.currency_codes()
        | standards.language_codes()
    )
