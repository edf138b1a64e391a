"""IATI 2.03 and 360Giving exports are valid against the official schemas and code lists."""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from lxml import etree

from solidarity_cli.exporting import ExportFormat, export
from solidarity_cli.models.agreement import (
    AgreementStatus,
    OrganisationRole,
    TransactionType,
)
from solidarity_cli.models.codes import ConditionType, DonorKind
from solidarity_cli.models.strategy import SectorVocabulary
from tests.conftest import SHARED
from tests.exporting.conftest import AS_OF

STANDARDS = SHARED / "standards"
CODELISTS = STANDARDS / "iati-codelists" / "en"
VOCABULARY = (
    Path(__file__).resolve().parents[2] / "src" / "solidarity_cli" / "exporting" / "iati_codes.json"
)
#: Which code list each coded attribute of the activities file draws from.
ATTRIBUTE_LISTS = {
    ("reporting-org", "type"): "OrganisationType",
    ("participating-org", "type"): "OrganisationType",
    ("participating-org", "role"): "OrganisationRole",
    ("description", "type"): "DescriptionType",
    ("activity-status", "code"): "ActivityStatus",
    ("activity-date", "type"): "ActivityDateType",
    ("recipient-country", "code"): "Country",
    ("location-reach", "code"): "GeographicLocationReach",
    ("administrative", "vocabulary"): "GeographicVocabulary",
    ("exactness", "code"): "GeographicExactness",
    ("location-class", "code"): "GeographicLocationClass",
    ("sector", "vocabulary"): "SectorVocabulary",
    ("budget", "type"): "BudgetType",
    ("budget", "status"): "BudgetStatus",
    ("value", "currency"): "Currency",
    ("transaction-type", "code"): "TransactionType",
    ("category", "code"): "DocumentCategory",
    ("language", "code"): "Language",
    ("condition", "type"): "ConditionType",
    ("result", "type"): "ResultType",
    ("indicator", "measure"): "IndicatorMeasure",
}
#: Lists whose codes the records carry themselves (checked against IATI's list only).
FROM_DATA = {"DocumentCategory", "Currency", "Country", "Language"}
SECTOR_LISTS = {"1": "Sector", "7": "UNSDG-Goals", "8": "UNSDG-Targets"}


#: The shared lists are IATI's version-1 lists (api/1). Version 2.01 renumbered three of them;
#: IATI's upgrade table gives each old code its 2.0x number. Codes 11-13 of TransactionType were
#: added in 2.02 and have no version-1 code.
RENUMBERED = {
    "TransactionType": {
        "IF": "1",
        "C": "2",
        "D": "3",
        "E": "4",
        "IR": "5",
        "LR": "6",
        "R": "7",
        "QP": "8",
        "QS": "9",
        "CG": "10",
    },
    "OrganisationRole": {"Funding": "1", "Accountable": "2", "Extending": "3", "Implementing": "4"},
    "ActivityDateType": {
        "start-planned": "1",
        "start-actual": "2",
        "end-planned": "3",
        "end-actual": "4",
    },
}
ADDED_IN_2_02 = {"TransactionType": {"11", "12", "13"}}
#: BudgetStatus (added in 2.03: 1 indicative, 2 committed) is an empty file in the shared copy.
ADDED_IN_2_03 = {"BudgetStatus": {"1", "2"}}


@cache
def official(name: str) -> frozenset[str]:
    """The 2.03 codes of one official IATI code list."""
    with (CODELISTS / f"{name}.csv").open(encoding="utf-8") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    if name in RENUMBERED:
        assert codes == set(RENUMBERED[name]), f"{name} is no longer the version-1 list"
        codes = set(RENUMBERED[name].values())
    if name in ADDED_IN_2_03:
        assert not codes, f"{name} now has codes: drop the exception"
    return frozenset(codes | ADDED_IN_2_02.get(name, set()) | ADDED_IN_2_03.get(name, set()))


@cache
def xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(STANDARDS / "iati-activities-schema-2.03.xsd")))


def vocabulary() -> dict[str, list[str]]:
    loaded: dict[str, list[str]] = json.loads(VOCABULARY.read_text(encoding="utf-8"))
    return loaded


