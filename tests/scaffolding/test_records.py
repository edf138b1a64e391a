"""Records built by ``new`` from answers, through the library (no terminal)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from solidarity_cli.formatting.canonical import format_text
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.scaffolding.comments import _BY_PATH, explainer
from solidarity_cli.scaffolding.questions import questions
from solidarity_cli.scaffolding.records import build, write
from solidarity_cli.scaffolding.repository import open_repository
from tests.cli.test_new import AS_OF, STEPS
from tests.conftest import Run

STRATEGY = "data/communities/cruzinha/strategies/cruzinha-2025-2028.yaml"


def _answers(root: Path, kind: str, given: dict[str, str]) -> dict[str, str]:
    repo = open_repository(root)
    answers: dict[str, str] = {}
    for question in questions(kind):
        if question.needed(answers, repo):
            value = given.get(question.key) or question.default(answers, repo)
            if value is not None:
                answers[question.key] = question.accept(value, answers, repo)
    return answers


def _add_need(root: Path, title: str) -> dict[str, object]:
    given = {"strategy": "cruzinha-2025-2028", "title": title, "dimension": "water",
             "type": "training"}  # fmt: skip
    answers = _answers(root, "need", given)
    write(build("need", open_repository(root), answers))
    record: dict[str, object] = YAML(typ="safe").load((root / STRATEGY).read_text("utf-8"))
    return record


@pytest.mark.parametrize("needs", ["", "needs: []\n"])
def test_first_need_goes_where_the_schema_puts_it(minimal: Path, needs: str) -> None:
    path = minimal / STRATEGY
    lines = path.read_text("utf-8").split("\n")
    start = lines.index("needs:")
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i] and lines[i][0] != " "), len(lines)
    )
    rest = "\n".join(lines[end:]).strip("\n")
    rest = rest + "\n" if rest else "donor_conditions:\n  require_giving_forward: false\n"
    path.write_text("\n".join(lines[:start]) + "\n" + needs + rest, "utf-8")
    record = _add_need(minimal, "Formação")
    text = path.read_text("utf-8")
    assert format_text(text, RecordKind.STRATEGY) == text
    assert "donor_conditions" in record
    assert record["needs"] == [
        {"id": "formacao", "title": {"pt": "Formação"}, "dimension": "water", "kind": "training",
         "priority": 1}
    ]  # fmt: skip
    assert "needs:\n  - id: formacao" in path.read_text("utf-8")


def test_the_draft_says_who_approves(minimal: Path) -> None:
    path = minimal / "data/communities/cruzinha/community.yaml"
    path.write_text(
        path.read_text("utf-8") + "maintainers:\n  - {name: Ana, github: ana-cruz}\n", "utf-8"
    )
    answers = _answers(minimal, "need", {"strategy": "cruzinha-2025-2028", "title": "X",
                                         "dimension": "water", "type": "training"})  # fmt: skip
    draft = build("need", open_repository(minimal), answers)
    assert draft.approvers == ["@ana-cruz"]
    assert draft.replaces


def test_fields_inside_a_record_have_their_comment(cli: Callable[..., Run], tmp_path: Path) -> None:
    """Every field ``new`` writes inside another (association, adoption, cost...) is explained
    on the line above it, in the network's language, like the top-level ones."""
    root = tmp_path / "rede"
    assert cli(["init", str(root), "--name", "Rede", "--language", "pt"]).exit_code == 0
    for kind, options in STEPS:
        assert cli(["new", kind, "--repo", str(root), "--no-input", *options]).exit_code == 0
    seen = 0
    for (kind, key_path), _text in _BY_PATH.items():
        folder = {"need": "strategy"}.get(kind, kind)
        files = [p for p in (root / "data").rglob("*.yaml") if _holds(p, folder)]
        comment = explainer(kind, "pt")(key_path)
        assert comment, key_path
        last = key_path.rsplit(".", 1)[-1]
        for path in files:
            lines = path.read_text("utf-8").splitlines()
            above = [i for i, line in enumerate(lines) if line.strip() == f"# {comment}"]
            if not above:
                continue
            seen += 1
            keys = [lines[i + 1].strip().replace('"', "") for i in above]
            assert all(key.startswith(f"{last}:") for key in keys), path
    assert seen >= len(_BY_PATH) - 2  # the rule's examples are written inline
    assert cli(["check", "--repo", str(root), "--as-of", AS_OF]).exit_code == 0
    assert cli(["fmt", "--check", "--repo", str(root)]).exit_code == 0


def _holds(path: Path, kind: str) -> bool:
    parts = path.parts
    return {
        "community": path.name == "community.yaml",
        "strategy": "strategies" in parts,
        "report": "reports" in parts,
        "platform": "platforms" in parts,
        "rule": "rules" in parts,
    }.get(kind, False)
