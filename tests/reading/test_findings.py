"""pydantic errors become findings that say what is wrong and how to fix it."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from solidarity_cli.models import Community, Donor, Strategy
from solidarity_cli.reading import read_file
from solidarity_cli.reading.findings import fields_at, schema_diagnostics

COMMUNITY: dict[str, Any] = {
    "id": "cruzinha",
    "name": "Cruzinha",
    "kind": "village",
    "country": "CV",
    "subdivision": "CV-RG",
    "island": "Santo Antão",
    "association": {
        "name": "A",
        "legal_form": "associação",
        "governance": {"decision_body": "Assembleia Geral"},
    },
    "languages": ["pt", "kea"],
}


def _findings(model: Any, data: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return [
        (d.code, d.message, d.hint, "/".join(map(str, d.location.key_path)))
        for d in schema_diagnostics("x.yaml", model, data, info.value)
    ]


def test_valid_community_passes() -> None:
    assert Community.model_validate(COMMUNITY).languages == ["pt", "kea"]


def test_misspelt_key_is_one_finding_with_a_suggestion() -> None:
    data = dict(COMMUNITY)
    data["nmae"] = data.pop("name")
    assert _findings(Community, data) == [
        ("SC001", "unknown field 'nmae' in the top level", "did you mean 'name'?", "nmae")
    ]


def test_nested_unknown_key_lists_what_is_allowed() -> None:
    data = {**COMMUNITY, "association": {**COMMUNITY["association"], "xyz": 1}}
    [(code, message, hint, key)] = _findings(Community, data)
    assert (code, key) == ("SC001", "association/xyz")
    assert message == "unknown field 'xyz' in association"
    assert hint.startswith("allowed fields here: name, legal_form, founded")


def test_missing_nested_field() -> None:
    data = {**COMMUNITY, "association": {"name": "A", "legal_form": "x"}}
    assert _findings(Community, data) == [
        (
            "SC002",
            "required field 'governance' is missing in association",
            "add 'governance:' with a value under association",
            "association/governance",
        )
    ]


def test_country_code_checked_offline() -> None:
    [(code, message, _, key)] = _findings(Community, {**COMMUNITY, "country": "XX"})
    assert code == "SC003" and key == "country"
    assert "'XX' is not a known ISO 3166-1 country code" in message


def test_subdivision_must_be_in_country() -> None:
    [(_, message, _, _)] = _findings(Community, {**COMMUNITY, "subdivision": "BR-BA"})
    assert "subdivision BR-BA is not in country CV" in message


def test_island_required_in_cape_verde() -> None:
    data = {k: v for k, v in COMMUNITY.items() if k != "island"}
    [(_, message, _, _)] = _findings(Community, data)
    assert "must say which island" in message


def test_language_codes_include_kabuverdianu_and_reject_inventions() -> None:
    [(_, message, _, key)] = _findings(Community, {**COMMUNITY, "languages": ["pt", "xx"]})
    assert key == "languages/1"
    assert "'xx' is not an ISO 639 language code" in message


def test_text_given_as_number_says_to_quote_it() -> None:
    [(_, message, hint, _)] = _findings(Community, {**COMMUNITY, "name": 10})
    assert message == "name should be text but is a number"
    assert "quotes" in hint


def test_adopted_strategy_needs_its_adoption_record() -> None:
    data = {
        "id": "s",
        "title": {"pt": "Estratégia"},
        "period": {"start": "2025-01-01", "end": "2028-12-31"},
        "status": "adopted",
    }
    [(_, message, _, _)] = _findings(Strategy, data)
    assert "needs its adoption record" in message


def test_fields_at_walks_lists_and_optionals() -> None:
    assert "estimated_cost" in fields_at(Strategy, ("needs", 0))
    assert fields_at(Strategy, ("needs", 0, "estimated_cost")) == [
        "amount",
        "currency",
        "value_date",
    ]
    assert fields_at(Strategy, ("title",)) == []


def test_a_key_that_is_not_a_word_is_named_by_its_place_and_never_echoed() -> None:
    text = b"id: a\nname: b\n? [x, y]\n: 1\n~: 2\nday:\n  2025-01-01: 3\n"
    record, found = read_file("data/donors/a.yaml", text, Donor)
    assert record is None
    keys = [(d.line, d.column, d.message) for d in found if "plain words" in d.message]
    assert keys == [
        (3, 3, "a key in the top level is a list, but keys are plain words"),
        (5, 1, "a key in the top level is empty, but keys are plain words"),
    ]
    assert all("frozenset" not in d.message and "None" not in d.message for d in found)


def test_an_unknown_field_holding_a_mapping_is_in_its_parent() -> None:
    found = _findings(Community, {**COMMUNITY, "extra": {"a": 1}})
    assert found[0][:2] == ("SC001", "unknown field 'extra' in the top level")
    assert found[0][3] == "extra"