def assert_valid_iati(data: bytes) -> etree._Element:
    doc = etree.fromstring(data)
    schema = xsd()
    if not schema.validate(doc):
        problems = [f"line {e.line}: {e.message}" for e in list(schema.error_log)[:10]]
        raise AssertionError("\n".join(problems))
    return doc


def assert_codes_official(doc: etree._Element) -> int:
    """Every coded attribute is in the package's vocabulary and IATI's own list."""
    ours = vocabulary()
    checked = 0
    for element in doc.iter():
        tag = str(element.tag)
        for (where, attribute), list_name in ATTRIBUTE_LISTS.items():
            if tag != where or attribute not in element.attrib:
                continue
            code = element.attrib[attribute]
            assert code in official(list_name), (tag, attribute, code)
            if list_name in ours and list_name not in FROM_DATA:
                assert code in ours[list_name], (list_name, code, "missing from iati_codes.json")
            checked += 1
        if tag == "sector":
            list_name = SECTOR_LISTS[element.attrib["vocabulary"]]
            assert element.attrib["code"] in official(list_name), element.attrib
    return checked


def test_package_vocabulary_is_in_the_official_lists() -> None:
    ours = vocabulary()
    assert ours, "iati_codes.json is empty"
    for list_name, codes in ours.items():
        assert set(codes) <= official(list_name), list_name
    assert {s.iati_activity_status for s in AgreementStatus} <= set(ours["ActivityStatus"])
    assert {r.iati_code for r in OrganisationRole} <= set(ours["OrganisationRole"])
    assert {t.iati_code for t in TransactionType} <= set(ours["TransactionType"])
    assert {c.iati_code for c in ConditionType} <= set(ours["ConditionType"])
    assert {k.iati_organisation_type for k in DonorKind} <= set(ours["OrganisationType"])
    assert {v.iati_code for v in SectorVocabulary} <= set(ours["SectorVocabulary"])


def test_shipped_data_is_valid_iati(shipped: Path) -> None:
    data = export(shipped, ExportFormat.IATI, AS_OF)["iati-activities.xml"]
    doc = assert_valid_iati(data)
    activities = doc.findall("iati-activity")
    assert len(activities) == len(list((shipped / "data" / "partnerships").iterdir()))
    assert assert_codes_official(doc) > 100
    # results with indicators, baselines, periods, targets and actuals, in several languages
    assert doc.find(".//result/indicator/baseline") is not None
    assert doc.find(".//result/indicator/period/actual") is not None
    assert doc.find(".//transaction/transaction-type[@code='3']") is not None
    assert doc.find(".//conditions[@attached='1']/condition") is not None
    assert doc.find(".//location/point/pos") is not None
    langs = {n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in doc.iter("narrative")}
    assert {"pt", "en"} <= langs


def test_generated_network_is_valid_iati(network: Path) -> None:
    data = export(network, ExportFormat.IATI, AS_OF)["iati-activities.xml"]
    doc = assert_valid_iati(data)
    assert len(doc.findall("iati-activity")) >= 2000
    assert assert_codes_official(doc) > 10_000


def _grant_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((STANDARDS / "360-giving-schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.mark.parametrize("which", ["shipped", "network"])
def test_360giving_is_valid(which: str, request: pytest.FixtureRequest) -> None:
    root: Path = request.getfixturevalue(which)
    grants = json.loads(export(root, ExportFormat.GIVING360, AS_OF)["360giving.json"])["grants"]
    assert grants
    validator = _grant_validator()
    problems = [f"{g['id']}: {e.message}" for g in grants for e in validator.iter_errors(g)]
    assert problems == []
    assert len({g["id"] for g in grants}) == len(grants)
    assert all(g["currency"] and g["amountAwarded"] >= 0 for g in grants)


def test_360giving_rejects_a_broken_grant() -> None:
    """The validator used above does catch a grant that breaks the schema."""
    validator = _grant_validator()
    broken = {"id": "x", "awardDate": "26/03/2001", "currency": "EURO"}
    assert len(list(validator.iter_errors(broken))) >= 2
