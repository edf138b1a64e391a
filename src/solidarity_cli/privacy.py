"""Patterns of personal data (e-mail addresses, phone numbers, ID numbers) in public text.

The data-protection rules look for these in every text value. Walking every value of every
record is costly on a large network, so the loader asks ``may_hold_personal_data`` of each file
as it parses it (a cheap pass over its text values), and the rules then only walk the records of
the files it flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from solidarity_cli.diagnostics import KeyPath

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


def _phone_like(found: str) -> bool:
    """At least seven digits that are not an amount, a date or a span of years."""
    found = found.strip()
    return sum(c.isdigit() for c in found) >= 7 and not _NOT_A_PHONE.fullmatch(found)


def is_phone(text: str, match: re.Match[str]) -> bool:
    """A phone-like number that is not part of an ID number (those are DP003's)."""
    if not _phone_like(match.group()):
        return False
    return not any(m.start() <= match.start() < m.end() for m in NATIONAL_ID.finditer(text))


#: Seven digits with at most four other characters between each two. The gap is possessive
#: (``{0,4}+``): a digit can never be one of the gap's characters, so giving some back could
#: never help the next digit match, and the search is spared trying.
_SEVEN_DIGITS = re.compile(r"\d(?:\D{0,4}+\d){6}")


def text_may_be_personal(text: str) -> bool:
    """Whether one text value could hold an e-mail, phone or ID number (never a false no)."""
    if "@" in text and EMAIL.search(text) is not None:
        return True
    if _SEVEN_DIGITS.search(text) is None:
        return False
    if NATIONAL_ID.search(text) is not None:
        return True
    return any(_phone_like(m.group()) for m in PHONE.finditer(text))


_APART = "\x00" * 5
"""Joins text values so that no pattern can match across two of them: none matches NUL, and
``_SEVEN_DIGITS`` allows at most four non-digits between digits."""


def may_hold_personal_data(data: Any) -> bool:
    """Whether any text value of a parsed file could hold personal data (never a false no).

    Only text values are looked at: YAML numbers and dates are parsed as such and can never
    hold a phone number.
    """
    texts: list[str] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if type(node) is str:
            texts.append(node)
        elif type(node) is dict:
            stack.extend(node.values())
        elif type(node) is list:
            stack.extend(node)
    return texts_may_hold_personal_data(texts)


#: The same ids, references and links recur in many files: each is judged once per run.
#: Only short texts are kept, so that the cache stays small (at most a few megabytes).
_SHORT = 160
_short_may_be_personal = lru_cache(maxsize=1 << 14)(text_may_be_personal)


def _segment_may_be_personal(text: str) -> bool:
    if len(text) <= _SHORT:
        return _short_may_be_personal(text)
    return text_may_be_personal(text)


def texts_may_hold_personal_data(texts: list[str]) -> bool:
    """Whether any of ``texts`` could hold personal data (never a false no).

    The values are joined and searched once, which is several times faster than one search
    per value.
    """
    if not texts:
        return False
    joined = _APART.join(texts)
    if "@" in joined and EMAIL.search(joined) is not None:
        return True
    # Only the few values with seven digits close together need the finer patterns.
    start = 0
    while (found := _SEVEN_DIGITS.search(joined, start)) is not None:
        begin = joined.rfind(_APART, 0, found.start())
        begin = 0 if begin < 0 else begin + len(_APART)
        end = joined.find(_APART, found.end())
        end = len(joined) if end < 0 else end
        if _segment_may_be_personal(joined[begin:end]):
            return True
        start = end
    return False


def personal_data_codes(text: str) -> list[str]:
    """The data-protection codes whose pattern ``text`` matches: DP001 (e-mail), DP002
    (phone), DP003 (identity or tax number). The rules and ``withholding`` both ask this."""
    codes: list[str] = []
    if "@" in text and EMAIL.search(text):
        codes.append("DP001")
    digits = sum(c.isdigit() for c in text)
    if digits >= 7 and any(is_phone(text, m) for m in PHONE.finditer(text)):
        codes.append("DP002")
    if digits >= 6 and NATIONAL_ID.search(text):
        codes.append("DP003")
    return codes


def text_values(value: Any, key: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Every text value in a record, with its key path."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, BaseModel):
        held = value.__dict__  # a record read for a few fields holds only those
        for name in type(value).model_fields:
            if name in held:
                yield from text_values(held[name], (*key, name))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from text_values(v, (*key, k))
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from text_values(v, (*key, i))
