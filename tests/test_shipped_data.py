"""The Cape Verde pilot shipped in data/ is complete and checks clean."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache

from solidarity_cli.checking import check_repository
from solidarity_cli.dataset import Dataset
from solidarity_cli.models.agreement import AgreementStatus
from solidarity_cli.models.codes import DonorKind
from solidarity_cli.models.platform import PlatformKind
from solidarity_cli.models.strategy import StrategyStatus
from tests.conftest import PROJECT, Run


@cache
def dataset() -> Dataset:
    report = check_repository(PROJECT, as_of=dt.date(2026, 11, 21))
    assert report.errors == 0, [str(d) for d in report.diagnostics[:5]]
    return report.dataset


def test_check_exits_0_and_counts_the_pilot(cli: Callable[..., Run]) -> None:
    run = cli(["check", "--repo", str(PROJECT), "--format", "json"])
    assert run.exit_code == 0, run.stdout
    records = run.json()["summary"]["records"]
    assert records["communities"] >= 16
    assert records["donors"] >= 10
    assert records["agreements"] >= 8


def test_platforms_and_federation() -> None:
    platforms = dataset().platforms.values()
    kinds = [p.kind for p in platforms]
    assert kinds.count(PlatformKind.MICRO_REGIONAL_PLATFORM) >= 4
    assert PlatformKind.NATIONAL_FEDERATION in kinds


def test_communities_across_islands_and_in_bahia() -> None:
    communities = list(dataset().communities.values())
    cape_verde = [c for c in communities if c.country == "CV"]
    assert len(cape_verde) >= 16
    assert len({c.island for c in cape_verde}) >= 4
    assert sum(c.subdivision == "BR-BA" for c in communities) >= 2
    assert all(c.location is not None for c in communities)


def test_every_community_has_an_adopted_strategy_in_portuguese() -> None:
    ds = dataset()
    for community_id in ds.communities:
        adopted = [s for s in ds.strategies_of(community_id) if s.status is StrategyStatus.ADOPTED]
        assert adopted, community_id
        for strategy in adopted:
            assert 3 <= len(strategy.needs) <= 8, strategy.id
            assert all("pt" in n.title for n in strategy.needs), strategy.id


def test_donors_of_every_kind_and_several_currencies() -> None:
    ds = dataset()
    assert {d.kind for d in ds.donors.values()} == set(DonorKind)
    currencies = {
        c.amount.currency for d in ds.donors.values() for c in d.capacities if c.amount is not None
    }
    assert {"CVE", "EUR", "BRL", "USD"} <= currencies


def test_agreements_across_the_lifecycle_with_monitoring() -> None:
    ds = dataset()
    statuses = {a.status for a in ds.agreements.values()}
    assert {
        AgreementStatus.PROPOSED,
        AgreementStatus.SIGNED,
        AgreementStatus.ACTIVE,
        AgreementStatus.COMPLETED,
    } <= statuses
    assert len(statuses) >= 6
    assert any(a.results and a.results[0].indicators for a in ds.agreements.values())
    assert sum(len(r) for r in ds.reports.values()) >= 8


def test_no_contact_data_in_the_shipped_records() -> None:
    email = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
    phone = re.compile(r"\+\d[\d\s-]{7,}")
    for path in sorted((PROJECT / "data").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert not email.search(text), path
        assert not phone.search(text), path


def test_data_readme_says_what_is_fictional() -> None:
    text = (PROJECT / "data" / "README.md").read_text(encoding="utf-8").lower()
    assert "fictional" in text
