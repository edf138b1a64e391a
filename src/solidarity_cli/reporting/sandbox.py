"""The Jinja environment reports render in: immutable sandbox, view models and nothing else.

A data repository may carry its own ``templates/``, changed by pull requests and rendered by CI
on contributors' branches, so a template is untrusted input: it renders in Jinja's
``ImmutableSandboxedEnvironment`` (no attribute starting with ``_``, no frame or code objects,
no mutation of the views), with only the globals the shipped templates use (the translation
functions), and its files are never read through a symbolic link. The templates shipped inside
the package are the tool's own code: they render with the same globals, filters and escaping,
without the sandbox (``Shipped``).
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from types import CodeType
from typing import Any

import markupsafe
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    select_autoescape,
)
from jinja2.exceptions import (
    SecurityError,
    TemplateError,
    TemplateRuntimeError,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from solidarity_cli.errors import SolidarityError
from solidarity_cli.reporting.i18n import translations
from solidarity_cli.words import M_

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")

#: The names a template is rendered with (site.py passes these and only these).
CONTEXT_NAMES = frozenset(
    {"site", "root", "page_title", "maps", "links", "kind", "page"}
    # The history page: its chart and the tables of reporting.history.Table.
    | {"chart", "heads", "rows", "indicator_heads", "indicators"}
    # The digest (reporting.digest): the obligations of one reader, and what "soon" means.
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


#: Methods: their access may need the sandbox's wrapping (``str.format``), never cached.
_METHODS = (types.MethodType, types.BuiltinMethodType)


_escape_inner: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)
_as_markup = str.__new__


def fast_escape(value: Any) -> Markup:
    """``markupsafe.escape``, the same text, without its Python-level ``Markup.__new__``.

    Jinja escapes every value a page prints (about 800,000 at 2,000 communities); building
    the result straight from the escaped ``str`` halves what each costs. Anything but a plain
    string (or where MarkupSafe's escaping core cannot be found) goes to ``escape`` itself.
    """
    if type(value) is str and _escape_inner is not None:
        return _as_markup(Markup, _escape_inner(value))
    if type(value) is Markup:
        return value
    return escape(value)


def _markup(html: str) -> Markup:
    """``Markup(html)`` for a plain ``str`` made here (no ``__html__`` to look for)."""
    return _as_markup(Markup, html)


class FastEscapeTemplate(Template):
    """A template whose autoescaping calls ``fast_escape`` (see there)."""

    @classmethod
    def from_code(
        cls,
        environment: Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> Template:
        """The template of compiled ``code``, as Jinja makes it, printing through
        ``fast_escape``."""
        namespace = {"environment": environment, "__file__": code.co_filename}
        exec(code, namespace)  # what Jinja itself does with the code it compiled
        if namespace.get("escape") is escape:
            namespace["escape"] = fast_escape
        template = cls._from_namespace(environment, namespace, globals)
        template._uptodate = uptodate
        return template


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, deciding once per (type, attribute) whether access is safe.

    The sandbox's rules (no ``_`` names, no internals of functions, frames or code, no method
    that mutates a list, set or dict) depend only on the object's type and the attribute's name,
    so the answer is remembered; methods still go through the sandbox every time, because
    ``str.format`` must be wrapped. A site of 2,000 communities reads about 900,000 attributes.
    """

    template_class = FastEscapeTemplate

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._safe: dict[tuple[type, str], bool] = {}

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute`` from a template, as the sandbox allows it."""
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)
        if isinstance(value, _METHODS):
            return super().getattr(obj, attribute)
        key = (type(obj), attribute)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = self.is_safe_attribute(obj, attribute, value)
        return value if safe else self.unsafe_undefined(obj, attribute)


class ConstantTranslations(Extension):
    """``{{ _("Overview") }}`` in an HTML template becomes its translation when compiled.

    The same text as rendering it would give (the translation, not escaped, with ``%%`` read as
    ``%``), without a call per page: the site's header alone holds about twenty such texts and
    is rendered on every page. Calls with values (``_("%(n)s pages", n=...)``), and every call in
    a template that is not autoescaped, are left to the translation functions.
    """

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        """The template's tokens, constant translations replaced by their text."""
        autoescape = self.environment.autoescape
        escaped = autoescape(stream.name) if callable(autoescape) else autoescape
        gettext: Callable[[str], str] | None = getattr(self.environment, "constant_gettext", None)
        if not escaped or gettext is None:
            yield from stream
            return
        tokens = list(stream)
        i = 0
        while i < len(tokens):
            text = _constant_call(tokens[i : i + 6], gettext)
            if text is None:
                yield tokens[i]
                i += 1
            else:
                yield Token(tokens[i].lineno, "data", text)
                i += 6


def _constant_call(window: list[Token], gettext: Callable[[str], str]) -> str | None:
    """The output of ``{{ _("...") }}`` when ``window`` is exactly that, else None."""
    if [t.type for t in window] != [
        "variable_begin",
        "name",
        "lparen",
        "string",
        "rparen",
        "variable_end",
    ] or window[1].value not in ("_", "gettext"):
        return None
    try:
        return str(Markup(gettext(window[3].value)) % {})
    except (KeyError, TypeError, ValueError):  # it needs values: leave it to the call
        return None


def _text_filter(gettext: Callable[[str], str]) -> Callable[[Any], Markup]:
    """``{{ t|text }}``: record text in its language, marked when it is not the reader's."""
    elsewhere = escape(gettext("Not available in this language"))

    def text(t: Any) -> Markup:
        if t is None:
            return _markup("")
        try:  # attributes read here rather than through _field: the site has 100,000 texts
            language, value, fallback = fast_escape(t.language), fast_escape(t.value), t.fallback
        except AttributeError:
            raise _not_a(t, "text") from None
        if fallback:
            return _markup(
                f'<span class="fallback" lang="{language}">{value}</span>'
                f'<span class="lang" title="{elsewhere}">{language}</span>'
            )
        return _markup(f'<span lang="{language}">{value}</span>')

    return text


def _link(target: Any, root: Any) -> Markup:
    """``{{ l|link(root) }}``: a link to another page of the site, relative to this page."""
    try:
        page, label = target.page, target.label
    except AttributeError:
        raise _not_a(target, "link") from None
    return _markup(f'<a href="{fast_escape(root)}{fast_escape(page)}">{fast_escape(label)}</a>')


def _rows(items: Any) -> Markup:
    """``{{ rows|rows }}``: labelled values as a table, one row each."""
    body = "".join(
        f'<tr><th scope="row">{fast_escape(_field(r, "label", "rows"))}</th>'
        f"<td>{fast_escape(_field(r, 'value', 'rows'))}</td></tr>\n"
        for r in items
    )
    return _markup(f"<table><tbody>\n{body}</tbody></table>")


def _constant(gettext: Callable[[str], str], message: str) -> str:
    """A constant text as a template writes it (see ``ConstantTranslations``)."""
    return str(Markup(gettext(message)) % {})


def _indicators_filter(
    gettext: Callable[[str], str], text: Callable[[Any], Markup]
) -> Callable[[Any, Any], Markup]:
    """``{{ indicators|indicators(root) }}``: the indicators table, or a line saying none."""
    heads = "".join(
        f"<th>{_constant(gettext, h)}</th>"
        for h in ("Indicator", "Baseline", "Target", "Latest", "Progress")
    )
    no_value = f' <span class="deadend">{_constant(gettext, "no report value yet")}</span>'
    none = f"<p>{_constant(gettext, 'No indicator yet.')}</p>"

    def indicators(items: Any, root: Any) -> Markup:
        if not items:
            return _markup(none)
        body = "".join(
            f"<tr><td>{text(_field(i, 'title', 'indicators'))}<br><small>"
            f"{_link(_field(i, 'agreement', 'indicators'), root)}</small>"
            f"{'' if _field(i, 'reported', 'indicators') else no_value}</td>"
            f"<td>{fast_escape(_field(i, 'baseline', 'indicators'))}</td>"
            f"<td>{fast_escape(_field(i, 'target', 'indicators'))}</td>"
            f"<td>{fast_escape(_field(i, 'actual', 'indicators'))}</td>"
            f"<td>{_field(i, 'chart', 'indicators')}</td></tr>\n"
            for i in items
        )
        return _markup(f"<table><thead><tr>{heads}</tr></thead><tbody>\n{body}</tbody></table>")

    return indicators


def _obligations_filter(gettext: Callable[[str], str]) -> Callable[[Any, Any], Markup]:
    """``{{ obligations|obligations(root) }}``: what is due, or a line saying nothing is."""
    heads = "".join(
        f"<th>{_constant(gettext, h)}</th>"
        for h in ("Due", "What", "Who", "Partnership", "How it was computed")
    )
    overdue = f" · {_constant(gettext, 'overdue')}"
    late_class = ' class="overdue"'
    none = f"<p>{_constant(gettext, 'Nothing is due.')}</p>"

    def obligations(items: Any, root: Any) -> Markup:
        if not items:
            return _markup(none)
        rows = []
        for o in items:
            late = bool(_field(o, "overdue", "obligations"))
            rows.append(
                f"<tr><td{late_class if late else ''}>"
                f"{fast_escape(_field(o, 'due', 'obligations'))}{overdue if late else ''}</td>"
                f"<td>{fast_escape(_field(o, 'kind', 'obligations'))}</td>"
                f"<td>{fast_escape(_field(o, 'who', 'obligations'))}</td>"
                f"<td>{_link(_field(o, 'agreement', 'obligations'), root)}</td>"
                f'<td class="calc">{fast_escape(_field(o, "calculation", "obligations"))}'
                "</td></tr>\n"
            )
        return _markup(
            f"<table><thead><tr>{heads}</tr></thead><tbody>\n{''.join(rows)}</tbody></table>"
        )

    return obligations


def _field(view: Any, name: str, used_by: str) -> Any:
    """A field of a view given to a filter; a template error (not a crash) for anything else."""
    try:
        return getattr(view, name)
    except AttributeError:
        raise _not_a(view, used_by) from None


def _not_a(view: Any, used_by: str) -> TemplateRuntimeError:
    """The error of a filter given something that is not the view it takes."""
    return TemplateRuntimeError(
        f"the {used_by} filter takes a {used_by} of the views, not {type(view).__name__}"
    )


class Shipped(Environment):
    """The environment of the package's own templates: trusted code, so no sandbox.

    The sandbox is there for a repository's ``templates/`` (untrusted input). The templates
    shipped with the tool are part of the tool; rendering them without the sandbox's check of
    every attribute read and call writes the same bytes, a fifth faster.
    """

    template_class = FastEscapeTemplate


def shipped_templates() -> Path:
    """The folder of the templates shipped inside the package."""
    return Path(str(resources.files("solidarity_cli") / "templates"))


def environment(templates: Path, language: str, *, html: bool) -> Environment:
    """One Jinja environment: strict, autoescaped for HTML, confined to ``templates``.

    Sandboxed (``Sandbox``) unless ``templates`` is the package's own folder.
    """
    kind: type[Environment] = Shipped if templates == shipped_templates() else Sandbox
    env = kind(
        loader=NoLinkLoader(str(templates)),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False)
        if html
        else False,
        extensions=["jinja2.ext.i18n", ConstantTranslations],
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
        # One environment per report: a template's file is read once, not checked on every page
        # (``extends`` and ``import`` ask for the base and the macros per page).
        auto_reload=False,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.extend(constant_gettext=translations(language).gettext)
    for name in set(env.globals) - GLOBALS:  # no range, dict, cycler, joiner, lipsum, namespace
        del env.globals[name]
    env.filters["md"] = markdown_escape
    # Filters rather than macros: a macro call costs the sandbox about ten times more, and a
    # site of 2,000 communities writes some 100,000 texts and links.
    gettext = translations(language).gettext
    env.filters["text"] = _text_filter(gettext)
    env.filters["link"] = _link
    env.filters["rows"] = _rows
    env.filters["indicators"] = _indicators_filter(gettext, env.filters["text"])
    env.filters["obligations"] = _obligations_filter(gettext)
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
