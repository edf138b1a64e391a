"""The cheap personal-data filter the loader runs on every file never says no wrongly."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from solidarity_cli.diagnostics import Diagnostic, Location, Severity, screened
from solidarity_cli.privacy import _SEVEN_DIGITS, may_hold_personal_data, text_may_be_personal
from solidarity_cli.words import M_, Words

PIECES = st.sampled_from(
    [
        "ana@example.cv",
        "a@b.cv",
        "+238 991 23 45",
        "00238 2612345",
        "NIF: 123456789",
        "CPF 123.456.789-09",
        "1 500 000",
        "2025-2028",
        "2026-11-01",
        "https://example.org/atas/vila-1234567",
        "Associação de Ribeira",
        "tel",
        "@",
        "-",
        " ",
        "7",
    ]
)
TEXT = st.lists(PIECES, max_size=4).map("".join)
RECORD = st.recursive(
    TEXT | st.integers() | st.none(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4)
    ),
    max_leaves=12,
)


def _texts(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [t for value in data.values() for t in _texts(value)]
    if isinstance(data, list):
        return [t for value in data for t in _texts(value)]
    return []


@settings(max_examples=400, deadline=None)
@given(RECORD)
def test_a_record_with_one_personal_value_is_always_flagged(data: object) -> None:
    if any(text_may_be_personal(text) for text in _texts(data)):
        assert may_hold_personal_data(data)


def test_values_are_not_read_across_each_other() -> None:
    # Digits split over two values are not a phone number.
    assert not may_hold_personal_data({"a": "call 991", "b": "2345 later"})
    assert not may_hold_personal_data(["NIF:", "12 items"])
    assert not may_hold_personal_data({"amount": 1500000, "when": "2025-2028"})


def test_short_values_are_looked_at() -> None:
    assert may_hold_personal_data({"contact": "a@b.cv"})
    assert may_hold_personal_data({"notes": ["ok", {"phone": "+238 991 23 45"}]})


def test_a_finding_quoting_personal_data_is_screened_in_its_own_words() -> None:
    inner = M_("no rule is called '{name}'", name="ana@example.cv")
    diag = Diagnostic(
        code="CF002",
        severity=Severity.ERROR,
        message=M_("option of rule {code}: {message}", code="ND001", message=inner),
        location=Location("solidarity.yaml", 3, 5, ("rules", "options", "+238 991 23 45")),
        hint=M_("write to {who}", who="CPF 123.456.789-09"),
    )
    shown = screened(diag)
    assert shown.message == "option of rule ND001: no rule is called '[withheld: personal data]'"
    assert shown.hint == "write to [withheld: personal data]"
    assert shown.location.key_path == ("rules", "options", "[withheld: personal data]")
    assert (shown.path, shown.line, shown.column) == ("solidarity.yaml", 3, 5)
    # still in words a catalog can translate: the template and the mark are kept
    assert isinstance(shown.message, Words) and shown.message.template == diag.message.template
    mark = shown.message.values["message"].values["name"]
    assert isinstance(mark, Words) and mark.template == "[withheld: personal data]"
    clean = Diagnostic("SC001", Severity.ERROR, "unknown field 'nmae'", Location("a.yaml", 1, 1))
    assert screened(clean) is clean


def test_plain_text_keeps_what_is_not_personal() -> None:
    diag = Diagnostic(
        "X001", Severity.ERROR, "mail ana@example.cv or call +238 991 23 45 today", Location("a")
    )
    assert screened(diag).message == (
        "mail [withheld: personal data] or call [withheld: personal data] today"
    )


#: The seven-digit test as first written, with a gap that may give characters back.
_SEVEN_BACKTRACKING = re.compile(r"\d(?:\D{0,4}\d){6}")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789 -./()+a\x00\u0663", max_size=40))
def test_the_seven_digit_test_finds_what_the_backtracking_one_finds(text: str) -> None:
    found = _SEVEN_DIGITS.search(text)
    expected = _SEVEN_BACKTRACKING.search(text)
    assert (found and found.span()) == (expected and expected.span())
