"""Every message a person reads is in Portuguese, French and Spanish, not English.

The walk covers the schema messages (an error of each type against the real models and
against small models made for the types the records rarely reach), the YAML parser's
reasons, each rule's findings (its failing example), ``rules explain`` for every rule,
``match --explain`` and every command's ``--help``. A line is English when, once the values
that stay as written (quoted text, ids, field names, paths, examples of commands) are taken
out, it still holds a sentence of an English message of the catalogs or two English words
that none of the other languages writes.
"""

from __future__ import annotations

import copy
import re
import shlex
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
import typer
import typer.main
import yaml_rs
from babel.messages.pofile import read_po
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError
from typer.testing import CliRunner

from solidarity_cli.ci import run_ci
from solidarity_cli.cli import help_i18n
from solidarity_cli.cli.app import app
from solidarity_cli.reading.findings import schema_diagnostics
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.reading.parse import parse_bytes
from solidarity_cli.reporting.i18n import Locale
from solidarity_cli.rules.examples import run_example
from solidarity_cli.rules.registry import BUILTIN_RULES
from solidarity_cli.words import say
from tests.cli.test_i18n import LOCALES
from tests.conftest import PROJECT
from tests.revisions.gitutil import commit_all, git

LANGUAGES = ("pt", "fr", "es")
EXAMPLE = PROJECT / "src" / "solidarity_cli" / "example_repo"
RECORDS = {
    RecordKind.VOCABULARY: "data/vocabularies/dimensions.yaml",
    RecordKind.PLATFORM: "data/platforms/santo-antao.yaml",
    RecordKind.COMMUNITY: "data/communities/cruzinha/community.yaml",
    RecordKind.STRATEGY: "data/communities/cruzinha/strategies/cruzinha-2025-2028.yaml",
    RecordKind.DONOR: "data/donors/fundacao-mar-aberto.yaml",
    RecordKind.AGREEMENT: "data/partnerships/cruzinha-cisterna/agreement.yaml",
    RecordKind.REPORT: "data/partnerships/cruzinha-cisterna/reports/2025-q2.yaml",
}
#: Wrong values put in every field of every example record.
WRONG: list[Any] = [None, [], {}, "x", "", -1, 10**30, True, 1.5, "2025-13-45", "a" * 300]
#: English words that are not words of Portuguese, French or Spanish.
_ENGLISH_WORDS = (
    "the should which with and not must this that are from will would could have has been "
    "every when what where there their its is was were does any only into here than these "
    "those write field value missing number needs need of in by to for yet it an be offers "
    "matches support donors agreement reports rank open "
)
ENGLISH = set(_ENGLISH_WORDS.split())
#: Values a message keeps as written: quoted text, code, ids, field paths, options, paths.
KEPT = re.compile(
    r"(?<!\w)'[^']*'(?!\w)|\"[^\"]*\"|`[^`]*`|\[[^\]]*\]|<[^>]*>|\S*[_/.=~$#*|{}()\\-]\S*|https?://\S+"
)


def _sentences() -> set[str]:
    """The English messages of the catalogs, cut into their fixed stretches of 4+ words."""
    with (LOCALES / "messages.pot").open("rb") as handle:
        ids = [m.id for m in read_po(handle) if m.id]
    found = set()
    for message in ids:
        for text in message if isinstance(message, tuple) else (message,):
            for part in re.split(r"\{\w*\}|[:;()\[\]\n]", text):
                words = part.strip(" ,.?!'").lower()
                if len(words.split()) >= 4 and len(set(words.split()) & ENGLISH) >= 2:
                    found.add(words)
    return found


SENTENCES = _sentences()


def english_left(text: str) -> list[str]:
    """The lines of ``text`` that are still English."""
    left = []
    for line in text.splitlines():
        if "solidarity " in line or "Usage:" in line:
            continue  # a command to type, or typer's usage line
        plain = KEPT.sub(" ", line.replace("│", " ").replace("─", " ")).lower()
        words = re.findall(r"[a-z]+", plain)
        joined = " ".join(words)
        if len(set(words) & ENGLISH) >= 2 or any(s in joined for s in SENTENCES):
            left.append(line.strip())
    return left


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if path:
        yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node[:1]):
            yield from _leaves(value, (*path, i))


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


