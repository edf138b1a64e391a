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


def _answer(kind: str, key: str, value: str, root: Path) -> str:
    question = next(q for q in questions(kind) if q.key == key)
    return question.accept(value, {}, open_repository(root))


@pytest.mark.parametrize(
    ("value", "amount"),
    [("1800", "1800"), ("1.800,00", "1800.00"), ("1 800,5", "1800.5"), ("1800 CVE", "1800")],
)
def test_an_amount_is_taken_as_people_write_it(minimal: Path, value: str, amount: str) -> None:
    assert _answer("need", "amount", value, minimal) == amount


@pytest.mark.parametrize("value", ["1.800", "inf", "nan", "-5", "mil"])
def test_an_amount_that_is_none_or_two_is_asked_again(minimal: Path, value: str) -> None:
    with pytest.raises(UsageError) as refused:
        _answer("need", "amount", value, minimal)
    assert "is not an amount" in str(refused.value.message)


@pytest.mark.parametrize(
    ("value", "day"),
    [("2025-04-01", "2025-04-01"), ("15/4/2025", "2025-04-15"), ("31/12/2028", "2028-12-31"),
     ("2028-31-12", "2028-12-31")],
)  # fmt: skip
def test_a_day_is_taken_as_people_write_it(minimal: Path, value: str, day: str) -> None:
    assert _answer("report", "start", value, minimal) == day


def test_a_day_that_could_be_two_is_asked_again(minimal: Path) -> None:
    with pytest.raises(UsageError) as refused:
        _answer("report", "start", "03/04/2025", minimal)
    assert "is not a date" in str(refused.value.message)
