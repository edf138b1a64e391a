"""What ``new`` accepts for a place: ISO codes, or the names a volunteer knows."""

from __future__ import annotations

from pathlib import Path

import pytest

from solidarity_cli.errors import UsageError
from solidarity_cli.scaffolding.questions import questions
from solidarity_cli.scaffolding.repository import open_repository


def _check(key: str, value: str, answers: dict[str, str], root: Path) -> str:
    question = next(q for q in questions("community") if q.key == key)
    return question.accept(value, answers, open_repository(root))


@pytest.mark.parametrize(
    ("value", "code"),
    [("CV", "CV"), ("cv", "CV"), ("Cabo Verde", "CV"), ("Brazil", "BR"), ("portugal", "PT")],
)
def test_a_country_by_code_or_name(minimal: Path, value: str, code: str) -> None:
    assert _check("country", value, {}, minimal) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [("CV-RB", "CV-RB"), ("cv-rb", "CV-RB"), ("Ribeira Brava", "CV-RB"),
     ("sao   vicente", "CV-SV"), ("São Lourenço dos Órgãos", "CV-SO")],
)  # fmt: skip
def test_a_place_by_code_or_name(minimal: Path, value: str, code: str) -> None:
    assert _check("subdivision", value, {"country": "CV"}, minimal) == code


def test_an_unknown_place_is_answered_with_the_countrys_list(minimal: Path) -> None:
    with pytest.raises(UsageError) as refused:
        _check("subdivision", "São Nicolau", {"country": "CV"}, minimal)
    assert str(refused.value.message) == "'São Nicolau' is not a known code or place of CV"
    hint = str(refused.value.hint or "")
    assert "CV-RB Ribeira Brava" in hint and "CV-TS Tarrafal de São Nicolau" in hint


def test_a_place_of_another_country_is_refused(minimal: Path) -> None:
    with pytest.raises(UsageError) as refused:
        _check("subdivision", "BR-BA", {"country": "CV"}, minimal)
    assert "BR-BA is not in country CV" in str(refused.value.message)


def test_an_unknown_country_says_how_to_write_one(minimal: Path) -> None:
    with pytest.raises(UsageError) as refused:
        _check("country", "Atlantis", {}, minimal)
    assert "is not a known country code or name" in str(refused.value.message)
