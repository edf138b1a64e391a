"""Offline ISO code tables (countries, subdivisions, languages, currencies) from pycountry.

The code sets are read straight from pycountry's JSON databases: building pycountry's objects
for 5,000 subdivisions and 8,000 languages costs several times more than the JSON itself, and
every ``check`` needs the sets.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pycountry


def _entries(database: Any) -> list[dict[str, str]]:
    """The raw entries of one of pycountry's databases (its JSON file)."""
    with open(database.filename, encoding="utf-8") as handle:  # noqa: PTH123
        entries: list[dict[str, str]] = json.load(handle)[database.root_key]
    return entries


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes."""
    return frozenset(c["alpha_2"] for c in _entries(pycountry.countries))


@cache
def subdivision_codes() -> frozenset[str]:
    """ISO 3166-2 codes such as ``CV-PN`` or ``BR-BA``."""
    return frozenset(s["code"] for s in _entries(pycountry.subdivisions))


@cache
def subdivision_name(code: str) -> str:
    """The ISO name of a subdivision, or the code itself."""
    sub = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    return str(sub.name) if sub is not None else code


@cache
def language_codes() -> frozenset[str]:
    """ISO 639-1 and ISO 639-3 codes (``pt``, ``por``, ``kea``)."""
    codes: set[str] = set()
    for lang in _entries(pycountry.languages):
        codes.add(lang["alpha_3"])
        alpha_2 = lang.get("alpha_2")
        if alpha_2:
            codes.add(alpha_2)
    return frozenset(codes)


@cache
def currency_codes() -> frozenset[str]:
    """ISO 4217 alphabetic codes."""
    return frozenset(c["alpha_3"] for c in _entries(pycountry.currencies))
