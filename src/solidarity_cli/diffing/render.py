"""A diff as text for the terminal, Markdown for a pull-request comment, and JSON for scripts."""

from __future__ import annotations

import json
from typing import Any

from solidarity_cli.diffing.changes import Action, Change, Diff, FieldChange
from solidarity_cli.diffing.values import speak
from solidarity_cli.reporting.i18n import Locale
from solidarity_cli.words import N_

_MARK = {
    Action.ADDED: "+",
    Action.CHANGED: "~",
    Action.UNREADABLE: "!",
    Action.FIXED: "~",
    Action.MOVED: ">",
    Action.REMOVED: "-",
}
#: Section titles of the Markdown, in the order they are shown.
_TITLES = {
    Action.ADDED: N_("Added"),
    Action.CHANGED: N_("Changed"),
    Action.UNREADABLE: N_("Files that cannot be read"),
    Action.FIXED: N_("Files readable again"),
    Action.MOVED: N_("Moved or renamed"),
    Action.REMOVED: N_("Removed"),
}


_TITLE = N_("What this change does")
_FIELDS = N_("Fields")
_COLUMNS = (N_("Field"), N_("Before"), N_("After"))


def headline(diff: Diff, loc: Locale) -> str:
    """``2 added, 3 changed, 1 unreadable, 1 removed`` in the reader's language (or that
    nothing changed)."""
    counts = diff.counts()
    forms = {
        Action.ADDED: loc.ngettext("{n} added", "{n} added", counts[Action.ADDED]),
        Action.CHANGED: loc.ngettext("{n} changed", "{n} changed", counts[Action.CHANGED]),
        Action.UNREADABLE: loc.ngettext(
            "{n} unreadable", "{n} unreadable", counts[Action.UNREADABLE]
        ),
        Action.FIXED: loc.ngettext(
            "{n} readable again", "{n} readable again", counts[Action.FIXED]
        ),
        Action.MOVED: loc.ngettext("{n} moved", "{n} moved", counts[Action.MOVED]),
        Action.REMOVED: loc.ngettext("{n} removed", "{n} removed", counts[Action.REMOVED]),
    }
    parts = [forms[a].format(n=loc.number(n)) for a, n in counts.items() if n]
    return ", ".join(parts) if parts else loc.gettext("no record changed")


def _value(value: Any) -> str:
    if value is None:
        return "∅"
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def _fields_text(fields: tuple[FieldChange, ...]) -> list[str]:
    return [f"      {f.key}: {_value(f.old)} → {_value(f.new)}" for f in fields]


def _span(diff: Diff, loc: Locale) -> str:
    return loc.gettext("from {base} to {head}").format(base=diff.base, head=diff.head)


def render_text(diff: Diff, loc: Locale, *, detail: bool = False) -> str:
    """The diff for a terminal: the headline, then each record and what it does."""
    lines = [f"{headline(diff, loc)} ({_span(diff, loc)})"]
    for change in diff.changes:
        lines.append(f"{_MARK[change.action]} {loc.gettext(change.kind.value)} {change.path}")
        lines.extend(f"    {speak(s, loc)}" for s in change.says)
        if detail:
            lines.extend(_fields_text(change.fields))
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text safe inside Markdown: no HTML, no accidental emphasis or table breaks."""
    for char, escaped in (
        ("&", "&amp;"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ("|", "\\|"),
        ("*", "\\*"),
        ("_", "\\_"),
    ):
        text = text.replace(char, escaped)
    return text


def _md_change(change: Change, loc: Locale, detail: bool) -> list[str]:
    where = f"`{change.path}`"
    if change.old_path is not None:
        where = f"`{change.old_path}` → `{change.path}`"
    lines = [f"- **{_md(loc.gettext(change.kind.value))}** {where}"]
    lines.extend(f"  - {_md(speak(s, loc))}" for s in change.says)
    if detail and change.fields:
        lines.append("")
        summary = _md(loc.gettext(_FIELDS))
        lines.append(f"  <details><summary>{summary}</summary>")
        lines.append("")
        lines.append("  | " + " | ".join(loc.gettext(word) for word in _COLUMNS) + " |")
        lines.append("  |---|---|---|")
        lines.extend(
            f"  | `{f.key}` | {_md(_value(f.old))} | {_md(_value(f.new))} |" for f in change.fields
        )
        lines.append("")
        lines.append("  </details>")
        lines.append("")
    return lines


def render_markdown(diff: Diff, loc: Locale, *, detail: bool = False) -> str:
    """The diff for a pull-request comment: the headline, then records grouped by action."""
    lines = [
        "### " + _md(loc.gettext(_TITLE)),
        "",
        f"**{_md(headline(diff, loc))}** ({_md(_span(diff, loc))})",
    ]
    for action, title in _TITLES.items():
        group = [c for c in diff.changes if c.action is action]
        if not group:
            continue
        lines.extend(["", f"#### {_md(loc.gettext(title))}", ""])
        for change in group:
            lines.extend(_md_change(change, loc, detail))
    return "\n".join(lines).rstrip("\n") + "\n"


def diff_document(diff: Diff, loc: Locale) -> dict[str, Any]:
    """The diff as a JSON document: counts, and every change with its sentences and fields."""
    return {
        "base": diff.base,
        "head": diff.head,
        "language": loc.language,
        "headline": headline(diff, loc),
        "counts": {a.value: n for a, n in diff.counts().items()},
        "changes": [c.to_dict([speak(s, loc) for s in c.says]) for c in diff.changes],
    }
