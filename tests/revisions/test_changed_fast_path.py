"""``check --changed-since`` reuses the head's findings of rules that read only their own record;
on many generated changes it must mark exactly the findings a full check of both versions marks.

Each case is a real git repository: the example repository with some rules' failing (or
passing) examples laid over it as the base, committed, and a different mix as the head,
committed or left in the working tree. Besides every rule's own examples, the changes include
cross-file ones: a donor removed (a reference breaks in an agreement left alone), a network rule
whose variable (the community) changes while the strategy it reports on does not, the settings'
exchange rates, a comment-only edit and a file moved.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from solidarity_cli.baseline import changed_files, check_changed_since, fingerprints
from solidarity_cli.checking import check_repository
from solidarity_cli.revisions import revisions
from solidarity_cli.rules import strategies
from solidarity_cli.rules.base import EXAMPLE_AS_OF, Example, Reads
from solidarity_cli.rules.examples import _apply_edits, example_repository
from solidarity_cli.rules.registry import BUILTIN_RULES
from tests.revisions.gitutil import git

COMMUNITY = "data/communities/cruzinha/community.yaml"
STRATEGY = "data/communities/cruzinha/strategies/cruzinha-2025-2028.yaml"
DONOR = "data/donors/fundacao-mar-aberto.yaml"

#: A network rule on strategies that reads the community: a change to the community alone
#: adds or removes a finding on the strategy's file, which does not change.
POPULATION_RULE = """\
id: strategy-population
code: ST590
family: strategies
severity: warning
applies_to: strategy
condition: record.status != 'adopted' || community.population.count >= 400
summary: {en: Adopted strategies come from communities of 400 people or more.}
rationale: {en: A test rule.}
message: {en: The community is small for an adopted strategy.}
governance:
  status: adopted
  adopted_by: Assembleia da Federação
  adopted_on: 2025-01-01
  effective_from: 2025-01-01
examples:
  good: [{status: draft}]
  bad: [{status: adopted}]
  context:
    community: {population: {count: 100, year: 2021, source: Censo 2021}}
