"""Offline ISO code tables (countries, subdivisions, languages, currencies) from pycountry."""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes."""
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def subdivision_codes() -> frozenset[str]:
    """ISO 3166-2 codes such as ``CV-PN`` or ``BR-BA``."""
    return frozenset(s.code for s in pycountry.subdivisions)


@cache
def subdivision_name(code: str) -> str:
    """The ISO name of a subdivision, or the code itself."""
    sub = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    return str(sub.name) if sub is not None else code


@cache
def language_codes() -> frozenset[str]:
    """ISO 639-1 and ISO 639-3 codes (``pt``, ``por``, ``kea``)."""
    codes: set[str] = set()
    for lang in pycountry.languages:
        codes.add(lang.alpha_3)
        alpha_2 = getattr(lang, "alpha_2", None)
        if alpha_2:
            codes.add(alpha_2)
    return frozenset(codes)


@cache
def currency_codes() -> frozenset[str]:
    """ISO 4217 alphabetic codes."""
    return frozenset(c.alpha_3 for c in pycountry.currencies)
