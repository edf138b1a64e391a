"""``solidarity diff`` between two real commits: each change named in words, golden Markdown."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PROJECT, Run, copy_repository
from tests.diffing import scenario
from tests.diffing.scenario import BROKEN_YAML, COCULI, MUTIRAO

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("SOLIDARITY_REGENERATE") == "1"

Cli = Callable[..., Run]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The shipped data in a git repository: a first commit, then December's changes."""
    root = copy_repository(PROJECT, tmp_path / "repo")
    scenario.history(root)
    return root


def _named(root: Path, text: str) -> str:
    """The output with the two commits' ids replaced by BASE and HEAD (they follow the data)."""
    for rev, name in (("HEAD~1", "BASE"), ("HEAD", "HEAD")):
        text = text.replace(scenario.git(root, "rev-parse", rev).strip()[:12], name)
    return text


@pytest.mark.parametrize("language", ["en", "pt"])
def test_markdown_names_each_change_and_matches_golden(language: str, repo: Path, cli: Cli) -> None:
    run = cli(["diff", "HEAD~1", "HEAD", "--format", "md", "--lang", language, "--repo", str(repo)])
    assert run.exit_code == 0, run.stderr
    text = _named(repo, run.stdout)
    golden = GOLDEN / f"december-{language}.md"
    if REGENERATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


EXPECTED = {
    "en": [
        "1 added, 3 changed, 1 moved",
        "agreement 'Coculi kindergarten' moved from proposed to signed",
        "10,000.00 EUR disbursed by Pontes Solidárias",
        "need 'Community health post' added to strategy",
        "2,500,000.00 CVE (22,672.65 EUR)",
        "progress report 2026-t4 filed on agreement cha-de-igreja-cisterna-comunitaria",
        "moves from 172 to 185",
        "renamed from professores-aposentados-assomada to professores-reformados-assomada",
    ],
    "pt": [
        "1 acrescentado, 3 alterados, 1 movido",
        "acordo 'Jardim infantil de Coculi' passou de proposta a assinada",
        "10 000,00 EUR desembolsados por Pontes Solidárias",
        "necessidade 'Posto de saúde comunitário' acrescentada à estratégia",
        "passa de 172 a 185",
        "renomeado de professores-aposentados-assomada para professores-reformados-assomada",
    ],
}


@pytest.mark.parametrize("language", ["en", "pt"])
def test_each_change_is_said_in_words(language: str, repo: Path, cli: Cli) -> None:
    run = cli(["diff", "HEAD~1", "HEAD", "--lang", language, "--repo", str(repo)])
    assert run.exit_code == 0, run.stderr
    said = run.stdout.replace("\u00a0", " ").replace("\u202f", " ")
    for sentence in EXPECTED[language]:
        assert sentence in said, sentence
    # The default speaks of what people care about, not of YAML keys.
    assert "transactions[" not in run.stdout


def test_anonymous_donor_never_named(repo: Path, cli: Cli) -> None:
    for output in ("text", "md", "json"):
        run = cli(["diff", "HEAD~1", "HEAD", "-f", output, "--detail", "--repo", str(repo)])
        assert run.exit_code == 0
        assert "an anonymous donor" in run.stdout or "anonymous" in run.stdout
        assert "Jorge" not in run.stdout
        assert "doador-diaspora-boston" not in run.stdout


def test_detail_lists_fields(repo: Path, cli: Cli) -> None:
    run = cli(["diff", "HEAD~1", "HEAD", "--detail", "--repo", str(repo)])
    assert "transactions[0].type: ∅ → disbursement" in run.stdout
    assert "status: proposed → signed" in run.stdout


def test_json_for_scripts(repo: Path, cli: Cli) -> None:
    document = cli(["diff", "HEAD~1", "HEAD", "-f", "json", "--repo", str(repo)]).json()
    assert document["counts"] == {
        "added": 1,
        "changed": 3,
        "unreadable": 0,
        "fixed": 0,
        "moved": 1,
        "removed": 0,
    }
    moved = [c for c in document["changes"] if c["action"] == "moved"]
    assert moved[0]["old_path"] == "data/donors/professores-aposentados-assomada.yaml"
    assert moved[0]["old_record"] == "professores-aposentados-assomada"
    assert moved[0]["record"] == "professores-reformados-assomada"


def test_working_tree_is_the_default_head(repo: Path, cli: Cli) -> None:
    assert "no record changed" in cli(["diff", "--repo", str(repo)]).stdout
    strategy = repo / "data/communities/rincao/strategies/rincao-2026-2029.yaml"
    text = strategy.read_text(encoding="utf-8")
    strategy.write_text(text.replace("priority: 3\n", "priority: 4\n", 1), encoding="utf-8")
    run = cli(["diff", "--repo", str(repo)])
    assert "1 changed (from HEAD to working tree)" in _named(repo, run.stdout)
    assert "need 'Community health post' moved from priority 3 to 4" in run.stdout