class _Rare(BaseModel):
    """Constraints the records rarely break, to reach the remaining error types."""

    model_config = ConfigDict(extra="forbid")
    short: Annotated[list[int], Field(max_length=2)] = []
    places: Annotated[Decimal, Field(decimal_places=2, max_digits=6)] = Decimal(0)
    more: Annotated[int, Field(gt=0)] = 1
    less: Annotated[float, Field(lt=10)] = 0
    word: Annotated[str, Field(min_length=3, max_length=5)] = "abc"
    pattern: Annotated[str, Field(pattern=r"^[A-Z]+$")] = "A"
    kind: Literal["a", "b"] = "a"
    url: HttpUrl | None = None
    items: Annotated[list[int], Field(min_length=2)] = [1, 2]


RARE: list[dict[str, Any]] = [
    {"short": [1, 2, 3]},
    {"places": 1.234},
    {"places": 12345.6},
    {"more": 0},
    {"less": 11},
    {"word": "ab"},
    {"word": "abcdefg"},
    {"pattern": "abc"},
    {"kind": "c"},
    {"url": "not a url"},
    {"url": 3},
    {"items": [1]},
    {"more": 1.5},
    {"unknown": 1},
]


def schema_messages() -> Iterator[str]:
    """Message and hint of an error of every type the walk reaches."""
    for kind, rel in RECORDS.items():
        data = yaml_rs.loads((EXAMPLE / rel).read_text(encoding="utf-8"), parse_datetime=True)
        for path in list(_leaves(data)):
            for wrong in WRONG:
                changed = copy.deepcopy(data)
                _set(changed, path, wrong)
                try:
                    kind.model.model_validate(changed)
                except ValidationError as exc:
                    for d in schema_diagnostics(rel, kind.model, changed, exc):
                        yield d.message
                        yield d.hint
    for data in RARE:
        try:
            _Rare.model_validate(data)
        except ValidationError as exc:
            for d in schema_diagnostics("x.yaml", _Rare, data, exc):
                yield d.message
                yield d.hint


BAD_YAML = [
    "a: b: c\n",
    "a: 'x\n",
    "a:\n  - b\n c: d\n",
    "a: @x\n",
    "a: [1, 2\n",
    "a: {b: c]\n",
    "[a, b]]\n",
    "- a\nb: 1\n",
    "a: *x\n",
    "a: 'x' y\n",
    'a: "x\\q"\n',
    "a: !!int x\n",
    "%YAML 1.2\n%YAML 1.2\n---\na: 1\n",
    "a: 1\na: 2\n",
    "\ta: 1\n",
    "- 1\n",
    "",
]


def yaml_messages() -> Iterator[str]:
    for text in BAD_YAML:
        parsed = parse_bytes("data/donors/x.yaml", text.encode("utf-8"))
        assert parsed.diagnostics, text
        for d in parsed.diagnostics:
            yield d.message
            yield d.hint


def rule_messages() -> Iterator[str]:
    for rule in BUILTIN_RULES:
        outcome = run_example(rule, rule.failing)
        assert outcome.findings, rule.code
        for finding in outcome.findings:
            yield finding.message
            yield finding.hint


def _said(messages: Iterator[str], language: str) -> str:
    gettext = Locale(language).gettext
    return "\n".join(say(m, gettext) for m in messages if m)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "walk", [schema_messages, yaml_messages, rule_messages], ids=["schema", "yaml", "rules"]
)
def test_findings_leave_no_english(language: str, walk: Callable[[], Iterator[str]]) -> None:
    said = _said(walk(), language)
    assert said.count("\n") > 5
    left = sorted(set(english_left(said)))
    assert not left, f"{len(left)} English lines in {language}:\n" + "\n".join(left[:25])


