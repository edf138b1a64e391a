"""What a pull request's check gives GitHub: annotations, a step summary and one comment.

GitHub shows only the first ten errors and ten warnings (and ten notices) a step annotates, so
the annotations are capped at that, errors first and then by path and line; every finding,
annotated or not, is listed in the summary's table, so none is ever lost.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from solidarity_cli.atomic import write_text_atomic
from solidarity_cli.baseline import ChangedReport, check_changed_since, fingerprints
from solidarity_cli.checking import check_repository
from solidarity_cli.diagnostics import Diagnostic, Severity
from solidarity_cli.diffing import compare
from solidarity_cli.diffing.render import render_markdown
from solidarity_cli.output import github_annotations
from solidarity_cli.reporting.i18n import Locale
from solidarity_cli.revisions import revisions
from solidarity_cli.words import N_, say

COMMENT_MARKER = "<!-- solidarity-report -->"
"""The hidden first line that finds the pull request's comment again, to update it in place."""

ANNOTATIONS_PER_KIND = 10
"""How many annotations of each severity GitHub shows for one step."""

COMMENT_ROWS = 50
"""Rows of findings in the comment (the step summary lists them all)."""

_TITLE = N_("Data check")
_COLUMNS = (N_("Severity"), N_("Where"), N_("Rule"), N_("Finding"))
_SEVERITY = {
    Severity.ERROR: N_("error"),
    Severity.WARNING: N_("warning"),
    Severity.INFO: N_("note"),
}


@dataclass
class CiResult:
    """Everything one run of ``solidarity ci`` hands to GitHub."""

    changed: ChangedReport
    annotations: str
    summary: str
    comment: str
    exit_code: int
    not_annotated: int


