"""History from git: a year of monthly commits; each month equals the report at its last commit."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from solidarity_cli.reporting.history import history, markdown, month_ends
from solidarity_cli.reporting.i18n import Locale
from solidarity_cli.reporting.report import render
from tests.conftest import PROJECT, Run, copy_repository
from tests.reporting.links import assert_links_resolve

AGREEMENT = Path("data/partnerships/ribeira-das-pratas-rega-gota-a-gota/agreement.yaml")
REPORTS = Path("data/partnerships/cha-de-igreja-cisterna-comunitaria/reports")
STRATEGY = Path("data/communities/rincao/strategies/rincao-2026-2029.yaml")


def _git(root: Path, *args: str, when: str = "2026-01-01T12:00:00Z") -> str:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        "GIT_AUTHOR_NAME": "Secretária",
        "GIT_AUTHOR_EMAIL": "secretaria@example.org",
        "GIT_COMMITTER_NAME": "Secretária",
        "GIT_COMMITTER_EMAIL": "secretaria@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_GLOBAL": "/dev/null",
    }
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def _commit(root: Path, when: str, message: str) -> None:
    _git(root, "add", "-A", when=when)
    _git(root, "commit", "-q", "-m", message, when=when)


def _month(root: Path, month: int) -> None:
    """One month of the network's life: a tranche paid, a report filed, a need met."""
    path = root / AGREEMENT
    text = path.read_text(encoding="utf-8")
    tranche = (
        f"transactions:\n  - type: disbursement\n    date: 2026-{month:02d}-10\n"
        f"    value: {{amount: {500 * month}.00, currency: EUR, value_date: 2026-{month:02d}-10}}\n"
    )
    path.write_text(text.replace("transactions:\n", tranche, 1), encoding="utf-8")
    if month % 3 == 0:
        late = month == 9
        on = f"2027-0{month // 3}-{'28' if late else '05'}" if month == 12 else None
        submitted = on or ("2026-12-20" if late else f"2026-{month + 1:02d}-05")
        (root / REPORTS / f"h-{month:02d}.yaml").write_text(
            f"id: h-{month:02d}\npartnership: cha-de-igreja-cisterna-comunitaria\n"
            "kind: progress\n"
            f"period: {{start: 2026-{month - 2:02d}-01, end: 2026-{month:02d}-28}}\n"
            f"submitted: {{by: Tesoureira, on: {submitted}}}\n"
            "indicator_values:\n  - result: acesso-agua\n    indicator: familias-200m\n"
            f"    period: {{start: 2026-{month - 2:02d}-01, end: 2026-{month:02d}-28}}\n"
            f"    value: {180 + month}\n",
            encoding="utf-8",
        )
    if month == 6:
        strategy = root / STRATEGY
        text = strategy.read_text(encoding="utf-8")
        strategy.write_text(
            text.replace("    priority: 1\n", "    priority: 1\n    status: met\n", 1),
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data, then a year of monthly commits (two in some months)."""
    root = copy_repository(PROJECT, tmp_path_factory.mktemp("history") / "repo")
    _git(root, "init", "-q", "-b", "main")
    _commit(root, "2025-12-20T09:00:00Z", "Shipped data")
    for month in range(1, 13):
        _month(root, month)
        _commit(root, f"2026-{month:02d}-15T09:00:00Z", f"Month {month}")
        if month in (4, 8):
            (root / "data/README.md").write_text(f"Updated in month {month}.\n", "utf-8")
            _commit(root, f"2026-{month:02d}-28T18:00:00Z", f"Notes of month {month}")
    return root


def _report_at(root: Path, commit: str, day: dt.date) -> tuple[dict[str, str], int]:
    """The report's totals and needs met, as ``report --rev COMMIT`` renders them."""
    site = render(root, day, "en", "md", None, rev=commit).site
    totals = {row.label: row.value for row in site.totals}
    met = {row.label: row.value for row in site.by_status}.get("met", "0")
    return totals, int(met)


def test_month_ends() -> None:
    assert month_ends(dt.date(2026, 3, 9), 3) == [
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
    ]


def test_each_month_equals_the_report_at_its_last_commit(year: Path) -> None:
    points = history(year, 14, until=dt.date(2026, 12, 31))
    # November 2025 comes before the first commit: it has no point.
    assert points[0].month_end == dt.date(2025, 12, 31)
    assert len(points) == 13
    loc = Locale("en")
    log = _git(year, "log", "--format=%H %cs")
    dated = [(dt.date.fromisoformat(d), c) for c, d in (line.split() for line in log.splitlines())]
    for point in points:
        last = max((d, c) for d, c in dated if d <= point.month_end)
        assert point.commit == last[1]
        totals, met = _report_at(year, point.commit, point.month_end)
        assert totals["Committed"] == loc.money(point.committed, "EUR")
        assert totals["Disbursed"] == loc.money(point.disbursed, "EUR")
        assert totals["Spent"] == loc.money(point.spent, "EUR")
        assert met == point.needs_met
    paid = [p.disbursed for p in points]
    assert paid == sorted(paid)
    assert round(paid[-1] - paid[0], 2) == sum(500 * m for m in range(1, 13))
    assert points[6].needs_met == points[5].needs_met + 1
    key = "cha-de-igreja-cisterna-comunitaria/acesso-agua/familias-200m"
    # The latest value is that of the latest period: the shipped one to September, then ours.
    assert [p.indicators[key] for p in points[3:13:3]] == [172, 172, 172, 192]
    assert points[9].reports_on_time == points[8].reports_on_time  # September's was late
    assert points[9].reports == points[8].reports + 1


def test_the_last_point_is_judged_on_the_last_day_not_a_month_end_to_come(year: Path) -> None:
    points = history(year, 2, until=dt.date(2026, 12, 7))
    assert [p.month_end for p in points] == [dt.date(2026, 11, 30), dt.date(2026, 12, 7)]
    # Nothing committed after the day counts: December's tranche was committed on the 15th.
    assert points[1].disbursed == points[0].disbursed


def test_markdown_table(year: Path) -> None:
    points = history(year, 3, until=dt.date(2026, 12, 31))
    text = markdown(points, Locale("pt"), "EUR")
    assert text.startswith("## ")
    assert text.count("\n| ") >= 5
    assert "31/12/2026" in text


def test_report_history_in_markdown_and_on_the_site(
    year: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    args = ["report", "--format", "md", "--lang", "en", "--history", "3", "--repo", str(year)]
    run = cli([*args, "--as-of", "2026-12-31"])
    assert run.exit_code == 0, run.stderr
    assert "## The network over time" in run.stdout
    assert "31 Dec 2026" in run.stdout
    # On a day within a month, its point is judged on that day, not on the month's end to come.
    run = cli([*args, "--as-of", "2026-12-07"])
    assert "7 Dec 2026" in run.stdout and "31 Dec 2026" not in run.stdout
    site = tmp_path / "site"
    run = cli(["report", "--history", "12", "--repo", str(year), "--out", str(site),
               "--as-of", "2026-12-31"])  # fmt: skip
    assert run.exit_code == 0, run.stderr
    page = (site / "history.html").read_text(encoding="utf-8")
    assert page.count("<polyline") == 3
    # Offline: nothing is fetched from elsewhere.
    assert 'src="http' not in page and 'href="http' not in page
    # Every page's menu links to it, and every link of the site resolves.
    files = {
        p.relative_to(site).as_posix(): p.read_text("utf-8") for p in site.rglob("*") if p.is_file()
    }
    assert '<a href="history.html">Histórico</a>' in files["index.html"]
    assert '<a href="../history.html">Histórico</a>' in files["communities/index.html"]
    assert_links_resolve(files)
    plain = tmp_path / "plain"
    run = cli(["report", "--repo", str(year), "--out", str(plain)])
    assert run.exit_code == 0, run.stderr
    assert not (plain / "history.html").exists()
    assert not any("history.html" in p.read_text("utf-8") for p in plain.rglob("*.html"))


def test_history_outside_git_is_a_clear_failure(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = copy_repository(PROJECT, tmp_path / "plain")
    run = cli(["report", "--format", "md", "--history", "2", "--repo", str(root)])
    assert run.exit_code == 2
    assert "is not a git repository" in run.stderr