COMMANDS = [
    [],
    ["check"],
    ["fmt"],
    ["diff"],
    ["match"],
    ["owners"],
    ["report"],
    ["schema"],
    ["export"],
    ["init"],
    ["new"],
    ["rules"],
    ["rules", "explain"],
    ["rules", "test"],
]


def _cli(args: list[str], language: str) -> str:
    env = {"SOLIDARITY_LANG": language, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    run = CliRunner().invoke(app, args, env=env, catch_exceptions=False)
    assert run.exit_code in (0, 1), run.stdout + run.stderr
    return run.stdout + run.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_help_leaves_no_english(language: str) -> None:
    left = []
    for args in COMMANDS:
        left += [
            f"{' '.join(args)}: {line}" for line in english_left(_cli([*args, "--help"], language))
        ]
    assert not left, f"{len(left)} English lines in {language}:\n" + "\n".join(left[:25])


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_help_names_what_an_option_takes_in_words(language: str) -> None:
    """No "<str>", "<dir>" or "<bool>" (a switch takes nothing): words a volunteer reads."""
    jargon = ("<str>", "<bool>", "<dir>", "<path>", "<int>", "list[", "%Y")
    found = [
        f"{' '.join(args)}: {line.strip()}"
        for args in COMMANDS
        for line in _cli([*args, "--help"], language).splitlines()
        if any(word in line for word in jargon)
    ]
    assert not found, "\n".join(found[:20])


@pytest.mark.parametrize("language", LANGUAGES)
def test_rules_explain_leaves_no_english(minimal: Path, language: str) -> None:
    left = []
    for rule in BUILTIN_RULES:
        out = _cli(["rules", "explain", rule.code, "--repo", str(minimal)], language)
        left += [f"{rule.code}: {line}" for line in english_left(out)]
    assert not left, f"{len(left)} English lines in {language}:\n" + "\n".join(left[:25])


@pytest.mark.parametrize("language", LANGUAGES)
def test_match_explain_leaves_no_english(minimal: Path, language: str) -> None:
    args = ["match", "--repo", str(minimal), "--as-of", "2025-09-15"]
    out = _cli([*args, "--explain", "cruzinha-2025-2028/cisterna"], language)
    assert "cruzinha-2025-2028/cisterna" in out
    left = english_left(out)
    assert not left, f"{len(left)} English lines in {language}:\n" + "\n".join(left[:25])


def test_the_walk_finds_english() -> None:
    # The test would see English: the same walk in English is all English lines.
    said = _said(rule_messages(), "en")
    assert len(english_left(said)) > len(BUILTIN_RULES) // 2
    assert english_left("required field 'id' is missing in the record")
    assert not english_left("campo obrigatório 'id' em falta no registo")


@pytest.mark.parametrize("language", LANGUAGES)
def test_ci_annotations_and_summary_leave_no_english(minimal: Path, language: str) -> None:
    community = next((minimal / "data" / "communities").glob("*/community.yaml"))
    commit_all(minimal, "base")
    git(minimal, "checkout", "-q", "-b", "pr")
    community.write_text(community.read_text() + "new_mistake: 2\n")
    commit_all(minimal, "a change that adds one error")
    loc = Locale(language)
    result = run_ci(minimal, "main", head=None, loc=loc, repository="o/n", sha="abc")
    assert result.annotations.count("::error ") == 1
    body = result.annotations.split("::", 2)[2].replace("%0A", "\n")
    assert "new_mistake" in body
    left = english_left(body) + english_left(result.summary.split("### ")[0])
    assert not left, f"{len(left)} English lines in {language}:\n" + "\n".join(left[:25])


#: Command lines typer refuses, each with one of its usage errors.
USAGE_ERRORS = (
    ["check", "--nope"],
    ["report", "--format", "xx"],
    ["rules", "explain"],
    ["check", "--as-of"],
    ["check", "--as-of", "2026-13-01"],
    ["fmt", "--check", "--check-twice"],
    ["schema", "a", "b", "c"],
)


def _refused(args: list[str], language: str) -> str:
    env = {"SOLIDARITY_LANG": language, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    run = CliRunner().invoke(app, args, env=env, catch_exceptions=False)
    assert run.exit_code == 2, run.stdout + run.stderr
    return run.stdout + run.stderr


def test_usage_errors_go_through_the_catalogs(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every piece typer prints for a refused command line is looked up: the usage line's
    # prefix, the "Try ... for help" line, the panel's title and the error itself.
    monkeypatch.setattr(help_i18n, "_", lambda text: f"«{text}»")
    out = _refused(["check", "--nope"], "en")
    assert "«Usage:» solidarity check" in out
    assert "«Try 'solidarity check -h' for help.»" in out
    assert "«Error»" in out
    assert "««No such option: --nope» (Possible options: --no-cache)»" in out
    out = _refused(["report", "--format", "xx"], "en")
    assert "«Invalid value for '--format' / '-f': «'xx' is not one of" in out


@pytest.mark.parametrize("language", LANGUAGES)
def test_usage_errors_leave_no_english(language: str) -> None:
    left = []
    for args in USAGE_ERRORS:
        out = _refused(args, language)
        lines = [line for line in out.splitlines() if line.strip()]
        left += [f"{' '.join(args)}: {line}" for line in english_left(out)]
        left += [
            f"{' '.join(args)}: {line}"
            for line in lines
            if line.startswith("Usage:") or "for help." in line
        ]
    assert not left, f"{len(left)} English lines in {language}:\n" + "\n".join(left[:25])


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_the_list_of_commands_wraps_each_summary_anew(
    language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command's summary follows the terminal's width, not the docstring's line breaks."""
    monkeypatch.setenv("SOLIDARITY_LANG", language)
    group = typer.main.get_command(app)
    help_i18n.translate_help(group)
    summaries = {name: sub.short_help for name, sub in group.commands.items()}  # type: ignore[attr-defined]
    assert all(summaries.values()), summaries
    assert not [name for name, text in summaries.items() if "\n" in text], summaries


def _every_command() -> list[list[str]]:
    """Every command and subcommand of the tool, as the words that run it."""
    found: list[list[str]] = []

    def walk(command: Any, words: list[str]) -> None:
        found.append(words)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, [*words, name])

    walk(typer.main.get_command(app), [])
    return found


def _examples(help_text: str) -> list[list[str]]:
    """The example commands of a help, each joined back from its ``\\``-continued lines."""
    examples: list[list[str]] = []
    pending = ""
    for line in help_text.splitlines():
        text = line.strip()
        if not pending and not text.startswith("solidarity "):
            continue
        pending += " " + text.removesuffix("\\")
        if not text.endswith("\\"):
            examples.append(shlex.split(pending))
            pending = ""
    return examples


@pytest.mark.parametrize("language", ["en", "pt"])
def test_examples_fit_the_terminal_and_copy_as_one_command(language: str) -> None:
    """A long example is broken with ``\\`` between words, never wrapped inside a word or quote."""
    checked = 0
    for args in _every_command():
        env = {"SOLIDARITY_LANG": language, "NO_COLOR": "1", "TERM": "dumb"}
        wide = CliRunner().invoke(app, [*args, "--help"], env={**env, "COLUMNS": "400"})
        expected = _examples(wide.stdout)
        for width in (60, 80):
            run = CliRunner().invoke(app, [*args, "--help"], env={**env, "COLUMNS": str(width)})
            lines = run.stdout.splitlines()
            assert max(len(line.rstrip()) for line in lines) <= width
            starts = [line for line in lines if line.strip().startswith("solidarity ")]
            assert all(line.startswith("   solidarity ") for line in starts), starts
            assert _examples(run.stdout) == expected, (args, width)
            checked += len(expected)
    assert checked > 40  # every command shows examples, in both widths
