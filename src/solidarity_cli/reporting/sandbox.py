"""The Jinja environment reports render in: immutable sandbox, view models and nothing else.

A data repository may carry its own ``templates/``, changed by pull requests and rendered by CI
on contributors' branches, so a template is untrusted input: it renders in Jinja's
``ImmutableSandboxedEnvironment`` (no attribute starting with ``_``, no frame or code objects,
no mutation of the views), with only the globals the shipped templates use (the translation
functions), and its files are never read through a symbolic link.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape
from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from solidarity_cli.errors import SolidarityError
from solidarity_cli.reporting.i18n import translations
from solidarity_cli.words import M_

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")

#: The names a template is rendered with (site.py passes these and only these).
CONTEXT_NAMES = frozenset(
    {"site", "root", "page_title", "maps", "links", "kind", "page"}
    # The history page: its chart and the tables of reporting.history.Table.
    | {"chart", "heads", "rows", "indicator_heads", "indicators"}
    # A digest (reporting.digest): what one recipient owes, and how far ahead it looks.
    | {"digest", "soon_days"}
)
#: The globals a template may call: the translation functions of ``jinja2.ext.i18n``.
GLOBALS = frozenset({"_", "gettext", "ngettext", "pgettext", "npgettext"})


class TemplateProblem(SolidarityError):
    """A template of the repository cannot be rendered (refused, broken or unknown)."""


def markdown_escape(value: object) -> str:
    """Text made inert in Markdown: no links, emphasis, HTML or table breaks from the data."""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


class NoLinkLoader(FileSystemLoader):
    """A file-system loader that refuses a template reached through a symbolic link."""

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        for folder in self.searchpath:
            path = Path(folder) / template
            if path.is_symlink() or any(p.is_symlink() for p in path.parents if p != Path("/")):
                raise TemplateNotFound(template)
        return super().get_source(environment, template)


def environment(templates: Path, language: str, *, html: bool) -> ImmutableSandboxedEnvironment:
    """One sandboxed Jinja environment: strict, autoescaped for HTML, confined to ``templates``."""
    env = ImmutableSandboxedEnvironment(
        loader=NoLinkLoader(str(templates)),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False)
        if html
        else False,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    for name in set(env.globals) - GLOBALS:  # no range, dict, cycler, joiner, lipsum, namespace
        del env.globals[name]
    env.filters["md"] = markdown_escape
    return env


@contextmanager
def refusals_explained(templates: Path) -> Iterator[None]:
    """Turn what the sandbox refuses, or a broken template, into a plain operational failure."""
    try:
        yield
    except SecurityError as exc:
        raise TemplateProblem(
            M_(
                "a template in {folder} tried something the sandbox refuses ({what}); "
                "nothing was written",
                folder=templates,
                what=str(exc)[:200],
            ),
            hint=M_("run 'solidarity check' to see which template and line, and fix it"),
        ) from None
    except TemplateSyntaxError as exc:
        raise TemplateProblem(
            M_(
                "template {file}, line {line}: {what}; nothing was written",
                file=exc.name or exc.filename or "?",
                line=exc.lineno,
                what=str(exc.message)[:200],
            ),
            hint=M_("fix the template; 'solidarity check' lists every template problem"),
        ) from None
    except (UndefinedError, TemplateNotFound, TemplateError) as exc:
        raise TemplateProblem(
            M_(
                "a template in {folder} could not be rendered ({what}); nothing was written",
                folder=templates,
                what=str(exc)[:200],
            ),
            hint=M_("fix the template; 'solidarity check' lists every template problem"),
        ) from None
