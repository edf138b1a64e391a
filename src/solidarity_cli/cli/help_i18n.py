"""``--help`` in the user's language.

typer builds the command line from the English docstrings and ``help=`` texts (listed in
the catalogs by ``cli.help_extract``); ``TranslatedGroup`` says them in the user's language
just before a command line runs, with the panel titles and notes typer itself adds.
"""

from __future__ import annotations

from typing import Any

from typer import rich_utils
from typer.core import TyperGroup

from solidarity_cli.cli.i18n import _
from solidarity_cli.words import N_

#: typer's own words in its help pages, by the name typer keeps them under.
_TYPER_WORDS = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ABORTED_TEXT": N_("Aborted."),
    "ERRORS_PANEL_TITLE": N_("Error"),
}
_HELP_OPTION = N_("Show this message and exit.")
#: The help of the options typer adds itself, listed for the catalogs.
_TYPER_OPTIONS = (
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)


def _say(text: str | None) -> str | None:
    return _(text) if text else text


def translate_help(command: Any) -> None:
    """Say ``command``'s help, its parameters' and its subcommands' in the user's language."""
    english = command.__dict__.setdefault("_english_help", (command.help, command.epilog))
    command.help, command.epilog = _say(english[0]), _say(english[1])
    if command.help and english[0] != command.help:
        # The list of commands shows the first paragraph: joined, as translations wrap anew.
        command.short_help = command.help.split("\n\n")[0].replace("\n", " ")
    else:
        command.short_help = None
    for param in command.params:
        if getattr(param, "help", None):
            original = param.__dict__.setdefault("_english_help", param.help)
            param.help = _say(original)
    if not command.__dict__.get("_help_option_translated"):
        ask = command.get_help_option

        def get_help_option(ctx: Any) -> Any:
            option = ask(ctx)
            if option is not None:
                option.help = _(_HELP_OPTION)
            return option

        setattr(command, "get_help_option", get_help_option)  # noqa: B010
        command.__dict__["_help_option_translated"] = True
    for sub in getattr(command, "commands", {}).values():
        translate_help(sub)


class TranslatedGroup(TyperGroup):
    """The ``solidarity`` group: its help, and every command's, in the user's language."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Translate the help texts, then run the command line."""
        for name, text in _TYPER_WORDS.items():
            setattr(rich_utils, name, _(text))
        translate_help(self)
        return super().main(*args, **kwargs)
