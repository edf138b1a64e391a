"""``--help`` in the user's language.

typer builds the command line from the English docstrings and ``help=`` texts (listed in
the catalogs by ``cli.help_extract``); ``TranslatedGroup`` says them in the user's language
just before a command line runs, with the panel titles and notes typer itself adds.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import re
import shutil
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

from typer._click.formatting import HelpFormatter
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
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
    "DEPRECATED_STRING": N_("(deprecated) "),
    "ENVVAR_STRING": N_("[env var: {}]"),
}
_USAGE = N_("Usage:")
#: typer's common usage errors as it writes them, and the same in our words (``{message}``
#: and ``{reason}`` are said again in turn; names, values and options stay as written).
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), words)
    for pattern, words in (
        (
            r"(?P<message>.+) \(Possible options: (?P<names>.+)\)",
            N_("{message} (Possible options: {names})"),
        ),
        (r"(?P<message>.+)\. Did you mean (?P<names>.+)\?", N_("{message}. Did you mean {names}?")),
        (r"No such option: (?P<name>.+)", N_("No such option: {name}")),
        (r"No such command (?P<name>.+)\.", N_("No such command {name}.")),
        (r"Missing argument (?P<name>.+)\.", N_("Missing argument {name}.")),
        (r"Missing option (?P<name>.+)\.", N_("Missing option {name}.")),
        (r"Missing parameter: (?P<name>.+)", N_("Missing parameter: {name}")),
        (
            r"Got unexpected extra arguments? \((?P<extra>.*)\)",
            N_("Got unexpected extra arguments ({extra})"),
        ),
        (r"Option (?P<name>.+) requires an argument\.", N_("Option {name} requires an argument.")),
        (
            r"Option (?P<name>.+) requires (?P<n>\d+) arguments\.",
            N_("Option {name} requires {n} arguments."),
        ),
        (
            r"Option (?P<name>.+) does not take a value\.",
            N_("Option {name} does not take a value."),
        ),
        (
            r"Invalid value for (?P<name>.+?): (?P<reason>.+)",
            N_("Invalid value for {name}: {reason}"),
        ),
        (r"Invalid value: (?P<reason>.+)", N_("Invalid value: {reason}")),
        (
            r"(?P<value>.+) does not match the formats? '%Y-%m-%d'\.",
            N_("{value} is not a day of the calendar written as YYYY-MM-DD, e.g. 2026-03-31."),
        ),
        (r"(?P<value>.+) is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
        (
            r"Value (?P<value>.+) is not a valid (?P<kind>\w+)\.",
            N_("Value {value} is not a valid {kind}."),
        ),
    )
)
_HELP_OPTION = N_("Show this message and exit.")
#: The help of the options typer adds itself, listed for the catalogs.
_TYPER_OPTIONS = (
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)


def _say(text: str | None) -> str | None:
    return _(text) if text else text


#: typer's names for what an option takes, as a person would say them.
_TYPE_WORDS = {
    "<str>": N_("TEXT"),
    "<list[str]>": N_("TEXT"),
    "<dir>": N_("FOLDER"),
    "<path>": N_("PATH"),
    "<list[Path]>": N_("PATH"),
    "<%Y-%m-%d>": N_("YYYY-MM-DD"),
    "<int>": N_("NUMBER"),
}


def _plain_type(shown: str | None) -> str | None:
    """``<str>`` as TEXT, ``<dir>`` as FOLDER (in the user's language); choices as they are."""
    if shown is None:
        return None
    words = _TYPE_WORDS.get(shown)
    if words is not None:
        return _(words)
    if shown.startswith("<list[") and shown.endswith("]>"):
        return f"<{shown[6:-2]}>"  # a choice that may be repeated: the help says so
    return shown


#: A word of a command line: a quoted text is one word, even with spaces inside.
_WORD = re.compile(r"""(?:"[^"]*"|'[^']*'|\S)+""")
#: An example in a command's help: an indented line that runs ``solidarity``.
_EXAMPLE = re.compile(r"^( +)(solidarity\b.*)$", re.MULTILINE)


def help_width() -> int:
    """The width help is printed at: ``TERMINAL_WIDTH`` or ``COLUMNS``, else the terminal's."""
    explicit = os.environ.get("TERMINAL_WIDTH", "")
    if explicit.isdigit() and int(explicit) > 0:
        return int(explicit)
    return shutil.get_terminal_size((80, 24)).columns


#: Rich markup that prints nothing: typer dedents the help by its least indented line (after
#: the first), so each example line starts with this to keep its indentation.
_KEEP_INDENT = "[bold][/bold]"


def fit_examples(text: str, width: int) -> str:
    """Break each example command too long for ``width`` with ``\\`` between its words.

    The terminal would otherwise wrap it inside the help's margins, and a line copied from
    there runs as two commands. Quoted texts are never split; one margin column each side.
    Every example keeps its indentation, whichever line typer's dedent would go by.
    """

    def fit(found: re.Match[str]) -> str:
        indent, command = found.group(1), found.group(2)
        room = width - 2 - len(indent)
        lines: list[str] = []
        line = ""
        for word in _WORD.findall(command):
            candidate = f"{line} {word}" if line else word
            if line and len(candidate) + 2 > room:
                lines.append(line + " \\")
                line = "  " + word
            else:
                line = candidate
        lines.append(line)
        return "\n".join(_KEEP_INDENT + indent + part for part in lines)

    return _EXAMPLE.sub(fit, text)


def translate_help(command: Any) -> None:
    """Say ``command``'s help, its parameters' and its subcommands' in the user's language."""
    english = command.__dict__.setdefault("_english_help", (command.help, command.epilog))
    command.help, command.epilog = _say(english[0]), _say(english[1])
    # The list of commands shows the first paragraph, joined: the terminal wraps it anew.
    command.short_help = " ".join(command.help.split("\n\n")[0].split()) if command.help else None
    if not command.__dict__.get("_usage_translated"):  # "Usage:" in the user's language
        context = command.context_class
        command.context_class = type(context.__name__, (context,), {"formatter_class": _Formatter})
        command.__dict__["_usage_translated"] = True
    for param in command.params:
        if getattr(param, "is_flag", False):
            param.metavar = ""  # a switch takes no value: no "<bool>" beside it
        elif not param.__dict__.get("_plain_type"):
            param.__dict__["_plain_type"] = True
            shown = param.display_type_rich
            param.display_type_rich = lambda ctx, shown=shown: _plain_type(shown(ctx))
        if getattr(param, "help", None):
            original = param.__dict__.setdefault("_english_help", param.help)
            param.help = _say(original)
    if not command.__dict__.get("_help_option_translated"):
        ask = command.get_help_option

        def get_help_option(ctx: Any) -> Any:
            option = ask(ctx)
            if option is not None:
                option.help = _(_HELP_OPTION)
                option.metavar = ""
            return option

        setattr(command, "get_help_option", get_help_option)  # noqa: B010
        command.__dict__["_help_option_translated"] = True
    for sub in getattr(command, "commands", {}).values():
        translate_help(sub)


def say_error(message: str) -> str:
    """One of typer's usage errors in the user's language (as written when not one of them)."""
    message = message.removeprefix("Value error, ")  # how typer passes on a refused value
    for pattern, words in _ERRORS:
        found = pattern.fullmatch(message)
        if found is not None:
            values = found.groupdict()
            for part in ("message", "reason"):
                if part in values:
                    values[part] = say_error(values[part])
            return _(words).format(**values)
    return message


class _Formatter(HelpFormatter):
    """typer's help formatter, with "Usage:" in the user's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """The usage line, its prefix translated."""
        super().write_usage(prog, args, f"{_(_USAGE)} " if prefix is None else prefix)


def _translated_errors(show: Callable[[Any], None]) -> Callable[[Any], None]:
    """typer's error printer, saying the error in the user's language first."""

    def show_translated(error: Any) -> None:
        english = error.format_message()
        error.format_message = lambda: say_error(english)
        show(error)

    show_translated.__dict__["_translates"] = True
    return show_translated


def _fitting_examples(show: Callable[..., None]) -> Callable[..., None]:
    """typer's help printer, fitting the examples to the terminal first (``fit_examples``):
    done when help is printed, not on every command line."""

    def show_fitted(*, obj: Any, **rest: Any) -> None:
        if obj.help:
            obj.help = fit_examples(obj.help, help_width())  # a fitted help fits again as is
        show(obj=obj, **rest)

    show_fitted.__dict__["_fits"] = True
    return show_fitted


def _translate_typer(rich_utils: ModuleType) -> None:
    """typer's own words (panel titles, "Try ... for help.", errors) in the user's language,
    and its help printer fitting the examples to the terminal."""
    for name, text in _TYPER_WORDS.items():
        setattr(rich_utils, name, _(text))
    if not rich_utils.rich_format_error.__dict__.get("_translates"):
        show = _translated_errors(rich_utils.rich_format_error)
        setattr(rich_utils, "rich_format_error", show)  # noqa: B010
    if not rich_utils.rich_format_help.__dict__.get("_fits"):
        fitted = _fitting_examples(rich_utils.rich_format_help)
        setattr(rich_utils, "rich_format_help", fitted)  # noqa: B010


_RICH_UTILS = "typer.rich_utils"


class _TranslateOnImport(importlib.abc.MetaPathFinder):
    """Translates typer's words when typer imports its help printer, not before.

    That printer pulls in rich's Markdown and Pygments (about a tenth of the start-up); a
    command that prints no help and no usage error never needs it.
    """

    def find_spec(
        self, fullname: str, path: Any = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        """The printer's own spec, with a loader that translates once the module has run."""
        if fullname != _RICH_UTILS:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _TranslatingLoader(spec.loader)
        return spec


class _TranslatingLoader(importlib.abc.Loader):
    def __init__(self, loader: importlib.abc.Loader) -> None:
        self._loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        _translate_typer(module)


def _translate_typer_when_imported() -> None:
    loaded = sys.modules.get(_RICH_UTILS)
    if loaded is not None:
        _translate_typer(loaded)  # a language chosen anew in the same process
    elif not any(isinstance(finder, _TranslateOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _TranslateOnImport())


class TranslatedGroup(TyperGroup):
    """The ``solidarity`` group: its help, and every command's, in the user's language."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Translate the help texts, then run the command line."""
        _translate_typer_when_imported()
        translate_help(self)
        return super().main(*args, **kwargs)
