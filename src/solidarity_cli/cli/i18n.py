"""The command line's own messages in the user's language (en, pt, fr, es).

The language comes from ``SOLIDARITY_LANG``, else from the usual locale variables
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``pt_CV.UTF-8`` gives Portuguese), else English.
Findings keep the words of the rule that made them.
"""

from __future__ import annotations

import os

from solidarity_cli.reporting.i18n import LANGUAGES, translations


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