@pytest.mark.parametrize("rev", ["no-such-branch", "HEAD~9"])
def test_bad_revision_is_a_clear_failure(rev: str, repo: Path, cli: Cli) -> None:
    run = cli(["diff", rev, "--repo", str(repo)])
    assert run.exit_code == 2
    assert f"there is no version '{rev}' in this repository" in run.stderr
    assert "git log --oneline" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_not_a_git_repository(tmp_path: Path, cli: Cli) -> None:
    root = copy_repository(PROJECT, tmp_path / "plain")
    run = cli(["diff", "--repo", str(root)])
    assert run.exit_code == 2
    assert "is not a git repository" in run.stderr


def test_shallow_clone_says_how_to_fetch(repo: Path, tmp_path: Path, cli: Cli) -> None:
    clone = tmp_path / "clone"
    scenario.git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    run = cli(["diff", "HEAD~1", "--repo", str(clone)])
    assert run.exit_code == 2
    assert "git fetch --unshallow" in run.stderr
    assert "fetch-depth: 0" in run.stderr


def test_unknown_language_is_a_clear_failure(repo: Path, cli: Cli) -> None:
    run = cli(["diff", "--lang", "xx", "--repo", str(repo)])
    assert run.exit_code == 2
    assert "--lang xx: there is no such language" in run.stderr
    assert "internal error" not in run.stderr


@pytest.fixture
def mistakes(tmp_path: Path) -> Path:
    """The shipped data, then a commit with a typo in a community and broken YAML in a donor."""
    root = scenario.shipped(tmp_path / "repo")
    scenario.edit(root / COCULI, "kind: village", "kind: vilage")
    donor = root / MUTIRAO
    donor.write_text(donor.read_text(encoding="utf-8") + BROKEN_YAML, encoding="utf-8")
    scenario.commit(root, "Two mistakes")
    return root


def test_a_file_that_cannot_be_read_is_not_called_removed(mistakes: Path, cli: Cli) -> None:
    run = cli(["diff", "HEAD~1", "HEAD", "--repo", str(mistakes)])
    assert run.exit_code == 0, run.stderr
    assert _named(mistakes, run.stdout) == (
        "2 unreadable (from BASE to HEAD)\n"
        f"! community {COCULI}\n"
        "    community Coculi: its file changed and can no longer be read; run solidarity check "
        "to see why\n"
        f"! donor {MUTIRAO}\n"
        "    donor Mutirão Digital — financiamento coletivo solidário: its file changed and can "
        "no longer be read; run solidarity check to see why\n"
    )
    assert run.stderr == ""


def test_a_file_fixed_is_readable_again(mistakes: Path, cli: Cli) -> None:
    run = cli(["diff", "HEAD", "HEAD~1", "--repo", str(mistakes)])
    assert run.exit_code == 0, run.stderr
    assert "2 readable again (from " in run.stdout
    assert f"~ community {COCULI}\n" in run.stdout
    assert "community Coculi: its file changed and can be read again" in run.stdout
    assert "added" not in run.stdout and "removed" not in run.stdout


def test_json_says_unreadable_and_fixed(mistakes: Path, cli: Cli) -> None:
    document = cli(["diff", "HEAD~1", "HEAD", "-f", "json", "--repo", str(mistakes)]).json()
    assert document["counts"] == {
        "added": 0,
        "changed": 0,
        "unreadable": 2,
        "fixed": 0,
        "moved": 0,
        "removed": 0,
    }
    assert document["headline"] == "2 unreadable"
    assert [(c["action"], c["record"], c["path"], c["fields"]) for c in document["changes"]] == [
        ("unreadable", "coculi", COCULI, []),
        ("unreadable", "mutirao-digital", MUTIRAO, []),
    ]
    back = cli(["diff", "HEAD", "HEAD~1", "-f", "json", "--repo", str(mistakes)]).json()
    assert [c["action"] for c in back["changes"]] == ["fixed", "fixed"]
    assert back["counts"]["fixed"] == 2 and back["counts"]["added"] == 0


def test_markdown_and_other_languages_say_it_too(mistakes: Path, cli: Cli) -> None:
    args = ["diff", "HEAD~1", "HEAD", "--repo", str(mistakes)]
    markdown = cli([*args, "-f", "md"]).stdout
    assert "#### Files that cannot be read\n" in markdown
    assert "Removed" not in markdown
    said = {
        "pt": "comunidade Coculi: o ficheiro mudou e já não pode ser lido; execute solidarity "
        "check para ver porquê",
        "fr": "communauté Coculi\u00a0: son fichier a changé et ne peut plus être lu\u202f; "
        "lancez solidarity check pour savoir pourquoi",
        "es": "comunidad Coculi: su archivo cambió y ya no se puede leer; ejecute solidarity "
        "check para ver por qué",
    }
    for language, sentence in said.items():
        run = cli([*args, "--lang", language])
        assert run.exit_code == 0, run.stderr
        assert sentence in run.stdout, run.stdout
        assert "can no longer be read" not in run.stdout
