"""The command line's own messages in the user's language (en, pt, fr, es).

The language comes from ``SOLIDARITY_LANG``, else from the usual locale variables
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``pt_CV.UTF-8`` gives Portuguese), else English.
Numbers are written the user's way too. Findings keep the words of the rule that made them.
"""

from __future__ import annotations

import os
from decimal import Decimal
from functools import cache

from solidarity_cli.reporting.i18n import LANGUAGES, Locale, translations


def cli_language() -> str:
    """The language of the command line's messages."""
    for variable in ("SOLIDARITY_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        code = value.split(".")[0].split("_")[0].split("-")[0].lower()
        if code in LANGUAGES:
            return code
        if value and variable != "SOLIDARITY_LANG":
            break
    return "en"


def _(message: str) -> str:
    """``message`` in the user's language."""
    return translations(cli_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """A message that depends on a count, in the user's language."""
    return translations(cli_language()).ngettext(singular, plural, n)


@cache
def _locale(language: str) -> Locale:
    return Locale(language)


def number(value: Decimal | float | int, decimals: int = 0) -> str:
    """A number as the user writes it (``12,329`` in English, ``12 329`` in French)."""
    return _locale(cli_language()).number(value, decimals)


def percent(share: float, decimals: int = 2) -> str:
    """A share as a percentage, the user's way."""
    return _locale(cli_language()).percent(share, decimals)


def text(texts: dict[str, str] | None) -> str:
    """Multilingual text from the data in the user's language, else English, Portuguese, any."""
    return _locale(cli_language()).text(texts)[0]


def days(n: Decimal | int) -> str:
    """``1 day``, ``12 days``, the user's way."""
    return ngettext("{n} day", "{n} days", int(n)).format(n=number(n))


def record_count(kind: str, n: int) -> str:
    """``3 communities``, for the plural names ``Dataset.counts`` uses."""
    forms = {
        "vocabularies": ngettext("{n} vocabulary", "{n} vocabularies", n),
        "platforms": ngettext("{n} platform", "{n} platforms", n),
        "communities": ngettext("{n} community", "{n} communities", n),
        "strategies": ngettext("{n} strategy", "{n} strategies", n),
        "needs": ngettext("{n} need", "{n} needs", n),
        "donors": ngettext("{n} donor", "{n} donors", n),
        "agreements": ngettext("{n} agreement", "{n} agreements", n),
        "reports": ngettext("{n} report", "{n} reports", n),
        "rules": ngettext("{n} network rule", "{n} network rules", n),
    }
    return forms.get(kind, f"{{n}} {kind}").format(n=number(n))


def status(word: str) -> str:
    """A solver's status in the user's language."""
    words = {"optimal": _("optimal"), "heuristic": _("heuristic"), "feasible": _("feasible")}
    return words.get(word, word)
