"""New records written from the answers to ``new``'s questions, valid and commented."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from solidarity_cli.atomic import write_text_atomic
from solidarity_cli.errors import UsageError
from solidarity_cli.formatting.canonical import dump_record, format_text
from solidarity_cli.models import Strategy
from solidarity_cli.models.base import own_words, validation_errors
from solidarity_cli.reading.layout import RecordKind, classify
from solidarity_cli.scaffolding.comments import explainer
from solidarity_cli.scaffolding.monitoring import indicator_values
from solidarity_cli.scaffolding.questions import Answers
from solidarity_cli.scaffolding.repository import Repository
from solidarity_cli.scaffolding.yamltext import plain, yaml_writer
from solidarity_cli.words import M_


@dataclass(frozen=True)
class Draft:
    """A record ready to be written: where, its text, what is left to fill in, who approves."""

    kind: str
    path: Path
    text: str
    todo: list[str] = field(default_factory=list)
    approvers: list[str] = field(default_factory=list)
    replaces: bool = False
    """True when the file exists and the draft adds to it (a need added to its strategy)."""

    def rel(self, root: Path) -> str:
        """The path relative to the repository, for messages."""
        return self.path.relative_to(root).as_posix()


def _path(repo: Repository, kind: RecordKind, record_id: str, owner: str = "") -> Path:
    """Where the layout puts a record of ``kind`` (``layout.RecordKind.where``)."""
    rel = re.sub(r"<(community|agreement)>", owner, kind.where).replace("<id>", record_id)
    rel = rel.replace("<name>", record_id)
    slot = classify(rel)
    assert slot is not None and slot.kind is kind and slot.expected_id == record_id, rel
    return repo.root / rel


def _validate(kind: RecordKind, data: Any, where: Path) -> None:
    try:
        kind.model.model_validate(data)
    except ValidationError as exc:
        first = validation_errors(exc)[0]
        at = ".".join(str(part) for part in first["loc"])
        raise UsageError(
            M_(
                "the new {kind} would not be valid: {at}: {problem}",
                kind=kind.value,
                at=at,
                problem=own_words(first) or first["msg"],
            ),
            hint=M_(
                "change that answer and run the command again ({file} was not written)",
                file=where.name,
            ),
        ) from None


def _load(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


def _text(repo: Repository, value: str) -> dict[str, str]:
    return {repo.text_language: value}


def _key_paths(data: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """The dotted key path of every field set in ``data``, nested mappings included."""
    for key, value in data.items():
        if value is None:
            continue
        yield prefix + key
        if isinstance(value, dict):
            yield from _key_paths(value, f"{prefix}{key}.")


def _record(repo: Repository, kind: RecordKind, path: Path, data: dict[str, Any]) -> str:
    """The canonical text of a new record, a comment above each field that needs one."""
    depth = len(path.relative_to(repo.root).parts) - 1
    explain = explainer(kind.value, repo.language)
    comments = {
        "": f"yaml-language-server: $schema={'../' * depth}schemas/{kind.value}.schema.json"
    }
    comments |= {key: text for key in _key_paths(data) if (text := explain(key))}
    text = dump_record({k: v for k, v in data.items() if v is not None}, kind, comments)
    _validate(kind, _load(text), path)
    return text


def _document(repo: Repository, title: str, where: str) -> dict[str, Any]:
    key = "url" if where.startswith(("http://", "https://")) else "path"
    return {"title": _text(repo, title), key: where}


def _community(repo: Repository, a: Answers) -> Draft:
    path = _path(repo, RecordKind.COMMUNITY, a["id"])
    data = {
        "id": a["id"],
        "name": a["name"],
        "kind": a["type"],
        "country": a["country"],
        "subdivision": a["subdivision"],
        "island": a.get("island"),
        "association": {
            "name": a["association"],
            "legal_form": "association",
            "governance": {"decision_body": a["decision_body"]},
        },
        "languages": [a["language"]],
        "maintainers": [{"name": a["maintainer"], "github": a["github"]}],
    }
    todo = ["location", "population", "households", "association.founded", "description"]
    text = _record(repo, RecordKind.COMMUNITY, path, data)
    return Draft("community", path, text, todo, [f"@{a['github']}"])


def _strategy(repo: Repository, a: Answers) -> Draft:
    path = _path(repo, RecordKind.STRATEGY, a["id"], a["community"])
    data: dict[str, Any] = {
        "id": a["id"],
        "title": _text(repo, a["title"]),
        "period": {
            "start": dt.date.fromisoformat(a["start"]),
            "end": dt.date.fromisoformat(a["end"]),
        },
        "status": "adopted" if "adopted_on" in a else "draft",
        "adoption": {
            "body": a["adopted_by"],
            "date": dt.date.fromisoformat(a["adopted_on"]),
            "participants": {"count": int(a["participants"])},
            "minutes": _document(repo, f"{a['adopted_by']}, {a['adopted_on']}", a["minutes"]),
        }
        if "adopted_on" in a
        else None,
        "needs": [],
    }
    todo = ["summary", "wellbeing_criteria", "objectives", "needs (solidarity new need)"]
    todo += ["adoption.participants (women, youth)"] if "adopted_on" in a else ["adoption"]
    text = _record(repo, RecordKind.STRATEGY, path, data)
    return Draft("strategy", path, text, todo, repo.handles(a["community"]))


def _need(repo: Repository, a: Answers) -> Draft:
    """The strategy's file with one more need, its comments and key order kept."""
    strategy_id = a["strategy"]
    path = repo.root / repo.dataset.path_of(RecordKind.STRATEGY, strategy_id)
    yaml = yaml_writer()
    document = yaml.load(path.read_text(encoding="utf-8"))
    strategy: Strategy = repo.dataset.strategies[strategy_id]
    priority = max((n.priority for n in strategy.needs), default=0) + 1
    need: dict[str, Any] = {
        "id": a["id"],
        "title": _text(repo, a["title"]),
        "dimension": a["dimension"],
        "kind": a["type"],
    }
    if "amount" in a:
        need["estimated_cost"] = {"amount": _number(a["amount"]), "currency": a["currency"]}
    need["priority"] = priority
    node = plain(need)
    explain = explainer("need", repo.language)
    for key in list(need)[1:]:  # a comment above the dash of a list item reads badly
        text = explain(key)
        if text:
            node.yaml_set_comment_before_after_key(key, before=text, indent=4)
    cost = node.get("estimated_cost")
    for key in ("amount", "currency") if cost is not None else ():
        text = explain(f"estimated_cost.{key}")
        if text:
            cost.yaml_set_comment_before_after_key(key, before=text, indent=6)
    needs = document.get("needs")
    if needs is None:
        needs = CommentedSeq()
        _insert_in_model_order(document, "needs", needs)
    # An empty list reads back as `[]`; the needs are written one block per need.
    needs.fa.set_block_style()
    needs.append(node)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    text = format_text(buffer.getvalue(), RecordKind.STRATEGY)
    _validate(RecordKind.STRATEGY, _load(text), path)
    todo = ["description", "sectors", "timeframe", "beneficiaries", "expected_results"]
    community = repo.dataset.strategy_owner.get(strategy_id, "")
    return Draft("need", path, text, todo, repo.handles(community), replaces=True)


