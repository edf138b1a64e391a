"""Patterns of personal data (e-mail addresses, phone numbers, ID numbers) in public text.

The data-protection rules look for these in every text value. Walking every value of every
record is costly on a large network, so the loader first asks ``may_hold_personal_data`` of each
file's raw text, and the rules then only walk the records of the files it flagged.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w/.-])(?:\+|00)?\d[\d ().-]{5,}\d(?![\w/-])")
#: Brazilian CPF, Cape Verdean NIF (9 digits) and BI/CNI numbers written as such.
NATIONAL_ID = re.compile(
    r"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b|\b(?:NIF|CPF|BI|CNI|RG)\s*(?:n\.?[ºo°]?\s*)?:?\s*[\d.\- ]{6,}",
    re.IGNORECASE,
)
_NOT_A_PHONE = re.compile(
    r"\d{1,3}(?:[ .,]\d{3})+(?:[.,]\d{2})?"  # an amount: 1 500 000 or 1.500.000,00
    r"|(?:19|20)\d{2}\s*[-/]\s*(?:19|20)\d{2}"  # a span of years: 2025-2028
    r"|\d{4}-\d{2}-\d{2}"  # a date
)
_YAML_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def is_phone(text: str, match: re.Match[str]) -> bool:
    """At least seven digits that are not an amount, a date, a span of years or an ID number."""
    found = match.group().strip()
    if sum(c.isdigit() for c in found) < 7 or _NOT_A_PHONE.fullmatch(found):
        return False
    return not any(m.start() <= match.start() < m.end() for m in NATIONAL_ID.finditer(text))


def _plain_number(text: str, match: re.Match[str]) -> bool:
    """A YAML number such as ``amount: 1500000``: read as a number, never as text."""
    if not _YAML_NUMBER.fullmatch(match.group()):
        return False
    before = text[max(0, match.start() - 2) : match.start()]
    after = text[match.end() : match.end() + 1]
    return (before.endswith((": ", "[", "{", ", ", "- ")) or before == ":") and after in (
        "",
        "\n",
        "\r",
        ",",
        "}",
        "]",
        " ",
    )


def may_hold_personal_data(text: str) -> bool:
    """Whether a file's text could hold an e-mail, phone or ID number (never a false no)."""
    if "@" in text and EMAIL.search(text):
        return True
    if NATIONAL_ID.search(text):
        return True
    return any(is_phone(text, m) and not _plain_number(text, m) for m in PHONE.finditer(text))