"""

Change = tuple[str, Example]


def _cross_file_changes() -> list[Change]:
    return [
        ("donor removed", Example("", files={DONOR: None})),
        ("small community", Example("", edits={COMMUNITY: {"population.count": 300}})),
        ("community in English only", Example("", edits={COMMUNITY: {"languages": ["en"]}})),
        ("no exchange rates", Example("", edits={"solidarity.yaml": {"exchange_rates": []}})),
        ("a comment", Example("", files={"data/vocabularies/README.md": "Notes.\n"})),
        ("strategy moved", Example("", files={"move": STRATEGY})),
    ]


def _changes() -> list[Change]:
    out = _cross_file_changes()
    for rule in BUILTIN_RULES:
        out.append((f"{rule.code} failing", rule.failing))
        out.append((f"{rule.code} passing", rule.passing))
    return out


def _lay(root: Path, changes: list[Change]) -> None:
    """The example repository with ``changes`` laid over it, in ``root`` (emptied first)."""
    for item in list(root.iterdir()) if root.exists() else []:
        if item.name != ".git":
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    shutil.copytree(example_repository(), root, dirs_exist_ok=True)
    (root / "data" / "rules").mkdir()
    (root / "data" / "rules" / "strategy-population.yaml").write_text(POPULATION_RULE, "utf-8")
    for _, example in changes:
        for rel, text in example.files.items():
            if rel == "move":
                assert text is not None
                source = root / text
                if source.exists():
                    # The same content under another name: its records move with it.
                    source.rename(source.with_name("renamed-" + source.name))
                continue
            file = root / rel
            if text is None:
                file.unlink(missing_ok=True)
            else:
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_text(text, encoding="utf-8")
        for rel, edits in example.edits.items():
            # An edit that an earlier change made impossible is left out.
            if (root / rel).exists():
                with contextlib.suppress(KeyError, IndexError, TypeError):
                    _apply_edits(root / rel, dict(edits))


def _commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)


def _reference(root: Path, base: str, day: dt.date) -> tuple[list[str], list[bool]]:
    """Fingerprints and new marks from two full, separate checks (no cache shared)."""
    head = check_repository(root, as_of=day)
    with revisions(root) as opened:
        old_report = check_repository(root, as_of=day, revision=opened.open(base), opened=opened)
    old = Counter(fingerprints(old_report.diagnostics))
    marks = fingerprints(head.diagnostics)
    new = []
    for mark in marks:
        new.append(old[mark] == 0)
        old[mark] -= 1 if old[mark] else 0
    return marks, new


def _cases(count: int, seed: int) -> Iterator[tuple[list[Change], list[Change], bool]]:
    rng = random.Random(seed)
    pool = _changes()
    cross = _cross_file_changes()
    for i in range(count):
        base = rng.sample(pool, rng.randint(0, 3))
        head = [c for c in base if rng.random() < 0.6]
        # One to three changes in the head; every other case at least one across files.
        extra = rng.sample(pool, rng.randint(1, 3))
        if i % 2 == 0:
            extra.append(rng.choice(cross))
        head += [c for c in extra if c not in head]
        yield base, head, i % 3 == 0


def _names(changes: list[Change]) -> str:
    return ", ".join(name for name, _ in changes) or "nothing"


def _compare(root: Path, base: list[Change], head: list[Change], working: bool) -> bool:
    """Lay the base and the head; True when the fast path agrees with the full checks."""
    _lay(root, base)
    _commit(root, "base")
    _lay(root, head)
    if not working:
        _commit(root, "head")
    ref = "HEAD" if working else "HEAD~1"
    fast = check_changed_since(root, ref, as_of=EXAMPLE_AS_OF)
    marks, new = _reference(root, ref, EXAMPLE_AS_OF)
    return fast.fingerprints == marks and fast.new == new


def test_the_fast_path_marks_what_full_checks_mark(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    reused = 0
    for base, head, working in _cases(24, seed=13):
        agree = _compare(root, base, head, working)
        assert agree, f"base: {_names(base)}; head: {_names(head)}; working tree: {working}"
        with revisions(root) as opened:
            at_head = opened.load(opened.open(None)).dataset
            at_base = opened.load(opened.open("HEAD" if working else "HEAD~1")).dataset
            files = changed_files(at_head, at_base)
        reused += files is not None and len(files) < at_head.files
    assert reused >= 12  # most cases took the fast path, so the comparison means something


def test_a_donor_removed_breaks_a_reference_in_an_unchanged_agreement(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    removed = [c for c in _cross_file_changes() if c[0] == "donor removed"]
    assert _compare(root, [], removed, working=False)
    changed = check_changed_since(root, "HEAD~1", as_of=EXAMPLE_AS_OF)
    new = [d for d in changed.new_diagnostics if d.path.endswith("agreement.yaml")]
    assert new and all(d.code.startswith("RF") for d in new)


def test_a_network_rule_speaks_when_only_its_variable_changes(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    small = [c for c in _cross_file_changes() if c[0] == "small community"]
    assert _compare(root, [], small, working=True)
    changed = check_changed_since(root, "HEAD", as_of=EXAMPLE_AS_OF)
    assert [(d.code, d.path) for d in changed.new_diagnostics] == [("ST590", STRATEGY)]


def test_a_wrong_declaration_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ST008 reads the community's languages: declared as reading its own record only, the
    fast path would keep a strategy's old finding; the comparison must see it."""
    monkeypatch.setattr(strategies.InCommunityLanguage, "reads", Reads.OWN_RECORD)
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    english = [c for c in _cross_file_changes() if c[0] == "community in English only"]
    assert not _compare(root, [], english, working=False)


def test_rules_reading_other_records_do_not_claim_otherwise() -> None:
    """Rules known to read other records than the one they report on (a community's
    strategies, an agreement's reports, every agreement of a need) say so."""
    across = {
        "ST002", "ST004", "ST006", "ST008", "PA001", "PA005", "PA006", "PA012",
        "ME002", "ME003", "ME004", "ME005", "ME006", "ME007",
    }  # fmt: skip
    declared = {r.code: r.reads for r in BUILTIN_RULES}
    assert {c for c in across if declared[c] is not Reads.NETWORK} == set()
    assert {c for c, v in declared.items() if v is Reads.OWN_RECORD} >= {"ND001", "PA007"}


def test_changed_settings_check_the_base_in_full(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    rates = [c for c in _cross_file_changes() if c[0] == "no exchange rates"]
    assert _compare(root, [], rates, working=True)
    with revisions(root) as opened:
        at_head = opened.load(opened.open(None)).dataset
        at_base = opened.load(opened.open("HEAD")).dataset
        assert changed_files(at_head, at_base) is None