def _insert_in_model_order(document: CommentedMap, key: str, value: Any) -> None:
    order = list(Strategy.model_fields)
    after = order.index(key)
    position = sum(1 for k in document if k in order and order.index(k) < after)
    document.insert(position, key, value)


def _number(value: str) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def _donor(repo: Repository, a: Answers) -> Draft:
    path = _path(repo, RecordKind.DONOR, a["id"])
    data = {
        "id": a["id"],
        "name": a["name"],
        "kind": a["type"],
        "country": a["country"],
        "anonymous": a["type"] == "individual",
    }
    todo = [
        "consent",
        "website",
        "description",
        "languages",
        "capacities",
        "preferences",
        "conditions",
    ]
    return Draft("donor", path, _record(repo, RecordKind.DONOR, path, data), todo, [])


def _agreement(repo: Repository, a: Answers) -> Draft:
    path = _path(repo, RecordKind.AGREEMENT, a["id"])
    refs = a["needs"].split(",")
    strategy = refs[0].partition("/")[0]
    community = repo.dataset.strategy_owner[strategy]
    data = {
        "id": a["id"],
        "title": _text(repo, a["title"]),
        "community": community,
        "strategy": strategy,
        "needs": refs,
        "donor": a["donor"],
        "participants": [
            {"role": "funding", "donor": a["donor"]},
            {"role": "implementing", "community": community},
        ],
        "status": "proposed",
    }
    todo = [
        "decisions (the community's decision)",
        "dates",
        "conditions",
        "budget",
        "results",
        "reporting",
    ]
    text = _record(repo, RecordKind.AGREEMENT, path, data)
    return Draft("agreement", path, text, todo, repo.handles(community))


