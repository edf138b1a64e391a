"""``solidarity new``: add a record, asking for what it needs."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from solidarity_cli.cli import i18n
from solidarity_cli.cli.common import (
    RepoOption,
    command,
    no_answer,
    repo_root,
    stderr_console,
    stdout_write,
)
from solidarity_cli.cli.i18n import _
from solidarity_cli.cli.rules import DocFormat
from solidarity_cli.errors import UsageError
from solidarity_cli.output import dumps
from solidarity_cli.scaffolding.questions import Answers, Question, Reader, questions
from solidarity_cli.scaffolding.records import Draft, build, write
from solidarity_cli.scaffolding.repository import Repository, open_repository
from solidarity_cli.words import M_, joined, ngettext, say


class Kind(enum.StrEnum):
    """What ``new`` can add."""

    COMMUNITY = "community"
    STRATEGY = "strategy"
    NEED = "need"
    DONOR = "donor"
    AGREEMENT = "agreement"
    REPORT = "report"
    PLATFORM = "platform"
    RULE = "rule"


#: The record TARGET names, for the kinds that take one.
_TARGET = {"strategy": "community", "need": "strategy", "report": "agreement"}


#: The person answering reads the tool's words and the data's texts in the CLI's language.
_READER = Reader(say=_, pick=i18n.text)


def _option(name: str, text: str) -> Any:
    return typer.Option(name, help=text, show_default=False)


def _ask(question: Question, answers: Answers, repo: Repository, no_input: bool) -> str | None:
    default = question.default(answers, repo)
    if no_input:  # a missing answer without a default is named by the caller
        return None if default is None else question.accept(default, answers, repo, _READER)
    console = stderr_console()
    named = question.labels(answers, repo, _READER)
    if default is not None and default in named.values():
        default = next(name for name, code in named.items() if code == default)
    while True:
        allowed = list(named) or question.options(answers, repo)
        prompt = _(question.prompt) + (f" ({', '.join(allowed)})" if allowed else "")
        blank = question.optional and default is None
        try:
            value = typer.prompt(
                prompt, default="" if blank else default, show_default=not blank, err=True
            )
        except typer.Abort:
            raise no_answer(_(question.prompt), "--" + question.key.replace("_", "-")) from None
        if question.optional and not str(value).strip():
            return None
        try:
            return question.accept(str(value), answers, repo, _READER)
        except UsageError as exc:
            console.print(escape(say(exc.message, _)))
            if exc.hint:
                console.print("  " + escape(say(exc.hint, _)))


def _answers(kind: str, given: dict[str, str | None], repo: Repository, no_input: bool) -> Answers:
    """Every answer: given as an option, else asked (or, with ``no_input``, its default).

    With ``no_input``, every answer still missing is named at once, not one per run."""
    answers: Answers = {}
    missing: list[str] = []
    # Once an answer is missing, the later ones are judged as if it had been given ("x").
    assumed: Answers = {}
    for question in questions(kind):
        value = given.get(question.key)
        if missing:
            if value is not None:
                assumed[question.key] = _taken(question, value, assumed, repo)
            elif _also_missing(question, assumed, repo):
                missing.append(question.key)
                assumed[question.key] = "x"
            continue
        if not question.needed(answers, repo):
            continue
        if value is not None:
            answers[question.key] = question.accept(value, answers, repo, _READER)
            continue
        if no_input and question.default(answers, repo) is None and not question.optional:
            missing.append(question.key)
            assumed = {**answers, question.key: "x"}
            continue
        asked = _ask(question, answers, repo, no_input)
        if asked is not None:
            answers[question.key] = asked
    if missing:
        flags = ["--" + key.replace("_", "-") for key in missing]
        raise UsageError(
            ngettext("{flags} is missing", "{flags} are missing", len(flags), flags=joined(flags)),
            hint=M_(
                "give {example} VALUE (each as an option), or leave out --no-input to be asked",
                example=flags[0],
            ),
        )
    return answers


def _taken(question: Question, value: str, assumed: Answers, repo: Repository) -> str:
    """A given answer as it would be taken, or as written where it cannot be judged yet (it
    is checked on the run that has every answer)."""
    try:
        return question.accept(value, assumed, repo, _READER)
    except (UsageError, LookupError, ValueError, TypeError):
        return value


def _also_missing(question: Question, assumed: Answers, repo: Repository) -> bool:
    """Whether ``question`` lacks an answer too, judged on the ``assumed`` answers (the
    missing ones taken as given: an id made from a name is not missing when only the name
    is). A question that cannot be judged without them is left for the next run."""
    try:
        return (
            question.needed(assumed, repo)
            and not question.optional
            and question.default(assumed, repo) is None
        )
    except (LookupError, ValueError, TypeError):
        return False


def _next_steps(draft: Draft, root: Path) -> str:
    rel = draft.rel(root)
    lines = [
        (_("Added the need to {file}.") if draft.replaces else _("Wrote {file}.")).format(file=rel),
        _("Still to fill in when you know it: {fields}.").format(fields=", ".join(draft.todo)),
        _(
            "Open the file: a comment above each field says what it means. Then run: "
            "solidarity check"
        ),
    ]
    if draft.approvers:
        lines.append(
            _("Who must approve: {handles}, the community's maintainers.").format(
                handles=", ".join(draft.approvers)
            )
        )
    else:
        lines.append(_("Who must approve: the network's maintainers."))
    lines.append(
        _(
            "How to propose it: the shared records change through a pull request, a proposal "
            "those people approve. On the repository's GitHub page choose Add file, then "
            "Upload files, add this file in its folder, pick 'Create a new branch' and Propose "
            "changes. If you use git: commit the file on a new branch, push it, and GitHub "
            "offers to open the pull request."
        )
    )
    return "\n".join(lines) + "\n"


@command
def new(
    kind: Annotated[Kind, typer.Argument(help="What to add.", show_default=False)],
    target: Annotated[
        str | None,
        typer.Argument(
            help="The community of a strategy, the strategy of a need, the agreement of a report.",
            show_default=False,
        ),
    ] = None,
    repo: RepoOption = None,
    output: Annotated[
        DocFormat,
        typer.Option(
            "--format",
            help="text (next steps for people) or json (the file, what is left, who approves).",
        ),
    ] = DocFormat.TEXT,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask: fail when an answer is missing.")
    ] = False,
    name: Annotated[str | None, _option("--name", "Name (community, donor, platform).")] = None,
    id_: Annotated[str | None, _option("--id", "Id; offered from the name or title.")] = None,
    type_: Annotated[
        str | None, _option("--type", "Its kind, e.g. village, ngo, financial.")
    ] = None,
    title: Annotated[str | None, _option("--title", "Title (strategy, need, agreement).")] = None,
    country: Annotated[str | None, _option("--country", "ISO country code.")] = None,
    subdivision: Annotated[str | None, _option("--subdivision", "ISO 3166-2 code.")] = None,
    island: Annotated[str | None, _option("--island", "Island (community).")] = None,
    association: Annotated[str | None, _option("--association", "Association's name.")] = None,
    decision_body: Annotated[
        str | None, _option("--decision-body", "Body that decides (community).")
    ] = None,
    language: Annotated[str | None, _option("--language", "Language (community).")] = None,
    maintainer: Annotated[
        str | None, _option("--maintainer", "Name of who approves changes (community).")
    ] = None,
    github: Annotated[str | None, _option("--github", "Their GitHub account (community).")] = None,
    community: Annotated[str | None, _option("--community", "Community id (strategy).")] = None,
    strategy: Annotated[str | None, _option("--strategy", "Strategy id (need).")] = None,
    start: Annotated[str | None, _option("--start", "First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, _option("--end", "Last day, YYYY-MM-DD.")] = None,
    adopted_on: Annotated[
        str | None, _option("--adopted-on", "Day the community adopted it (strategy).")
    ] = None,
    participants: Annotated[
        str | None, _option("--participants", "How many took part in adopting it (strategy).")
    ] = None,
    minutes: Annotated[
        str | None, _option("--minutes", "Web address or path of the minutes (strategy).")
    ] = None,
    adopted_by: Annotated[
        str | None, _option("--adopted-by", "Body that adopted it (strategy).")
    ] = None,
    dimension: Annotated[str | None, _option("--dimension", "Well-being dimension (need).")] = None,
    amount: Annotated[str | None, _option("--amount", "Estimated cost (need).")] = None,
    currency: Annotated[str | None, _option("--currency", "Currency of the cost (need).")] = None,
    needs: Annotated[
        str | None, _option("--needs", "Needs of an agreement: strategy/need, comma separated.")
    ] = None,
    donor: Annotated[str | None, _option("--donor", "Donor id (agreement).")] = None,
    agreement: Annotated[str | None, _option("--agreement", "Agreement id (report).")] = None,
    submitted_by: Annotated[str | None, _option("--submitted-by", "Who submits (report).")] = None,
    submitted_on: Annotated[
        str | None, _option("--submitted-on", "Day submitted (report).")
    ] = None,
    summary: Annotated[str | None, _option("--summary", "What a rule asks.")] = None,
    family: Annotated[str | None, _option("--family", "Rule family.")] = None,
    code: Annotated[str | None, _option("--code", "Rule code, e.g. ND501.")] = None,
    applies_to: Annotated[str | None, _option("--applies-to", "Record kind a rule reads.")] = None,
    condition: Annotated[str | None, _option("--condition", "Rule condition (CEL).")] = None,
    message: Annotated[str | None, _option("--message", "Rule's finding message.")] = None,
    rationale: Annotated[str | None, _option("--rationale", "Why the rule exists.")] = None,
    good: Annotated[str | None, _option("--good", "A record the rule accepts, in braces.")] = None,
    bad: Annotated[str | None, _option("--bad", "A record the rule flags, in braces.")] = None,
) -> None:
    """Add a record: asks for what it needs (or takes every answer as an option), writes a
    valid file in the right place with a comment explaining each field, never replaces a
    file, and says what is left to do and who approves it.

    [bold]Examples[/]

      solidarity new community

      solidarity new need coculi-2025-2028 --title "Water tank" --dimension water --amount 1800

      solidarity new report coculi-jardim-infantil --submitted-by "Maria Lopes"

      solidarity new donor --no-input --name "Amigos de Lisboa" --type informal-group --country PT
    """
    given = {
        "name": name,
        "id": id_,
        "type": type_,
        "title": title,
        "country": country,
        "subdivision": subdivision,
        "island": island,
        "association": association,
        "decision_body": decision_body,
        "language": language,
        "maintainer": maintainer,
        "github": github,
        "community": community,
        "strategy": strategy,
        "start": start,
        "end": end,
        "adopted_on": adopted_on,
        "adopted_by": adopted_by,
        "participants": participants,
        "minutes": minutes,
        "dimension": dimension,
        "amount": amount,
        "currency": currency,
        "needs": needs,
        "donor": donor,
        "agreement": agreement,
        "submitted_by": submitted_by,
        "submitted_on": submitted_on,
        "summary": summary,
        "family": family,
        "code": code,
        "applies_to": applies_to,
        "condition": condition,
        "message": message,
        "rationale": rationale,
        "good": good,
        "bad": bad,
    }
    if target is not None:
        if kind.value not in _TARGET:
            raise UsageError(
                M_("new {kind} takes no {target}", kind=kind.value, target=target),
                hint=M_("give its answers as options, e.g. --name"),
            )
        given[_TARGET[kind.value]] = target
    root = repo_root(repo)
    repository = open_repository(root)
    answers = _answers(kind.value, given, repository, no_input)
    draft = build(kind.value, repository, answers)
    try:
        write(draft)
    except FileExistsError:
        raise UsageError(
            M_("{file} already exists and is never replaced", file=draft.rel(root)),
            hint=M_("choose another id with --id"),
        ) from None
    if output == "json":
        document = {
            "version": 1,
            "kind": draft.kind,
            "path": draft.rel(root),
            "added_to_existing_file": draft.replaces,
            "todo": draft.todo,
            "approvers": draft.approvers,
        }
        stdout_write(dumps(document))
    else:
        stdout_write(_next_steps(draft, root))
