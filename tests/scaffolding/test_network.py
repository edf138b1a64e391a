"""``init`` writes a network that passes ``check`` at once."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from solidarity_cli.checking import check_repository
from solidarity_cli.errors import UsageError
from solidarity_cli.scaffolding.network import HOOKS, init_network
from tests.conftest import PROJECT, Run
from tests.revisions.gitutil import git


def test_init_passes_check_and_saves_a_first_version(tmp_path: Path) -> None:
    root = tmp_path / "rede"
    created = init_network(root, name="Rede de Teste", language="pt", languages=["en"])
    assert (root / "solidarity.yaml").is_file()
    assert (root / "schemas" / "community.schema.json").is_file()
    assert (root / ".github" / "workflows" / "check-data.yml").is_file()
    assert "Onde está cada coisa" in (root / "README.md").read_text(encoding="utf-8")
    for folder in ("communities", "donors", "partnerships", "platforms", "rules"):
        assert (root / "data" / folder).is_dir()
    assert check_repository(root).exit_code() == 0
    if shutil.which("git"):
        assert created.git in ("committed", "initialised")
        tracked = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert created.git != "committed" or tracked == ""


@pytest.mark.parametrize(("language", "heading"), [("fr", "Ajouter une fiche"), ("es", "Añadir")])
def test_readme_in_the_network_language(tmp_path: Path, language: str, heading: str) -> None:
    init_network(tmp_path / "n", name="Réseau", language=language, git=False)
    assert heading in (tmp_path / "n" / "README.md").read_text(encoding="utf-8")


def test_refuses_a_folder_with_files_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="already has files"):
        init_network(tmp_path, name="Net", git=False)
    init_network(tmp_path, name="Net", force=True, git=False)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "solidarity.yaml").is_file()


def test_pre_commit_hooks_exist_in_the_project() -> None:
    hooks = YAML(typ="safe").load((PROJECT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert set(HOOKS) <= {hook["id"] for hook in hooks}


def test_workflow_and_pre_commit_name_the_tool_repository(tmp_path: Path) -> None:
    init_network(tmp_path / "n", name="Net", tool_repo="example/solidarity", git=False)
    workflow = YAML(typ="safe").load((tmp_path / "n/.github/workflows/check-data.yml").read_text())
    uses = workflow["jobs"]["check"]["uses"]
    assert uses == "example/solidarity/.github/workflows/solidarity.yml@v0"
    config = YAML(typ="safe").load((tmp_path / "n/.pre-commit-config.yaml").read_text())
    assert config["repos"][0]["repo"] == "https://github.com/example/solidarity"
    ids = [hook["id"] for hook in config["repos"][0]["hooks"]]
    assert ids == ["solidarity-check", "solidarity-fmt"]


def test_without_git_it_says_so_and_carries_on(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    result = cli(["init", str(tmp_path / "n"), "--name", "Net"])
    assert result.exit_code == 0, result.stderr
    assert "git is not installed" in result.stderr
    assert not (tmp_path / "n" / ".git").exists()
    assert (tmp_path / "n" / "solidarity.yaml").is_file()


def test_settings_explained_in_the_network_language(tmp_path: Path) -> None:
    init_network(tmp_path / "n", name="Rede: Norte", language="pt", currency="CVE", git=False)
    text = (tmp_path / "n" / "solidarity.yaml").read_text(encoding="utf-8")
    assert "# A moeda em que se contam os totais (ISO 4217)." in text
    settings = YAML(typ="safe").load(text)
    assert settings["name"] == {"pt": "Rede: Norte"}
    assert settings["base_currency"] == "CVE"


def test_cli_refuses_a_folder_with_files(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = cli(["init", str(tmp_path), "--name", "Net"])
    assert result.exit_code == 2
    assert "already has files in it" in result.stderr
    assert "--force" in result.stderr
    assert not (tmp_path / "solidarity.yaml").exists()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_without_a_name_says_what_to_do(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fresh account: no global settings, and git must not guess a name.
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "empty-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "user.useConfigOnly")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "true")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    result = cli(["init", str(tmp_path / "n"), "--name", "Net"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "n" / ".git").is_dir()
    assert "does not know your name yet" in result.stderr
    assert 'git config --global user.name "Your Name"' in result.stderr
    # The files init wrote wait in git's index, so git commit alone saves them and nothing else.
    assert 'then git commit -m "Start"' in result.stderr
    assert "git add -A" not in result.stderr
    assert "solidarity.yaml" in git(tmp_path / "n", "ls-files").split()


@pytest.fixture
def git_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git knows a name, and no setting of the machine's changes what init saves."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "empty-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for key in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{key}_NAME", "Secretary")
        monkeypatch.setenv(f"GIT_{key}_EMAIL", "secretary@example.org")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.usefixtures("git_identity")
def test_first_version_holds_only_the_files_init_wrote(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    root = tmp_path / "net7"
    root.mkdir()
    (root / "contacts-private.txt").write_text("phone +238 999 1234\n", encoding="utf-8")
    result = cli(["init", str(root), "--name", "W", "--force"])
    assert result.exit_code == 0, result.stderr
    assert "Its first version is saved in git's history." in result.stderr
    written = {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(root).parts[:1]
    } - {"contacts-private.txt"}
    assert {"solidarity.yaml", "README.md", ".gitignore", "data/rules/.gitkeep"} <= written
    committed = git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert set(committed) == written
    assert "contacts-private.txt" not in git(root, "ls-files").split()
    assert git(root, "status", "--porcelain") == "?? contacts-private.txt\n"
    assert (root / "contacts-private.txt").read_text(encoding="utf-8") == "phone +238 999 1234\n"
    assert "were already in the folder are not saved" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.usefixtures("git_identity")
def test_force_in_a_repository_leaves_the_pending_work_alone(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    root = tmp_path / "rede"
    init_network(root, name="Rede")
    head = git(root, "rev-parse", "HEAD")
    # Work the network has not saved yet: a new record, one staged, an edited file.
    (root / "data" / "communities" / "cruzinha.yaml").write_text("id: cruzinha\n", "utf-8")
    (root / "data" / "donors" / "amigos.yaml").write_text("id: amigos\n", "utf-8")
    git(root, "add", "data/donors/amigos.yaml")
    with (root / "README.md").open("a", encoding="utf-8") as readme:
        readme.write("\nOur notes.\n")
    (root / "data" / "platforms" / ".gitkeep").unlink()
    assert git(root, "status", "--porcelain", "-uall") == (
        " M README.md\n"
        "A  data/donors/amigos.yaml\n"
        " D data/platforms/.gitkeep\n"
        "?? data/communities/cruzinha.yaml\n"
    )

    result = cli(["init", str(root), "--name", "Rede", "--force"])
    assert result.exit_code == 0, result.stderr
    assert git(root, "rev-parse", "HEAD") == head
    assert git(root, "rev-list", "--count", "HEAD") == "1\n"
    # init put back the file that was missing and left every other change where it was.
    assert (root / "data" / "platforms" / ".gitkeep").is_file()
    assert git(root, "status", "--porcelain", "-uall") == (
        " M README.md\nA  data/donors/amigos.yaml\n?? data/communities/cruzinha.yaml\n"
    )
    assert "Started the network in" in result.stderr
    assert "(1 file)." in " ".join(result.stderr.split())  # the missing .gitkeep
    assert "Its first version is saved" not in result.stderr
    assert "is a git repository already, so init saved nothing in it" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.usefixtures("git_identity")
def test_a_new_repository_with_nothing_written_saves_nothing(tmp_path: Path) -> None:
    # The network was started where git was not installed; git is there now.
    init_network(tmp_path / "n", name="Net", git=False)
    created = init_network(tmp_path / "n", name="Net", force=True)
    assert (created.files, created.git) == ([], "empty")
    assert git(tmp_path / "n", "ls-files") == ""
    assert git(tmp_path / "n", "rev-list", "--all") == ""


@pytest.mark.parametrize(
    ("option", "said"),
    [
        (["--currency", "XYZ"], "'XYZ' is not a known ISO 4217 currency code"),
        (["--language", "english"], "'english' is not an ISO 639 language code"),
    ],
)
def test_a_wrong_setting_is_said_in_plain_words(
    cli: Callable[..., Run], tmp_path: Path, option: list[str], said: str
) -> None:
    run = cli(["init", str(tmp_path / "net"), "--name", "Net", *option])
    assert run.exit_code == 2
    assert f"the settings would not be valid: {said}" in " ".join(run.stderr.split())
    assert "Value error" not in run.stderr
    assert not (tmp_path / "net").exists() or not any((tmp_path / "net").iterdir())
