"""One change to the shipped data that does a bit of everything ``diff`` speaks of."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import PROJECT, copy_repository

PARTNERSHIPS = Path("data/partnerships")
#: Files the tests of unreadable files break.
COCULI = "data/communities/coculi/community.yaml"
MUTIRAO = "data/donors/mutirao-digital.yaml"
#: A line that breaks a file's YAML.
BROKEN_YAML = "notes: [never closed\n"

NEW_REPORT = """\
id: 2026-t4
partnership: cha-de-igreja-cisterna-comunitaria
kind: progress
period: {start: 2026-10-01, end: 2026-12-31}

submitted:
  by: Tesoureira da associação
  on: 2027-01-12

indicator_values:
  - result: acesso-agua
    indicator: familias-200m
    period: {start: 2026-10-01, end: 2026-12-31}
    value: 185
"""

NEW_NEED = """\
needs:
  - id: posto-saude
    title:
      pt: Posto de saúde comunitário
      en: Community health post
    dimension: health
    kind: financial
    estimated_cost: {amount: 2500000, currency: CVE, value_date: 2026-11-30}
    priority: 3
"""


def edit(path: Path, old: str, new: str) -> None:
    """``old`` replaced once by ``new`` in the file ``path`` (which must hold it)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def apply(root: Path) -> None:
    """Sign an agreement, disburse a tranche, add a need, file a report, rename a donor."""
    coculi = root / PARTNERSHIPS / "coculi-jardim-infantil" / "agreement.yaml"
    edit(coculi, "status: proposed", "status: signed")
    edit(
        coculi,
        "dates: {planned_start: 2027-01-15, planned_end: 2027-09-30}",
        "dates: {planned_start: 2027-01-15, planned_end: 2027-09-30, signed: 2026-12-14}\n"
        "\ndecisions:\n  - {body: Assembleia Geral, date: 2026-12-13}\n"
        "\ntransactions:\n  - type: commitment\n    date: 2026-12-14\n"
        "    value: {amount: 10000.00, currency: USD, value_date: 2026-12-14}",
    )
    ribeira = root / PARTNERSHIPS / "ribeira-das-pratas-rega-gota-a-gota" / "agreement.yaml"
    edit(
        ribeira,
        "transactions:\n",
        "transactions:\n  - type: disbursement\n    date: 2026-10-01\n"
        "    value: {amount: 10000.00, currency: EUR, value_date: 2026-10-01}\n",
    )
    rincao = root / "data/communities/rincao/strategies/rincao-2026-2029.yaml"
    edit(rincao, "needs:\n", NEW_NEED)
    reports = root / PARTNERSHIPS / "cha-de-igreja-cisterna-comunitaria" / "reports"
    (reports / "2026-t4.yaml").write_text(NEW_REPORT, encoding="utf-8")
    donors = root / "data/donors"
    old = donors / "professores-aposentados-assomada.yaml"
    new = donors / "professores-reformados-assomada.yaml"
    new.write_text(
        old.read_text(encoding="utf-8").replace(
            "id: professores-aposentados-assomada", "id: professores-reformados-assomada"
        ),
        encoding="utf-8",
    )
    old.unlink()


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` with a fixed identity and dates; its output."""
    env = {
        "GIT_AUTHOR_NAME": "Secretária",
        "GIT_AUTHOR_EMAIL": "secretaria@example.org",
        "GIT_COMMITTER_NAME": "Secretária",
        "GIT_COMMITTER_EMAIL": "secretaria@example.org",
        "GIT_AUTHOR_DATE": "2026-12-15T10:00:00Z",
        "GIT_COMMITTER_DATE": "2026-12-15T10:00:00Z",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(root),
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def commit(root: Path, message: str) -> None:
    """Commit every file of ``root`` as it is, starting the repository if there is none."""
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def history(root: Path) -> None:
    """Two commits: the shipped data, then the change."""
    commit(root, "Shipped data")
    apply(root)
    commit(root, "December's changes")


def shipped(root: Path) -> Path:
    """The shipped data at ``root``, in a git repository of one commit."""
    copy_repository(PROJECT, root)
    commit(root, "Shipped data")
    return root