def _report(repo: Repository, a: Answers) -> Draft:
    agreement = repo.dataset.agreements[a["agreement"]]
    path = _path(repo, RecordKind.REPORT, a["id"], agreement.id)
    start, end = dt.date.fromisoformat(a["start"]), dt.date.fromisoformat(a["end"])
    data = {
        "id": a["id"],
        "partnership": agreement.id,
        "kind": a["type"],
        "period": {"start": start, "end": end},
        "submitted": {"by": a["submitted_by"], "on": dt.date.fromisoformat(a["submitted_on"])},
        "indicator_values": indicator_values(repo.dataset, agreement.id, start, end) or None,
    }
    todo = [
        "indicator_values (the values measured)",
        "validated",
        "expenditures",
        "narrative",
        "lessons",
        "gave_forward",
    ]
    text = _record(repo, RecordKind.REPORT, path, data)
    return Draft("report", path, text, todo, repo.handles(agreement.community))


def _platform(repo: Repository, a: Answers) -> Draft:
    path = _path(repo, RecordKind.PLATFORM, a["id"])
    data = {
        "id": a["id"],
        "name": _text(repo, a["name"]),
        "kind": a["type"],
        "scope": {"country": a["country"]},
    }
    todo = ["scope.subdivisions", "parent", "founded", "description", "members"]
    return Draft("platform", path, _record(repo, RecordKind.PLATFORM, path, data), todo, [])


def _rule(repo: Repository, a: Answers) -> Draft:
    path = _path(repo, RecordKind.RULE, a["id"])
    data = {
        "id": a["id"],
        "code": a["code"],
        "family": a["family"],
        "severity": "warning",
        "applies_to": a["applies_to"],
        "condition": a["condition"],
        "summary": _text(repo, a["summary"]),
        "rationale": _text(repo, a["rationale"]),
        "message": _text(repo, a["message"]),
        "governance": {"status": "proposed"},
        "examples": {"good": [_load(a["good"])], "bad": [_load(a["bad"])]},
    }
    todo = ["when", "field", "hint", "governance (proposed_by, proposed_on)"]
    return Draft("rule", path, _record(repo, RecordKind.RULE, path, data), todo, [])


_BUILDERS = {
    "community": _community,
    "strategy": _strategy,
    "need": _need,
    "donor": _donor,
    "agreement": _agreement,
    "report": _report,
    "platform": _platform,
    "rule": _rule,
}


def build(kind: str, repo: Repository, answers: Answers) -> Draft:
    """The draft of a new record of ``kind`` from checked answers (nothing is written)."""
    return _BUILDERS[kind](repo, answers)


def write(draft: Draft) -> None:
    """Write a draft; a new file never replaces one that exists (FileExistsError)."""
    write_text_atomic(draft.path, draft.text, overwrite=draft.replaces)
