"""``check`` on the repository's own ``templates/``: a pull request can change them like data.

Each template is parsed (never rendered) and its syntax tree scanned for what the sandbox would
refuse or what would fail at render time:

- TP001 the template does not parse (syntax error, not UTF-8), with the line;
- TP002 a name the views do not provide (only ``site``, ``page``, ... and ``_`` exist);
- TP003 a filter or test Jinja does not know;
- TP004 a reach for Python's internals (an ``_``-name such as ``__class__``, ``__globals__``,
  ``__subclasses__``, frame and code objects, ``mro``), refused by the sandbox;
- TP005 a template that is a symbolic link, or larger than any template needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from jinja2 import nodes
from jinja2.exceptions import TemplateSyntaxError
from jinja2.sandbox import (
    UNSAFE_ASYNC_GENERATOR_ATTRIBUTES,
    UNSAFE_COROUTINE_ATTRIBUTES,
    UNSAFE_GENERATOR_ATTRIBUTES,
)

from solidarity_cli.diagnostics import Diagnostic, Location, Severity
from solidarity_cli.reading.discovery import EntryType, SourceEntry
from solidarity_cli.reporting.sandbox import CONTEXT_NAMES, environment
from solidarity_cli.words import M_

#: Attribute names that lead from a value to the interpreter (besides every ``_``-name).
ESCAPES = frozenset(
    {
        "mro",
        "func_globals",
        "func_code",
        "f_globals",
        "f_locals",
        "f_builtins",
        "tb_frame",
        "im_func",
        *UNSAFE_GENERATOR_ATTRIBUTES,
        *UNSAFE_COROUTINE_ATTRIBUTES,
        *UNSAFE_ASYNC_GENERATOR_ATTRIBUTES,
    }
)
MAX_TEMPLATE_BYTES = 256 * 1024
FOLDER = "templates"


def _problem(rel: str, line: int, code: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(
        code, Severity.ERROR, message, Location(rel, line, 1), hint=hint, rule="templates"
    )


def _dangerous(name: str) -> bool:
    return name.startswith("_") or name in ESCAPES


def _reaches(tree: nodes.Template) -> Iterator[tuple[int, str]]:
    """Every attribute, item or string that names an internal, with its line."""
    for node in tree.find_all((nodes.Getattr, nodes.Const)):
        if isinstance(node, nodes.Getattr) and _dangerous(node.attr):
            yield node.lineno, node.attr
        # ``x["__class__"]``, ``x|attr("__class__")``, ``map(attribute="__globals__")``
        elif (
            isinstance(node, nodes.Const)
            and isinstance(node.value, str)
            and ("__" in node.value or node.value in ESCAPES)
        ):
            yield node.lineno, node.value


#: Names Jinja itself provides inside loops, macros and blocks.
JINJA_NAMES = frozenset({"loop", "caller", "varargs", "kwargs", "self", "super"})


def _declared(tree: nodes.Template) -> set[str]:
    """Names the template defines itself: variables, loop targets, macros, imports."""
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names |= {m.name for m in tree.find_all(nodes.Macro)}
    names |= {i.target for i in tree.find_all(nodes.Import)}
    for imported in tree.find_all(nodes.FromImport):
        names |= {n if isinstance(n, str) else n[1] for n in imported.names}
    return names


def check_template(rel: str, source: str) -> list[Diagnostic]:
    """The problems of one template's text (``rel`` is its repository-relative path)."""
    env = environment(Path(), "en", html=rel.endswith(".html.j2"))
    try:
        tree = env.parse(source, name=rel)
    except TemplateSyntaxError as exc:
        return [
            _problem(
                rel,
                exc.lineno,
                "TP001",
                M_("this template does not parse: {what}", what=str(exc.message)[:200]),
                M_("fix the Jinja syntax at this line"),
            )
        ]
    found: list[Diagnostic] = []
    for line, name in sorted(set(_reaches(tree))):
        found.append(
            _problem(
                rel,
                line,
                "TP004",
                M_(
                    "this template reaches for Python's internals ('{name}'); "
                    "the sandbox refuses it",
                    name=name[:80],
                ),
                M_(
                    "use only the fields of the views (site, page, ...); remove '{name}'",
                    name=name[:80],
                ),
            )
        )
    known = CONTEXT_NAMES | set(env.globals) | JINJA_NAMES | _declared(tree)
    names = sorted({(n.lineno, n.name) for n in tree.find_all(nodes.Name) if n.name not in known})
    for line, name in names:
        found.append(
            _problem(
                rel,
                line,
                "TP002",
                M_("'{name}' is not something a template is given", name=name[:80]),
                M_(
                    "use the names the shipped templates use: {names}",
                    names=", ".join(sorted(CONTEXT_NAMES | {"_"})),
                ),
            )
        )
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        table = env.filters if isinstance(node, nodes.Filter) else env.tests
        if node.name not in table:
            found.append(
                _problem(
                    rel,
                    node.lineno,
                    "TP003",
                    M_("'{name}' is not a filter or test Jinja knows", name=node.name[:80]),
                    M_("check the spelling against Jinja's list of filters and tests"),
                )
            )
    return found


def _check_file(rel: str, regular: bool, size: int, read: Callable[[], bytes]) -> list[Diagnostic]:
    """The problems of one template file, wherever its bytes come from."""
    if not regular:
        return [
            _problem(
                rel,
                0,
                "TP005",
                M_("this template is a symbolic link or not a file; it is never read"),
                M_("replace it with the template's own text"),
            )
        ]
    if size > MAX_TEMPLATE_BYTES:
        return [
            _problem(
                rel,
                0,
                "TP005",
                M_("this template is larger than {n} KiB", n=MAX_TEMPLATE_BYTES // 1024),
                M_("split it or remove what it does not need"),
            )
        ]
    data = read()
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [
            _problem(
                rel,
                data[: exc.start].count(b"\n") + 1,
                "TP001",
                M_("this template is not UTF-8 text"),
                M_("save it as UTF-8"),
            )
        ]
    return check_template(rel, source)


def check_templates(root: Path) -> list[Diagnostic]:
    """The problems of every ``*.j2`` file under the repository's ``templates/``."""
    folder = root / FOLDER
    if not folder.is_dir() or folder.is_symlink():
        return []
    found: list[Diagnostic] = []
    for path in sorted(folder.rglob("*.j2")):
        regular = not path.is_symlink() and path.is_file()
        found.extend(
            _check_file(
                path.relative_to(root).as_posix(),
                regular,
                path.stat().st_size if regular else 0,
                path.read_bytes,
            )
        )
    return found


def check_template_entries(entries: Iterable[SourceEntry]) -> list[Diagnostic]:
    """The problems of the ``*.j2`` files among ``entries`` (a git revision's ``templates/``)."""
    found: list[Diagnostic] = []
    for entry in sorted(entries, key=lambda e: e.rel):
        if not entry.rel.endswith(".j2"):
            continue
        regular = entry.type is EntryType.FILE

        def read(entry: SourceEntry = entry) -> bytes:
            return entry.read(MAX_TEMPLATE_BYTES + 1)

        found.extend(_check_file(entry.rel, regular, entry.size, read))
    return found