def ordered(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Errors first, then warnings and notes, each by path, line and column."""
    return sorted(diagnostics, key=lambda d: (-d.severity.rank, d.sort_key()))


def capped(
    diagnostics: Sequence[Diagnostic], per_kind: int = ANNOTATIONS_PER_KIND
) -> list[Diagnostic]:
    """The findings GitHub will show: at most ``per_kind`` of each severity, in order."""
    shown: Counter[Severity] = Counter()
    out = []
    for d in ordered(diagnostics):
        if shown[d.severity] < per_kind:
            shown[d.severity] += 1
            out.append(d)
    return out


def _md(text: str) -> str:
    for char, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|")):
        text = text.replace(char, escaped)
    return " ".join(text.split())


def _link(d: Diagnostic, repository: str, sha: str) -> str:
    where = f"{d.path}:{d.line}" if d.line else d.path
    if not repository or not sha:
        return f"`{where}`"
    anchor = f"#L{d.line}" if d.line else ""
    return f"[`{where}`](https://github.com/{repository}/blob/{sha}/{d.path}{anchor})"


def _table(diagnostics: Sequence[Diagnostic], loc: Locale, repository: str, sha: str) -> list[str]:
    head = [loc.gettext(c) for c in _COLUMNS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for d in diagnostics:
        finding = say(d.message, loc.gettext)
        cells = (
            loc.gettext(_SEVERITY[d.severity]),
            _link(d, repository, sha),
            f"`{d.code}`",
            _md(finding),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _counts(changed: ChangedReport, loc: Locale) -> str:
    new = Counter(d.severity for d in changed.new_diagnostics)
    old = len(changed.old_diagnostics)
    parts = [
        loc.ngettext("{n} new error", "{n} new errors", new[Severity.ERROR]).format(
            n=loc.number(new[Severity.ERROR])
        ),
        loc.ngettext("{n} new warning", "{n} new warnings", new[Severity.WARNING]).format(
            n=loc.number(new[Severity.WARNING])
        ),
        loc.ngettext(
            "{n} finding already there before", "{n} findings already there before", old
        ).format(n=loc.number(old)),
    ]
    return ", ".join(parts)


def _body(
    result_changed: ChangedReport,
    loc: Locale,
    repository: str,
    sha: str,
    diff_markdown: str,
    *,
    rows: int | None,
    not_annotated: int,
) -> list[str]:
    new = ordered(result_changed.new_diagnostics)
    lines = [f"## {loc.gettext(_TITLE)}", "", f"**{_counts(result_changed, loc)}**", ""]
    if result_changed.base_commit:
        lines.extend(
            [loc.gettext("Compared with {base}.").format(base=result_changed.base_commit[:12]), ""]
        )
    if not_annotated:
        lines.extend(
            [
                loc.ngettext(
                    "GitHub shows only {limit} annotations of each kind: {n} more finding is "
                    "listed here only.",
                    "GitHub shows only {limit} annotations of each kind: {n} more findings are "
                    "listed here only.",
                    not_annotated,
                ).format(limit=ANNOTATIONS_PER_KIND, n=loc.number(not_annotated)),
                "",
            ]
        )
    if new:
        lines.append(f"### {loc.gettext('New findings')}")
        lines.append("")
        shown = new if rows is None else new[:rows]
        lines.extend(_table(shown, loc, repository, sha))
        if len(shown) < len(new):
            rest = len(new) - len(shown)
            lines.extend(
                [
                    "",
                    loc.ngettext(
                        "{n} more new finding: see the check's summary.",
                        "{n} more new findings: see the check's summary.",
                        rest,
                    ).format(n=loc.number(rest)),
                ]
            )
    else:
        lines.append(loc.gettext("No new finding: this change adds no problem to the data."))
    if diff_markdown:
        lines.extend(["", diff_markdown.rstrip("\n")])
    return lines


def run_ci(
    root: Path,
    base: str | None,
    *,
    loc: Locale,
    head: str | None = "HEAD",
    strict: bool = False,
    repository: str = "",
    sha: str = "",
    as_of: dt.date | None = None,
) -> CiResult:
    """Check ``head`` (the last commit, as GitHub sees it; None: the working tree) against
    ``base`` and build what GitHub shows. Both revisions are read once, for the check and the
    diff alike.

    Without ``base`` (a first push), every finding counts as new and no diff is written.
    """
    diff_markdown = ""
    if base:
        with revisions(root) as opened:
            changed = check_changed_since(root, base, head=head, as_of=as_of, opened=opened)
            first, second = opened.open(base), opened.open(head)
            before, after = opened.load(first).dataset, opened.load(second).dataset
        found = compare(
            before,
            after,
            base_name=(first.commit or base)[:12],
            head_name=second.commit[:12] if second.commit else loc.gettext("working tree"),
        )
        diff_markdown = render_markdown(found, loc)
    else:
        with revisions(root) as opened:
            revision = opened.open(head) if head is not None else None
            report = check_repository(root, as_of=as_of, revision=revision, opened=opened)
        marks = fingerprints(report.diagnostics)
        changed = ChangedReport(report, "", marks, [True] * len(marks))
    new = changed.new_diagnostics
    annotated = capped(new)
    not_annotated = len(new) - len(annotated)
    parts = [
        _body(changed, loc, repository, sha, diff_markdown, rows=rows, not_annotated=not_annotated)
        for rows in (None, COMMENT_ROWS)
    ]
    summary = "\n".join(parts[0]) + "\n"
    comment = "\n".join([COMMENT_MARKER, *parts[1]]) + "\n"
    return CiResult(
        changed=changed,
        annotations=github_annotations(
            replace(d, message=say(d.message, loc.gettext), hint=say(d.hint, loc.gettext))
            for d in annotated
        ),
        summary=summary,
        comment=comment,
        exit_code=changed.exit_code(strict=strict),
        not_annotated=not_annotated,
    )


def publish(result: CiResult, environ: Mapping[str, str], comment_file: Path | None) -> Path | None:
    """Append the summary to ``$GITHUB_STEP_SUMMARY``, write the comment, and name it (and the
    counts) in ``$GITHUB_OUTPUT``. Returns where the comment was written.

    The runner's own files are appended to, as GitHub expects; the comment file is ours.
    """
    summary_path = environ.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        with Path(summary_path).open("a", encoding="utf-8") as handle:
            handle.write(result.summary)
    if comment_file is not None:
        write_text_atomic(comment_file, result.comment, overwrite=True)
    output_path = environ.get("GITHUB_OUTPUT")
    if output_path:
        new = Counter(d.severity for d in result.changed.new_diagnostics)
        lines = [
            f"new-errors={new[Severity.ERROR]}",
            f"new-warnings={new[Severity.WARNING]}",
            f"comment-file={comment_file or ''}",
        ]
        with Path(output_path).open("a", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
    return comment_file
