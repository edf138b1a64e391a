"""Translations (gettext catalogs read with Babel) and locale-aware numbers, dates and money."""

from __future__ import annotations

import datetime as dt
import gettext
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from io import BytesIO

from babel.core import Locale as BabelLocale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_percent, parse_pattern

LANGUAGES = ("en", "pt", "fr", "es")
#: The Babel locale used for each language of the reports.
LOCALES = {"en": "en_GB", "pt": "pt_PT", "fr": "fr_FR", "es": "es_ES"}


def report_language(explicit: str | None, network_default: str | None) -> str:
    """The language a report is written in.

    ``--lang`` first, then ``SOLIDARITY_LANG``, then the network's ``default_language`` when
    reports are written in it, else English. The locale (``LANG``) is the reader's machine, not
    the network, so it does not choose the language of a published report.
    """
    for wanted in (explicit, os.environ.get("SOLIDARITY_LANG", ""), network_default):
        code = (wanted or "").split("-")[0].split("_")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog of ``language``, compiled in memory from the shipped .po file."""
    if language == "en":
        return gettext.NullTranslations()
    source = (
        resources.files("solidarity_cli") / "locales" / language / "LC_MESSAGES" / "messages.po"
    )
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@cache
def _separators(locale: str) -> tuple[str, str, str]:
    """The locale's group separator, decimal point and minus sign (Babel's, Latin digits)."""
    symbols = BabelLocale.parse(locale).number_symbols
    latin = symbols.get("latn", symbols)
    return latin["group"], latin["decimal"], latin["minusSign"]


def format_number(value: Decimal | float | int, decimals: int, locale: str) -> str:
    """``value`` as Babel writes it with the pattern ``#,##0.00`` (``decimals`` places).

    The same text (a test compares them), without Babel's per-call work: the value is read as
    Babel reads it (a float through its shortest text), rounded half to even, grouped by
    thousands, and the separators are the locale's.
    """
    group, point, minus = _separators(locale)
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    text = f"{abs(exact):,.{decimals}f}"
    if group != "," or point != ".":
        text = text.replace(",", "\0").replace(".", point).replace("\0", group)
    return minus + text if exact.is_signed() else text


@cache
def _medium_date(day: dt.date, locale: str) -> str:
    """Babel's medium date, once per day and locale: a site repeats the same days often."""
    return str(format_date(day, format="medium", locale=locale))


@lru_cache(maxsize=4096)
def _whole_percent(share: float, locale: str) -> str:
    """Babel's percent of ``share``, once per value: many communities share a coverage."""
    return str(format_percent(share, locale=locale))


@dataclass(frozen=True)
class Locale:
    """Formatting for one reader's language."""

    language: str

    @property
    def babel(self) -> str:
        """The Babel locale identifier."""
        return LOCALES[self.language]

    def gettext(self, message: str) -> str:
        """The translation of ``message``."""
        return translations(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The translation of a message that depends on a count."""
        return translations(self.language).ngettext(singular, plural, n)

    def number(self, value: Decimal | float | int, decimals: int = 0) -> str:
        """``1234567.5`` as the reader writes it."""
        return format_number(value, decimals, self.babel)

    def money(self, value: Decimal | float, currency: str) -> str:
        """An amount with its ISO code (Babel's escudo symbol is an invisible character)."""
        return f"{self.number(value, 2)}\u00a0{currency}"

    def percent(self, share: float, decimals: int = 0) -> str:
        """``0.5`` as ``50 %`` in the reader's way (with ``decimals`` after the point)."""
        if not decimals:
            return _whole_percent(share, self.babel)
        locale = BabelLocale.parse(self.babel)
        pattern = parse_pattern(locale.percent_formats[None].pattern)
        pattern.frac_prec = (decimals, decimals)
        return str(pattern.apply(share, locale))

    def date(self, day: dt.date | None) -> str:
        """A date in the reader's medium format."""
        return "" if day is None else _medium_date(day, self.babel)

    def text(self, texts: dict[str, str] | None) -> tuple[str, str]:
        """Multilingual text in the reader's language, else a fallback; and the language shown."""
        if not texts:
            return "", self.language
        for language in (self.language, "en", "pt"):
            if language in texts:
                return texts[language], language
        language = sorted(texts)[0]
        return texts[language], language
