"""import iati and import 360giving: donors by organisation identifier, agreements' money,
problems per element, nothing half-written, and a second import that writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml_rs

from tests.conftest import Run

Cli = Callable[..., Run]
SAMPLES = Path(__file__).parent / "samples"
ACHADA = "data/partnerships/achada-grande-centro-formacao/agreement.yaml"


def _snapshot(repo: Path) -> dict[str, bytes]:
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted(repo.rglob("*.yaml"))}


def _import(
    cli: Cli, repo: Path, fmt: str, file: Path, *extra: str, as_of: str = "2027-02-01"
) -> Run:
    return cli(["import", fmt, str(file), "--repo", str(repo), "--as-of", as_of, *extra])


def _found(run: Run) -> list[tuple[int, str, str]]:
    return [(d["line"], d["severity"], d["code"]) for d in run.json()["diagnostics"]]


def _load(repo: Path, rel: str) -> dict:  # type: ignore[type-arg]
    data = yaml_rs.loads((repo / rel).read_text())
    assert isinstance(data, dict)
    return data


def test_iati_activities(cli: Cli, shipped: Path) -> None:
    before = _snapshot(shipped)
    run = _import(cli, shipped, "iati", SAMPLES / "activities.xml", "--format", "json")
    assert run.exit_code == 0, run.stdout
    assert _found(run) == [(40, "warning", "IM004"), (46, "warning", "IM008")]
    document = run.json()
    assert document["written"] is True
    assert document["created"] == ["data/donors/association-aurore-solidarite-cap-vert.yaml"]
    assert document["files"] == [
        "data/donors/association-aurore-solidarite-cap-vert.yaml",
        "data/donors/val-d-aurore-cooperation.yaml",
        ACHADA,
    ]
    assert document["changes"]["headline"] == "1 added, 2 changed"
    new = _load(shipped, "data/donors/association-aurore-solidarite-cap-vert.yaml")
    assert new == {
        "id": "association-aurore-solidarite-cap-vert",
        "name": "Association Aurore Solidarité Cap-Vert",
        "kind": "ngo",
        "country": "FR",
        "org_id": "FR-RNA-W759876543",
    }
    assert _load(shipped, "data/donors/val-d-aurore-cooperation.yaml")["org_id"] == (
        "FR-RNA-W751234567"
    )
    old = yaml_rs.loads(before[ACHADA].decode())["transactions"]
    now = _load(shipped, ACHADA)["transactions"]
    assert now[: len(old)] == old
    [added] = now[len(old) :]
    assert added["type"] == "disbursement" and str(added["date"]) == "2027-01-20"
    assert added["value"]["amount"] == 8000 and added["value"]["currency"] == "EUR"
    assert added["description"]["pt"] == "Primeira tranche: equipamento das oficinas"
    assert cli(["fmt", "--check", "--repo", str(shipped)]).exit_code == 0
    checked = cli(["check", "--repo", str(shipped), "--format", "json", "--as-of", "2027-02-01"])
    touched = set(document["files"])
    assert not [
        d
        for d in checked.json()["diagnostics"]
        if d["path"] in touched and d["severity"] == "error"
    ]

    written = _snapshot(shipped)
    again = _import(cli, shipped, "iati", SAMPLES / "activities.xml")
    assert again.exit_code == 0
    assert "nothing to change" in again.stdout
    assert _snapshot(shipped) == written


def test_iati_problems_per_element(cli: Cli, shipped: Path) -> None:
    before = _snapshot(shipped)
    run = _import(cli, shipped, "iati", SAMPLES / "activities-problems.xml", "--format", "json")
    assert run.exit_code == 1
    assert _found(run) == [
        (5, "error", "IM008"),
        (8, "warning", "IM006"),
        (11, "warning", "IM006"),
        (12, "error", "IM007"),
        (17, "warning", "IM006"),
        (19, "warning", "IM005"),
    ]
    said = [d["message"] for d in run.json()["diagnostics"]]
    assert said[0] == (
        "element reporting-org: the organisation CV-NIF-512345678 is not a donor of the "
        "network: its type (99) does not tell a kind of donor"
    )
    assert said[1] == "element recipient-country: the country Cabo Verde was read as CV"
    assert said[3] == "element value: the amount 150000 has no currency"
    assert run.json()["written"] is False
    assert _snapshot(shipped) == before


def test_malformed_xml_is_one_finding(cli: Cli, shipped: Path) -> None:
    before = _snapshot(shipped)
    run = _import(cli, shipped, "iati", SAMPLES / "malformed.xml", "--format", "json")
    assert run.exit_code == 2
    [finding] = run.json()["diagnostics"]
    assert (finding["code"], finding["line"]) == ("IM001", 8)
    assert "Opening and ending tag mismatch" in finding["message"]
    assert _snapshot(shipped) == before
    text = _import(cli, shipped, "iati", SAMPLES / "malformed.xml")
    assert "Traceback" not in text.stdout + text.stderr
    assert "nothing was written: the file could not be read" in text.stderr


def test_entities_are_never_resolved(cli: Cli, shipped: Path) -> None:
    run = _import(cli, shipped, "iati", SAMPLES / "entities.xml", "--dry-run", "--format", "json")
    hostname = Path("/etc/hostname")
    secret = hostname.read_text().strip() if hostname.is_file() else "\x00"
    assert secret not in run.stdout + run.stderr
    assert [d["message"] for d in run.json()["diagnostics"]] == [
        "element reporting-org: the organisation FR-RNA-W700000001 is not a donor of the "
        "network: it has no name"
    ]


def test_own_iati_export_imports_as_nothing(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    out = tmp_path / "iati.xml"
    exported = cli(["export", "--repo", str(shipped), "--format", "iati", "--out", str(out)])
    assert exported.exit_code == 0
    before = _snapshot(shipped)
    run = _import(cli, shipped, "iati", out, "--format", "json")
    assert run.exit_code == 0
    assert run.json()["files"] == [] and run.json()["changes"]["headline"] == "no record changed"
    assert [d for d in run.json()["diagnostics"] if d["severity"] == "error"] == []
    assert _snapshot(shipped) == before


def test_360giving_grants(cli: Cli, shipped: Path) -> None:
    run = _import(cli, shipped, "360giving", SAMPLES / "grants.json", "--format", "json")
    assert run.exit_code == 0, run.stdout
    found = [(d["message"].split(":")[0], d["code"]) for d in run.json()["diagnostics"]]
    assert found == [
        ("grants[2].id", "IM004"),
        ("grants[1].awardDate", "IM006"),
        ("grants[1].beneficiaryLocation[0].countryCode", "IM006"),
        ("grants[1].fundingOrganization[1]", "IM006"),
    ]
    assert run.json()["created"] == ["data/donors/island-wells-trust.yaml"]
    assert _load(shipped, "data/donors/fundacao-morabeza.yaml")["org_id"] == "CV-FND-MORABEZA"
    trust = _load(shipped, "data/donors/island-wells-trust.yaml")
    assert (trust["kind"], trust["country"]) == ("foundation", "GB")
    salamansa = _load(shipped, "data/partnerships/salamansa-cooperativa-peixeiras/agreement.yaml")
    [commitment] = salamansa["transactions"]
    assert commitment["type"] == "commitment" and str(commitment["date"]) == "2026-03-26"
    assert commitment["value"]["amount"] == 1500000
    cisterns = _load(shipped, "data/partnerships/cha-das-caldeiras-cisternas/agreement.yaml")
    paid = [t for t in cisterns["transactions"] if t["type"] == "disbursement"]
    assert [(str(t["date"]), t["value"]["amount"]) for t in paid][-1] == ("2026-04-20", 300000)
    assert len(paid) == 3  # the two it had are not added again
    assert cli(["fmt", "--check", "--repo", str(shipped)]).exit_code == 0
    written = _snapshot(shipped)
    again = _import(cli, shipped, "360giving", SAMPLES / "grants.json")
    assert again.exit_code == 0 and _snapshot(shipped) == written


def test_360giving_problems(cli: Cli, shipped: Path) -> None:
    before = _snapshot(shipped)
    run = _import(cli, shipped, "360giving", SAMPLES / "grants-problems.json", "--format", "json")
    assert run.exit_code == 1
    found = [(d["message"].split(":")[0], d["code"]) for d in run.json()["diagnostics"]]
    assert found == [
        ("grants[0].disbursementTransaction[0].transactionDate", "IM005"),
        ("grants[0].disbursementTransaction[1].currency", "IM005"),
        ("grants[0].amountAwarded", "IM006"),
        ("grants[0].fundingOrganization[0]", "IM006"),
        ("grants[0].currency", "IM007"),
    ]
    assert _snapshot(shipped) == before
    broken = _import(cli, shipped, "360giving", SAMPLES / "malformed.json", "--format", "json")
    assert broken.exit_code == 2
    [finding] = broken.json()["diagnostics"]
    assert (finding["code"], finding["line"], finding["column"]) == ("IM001", 4, 1)


def test_own_360giving_export_imports_as_nothing(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    out = tmp_path / "grants.json"
    exported = cli(["export", "--repo", str(shipped), "--format", "360giving", "--out", str(out)])
    assert exported.exit_code == 0
    before = _snapshot(shipped)
    run = _import(cli, shipped, "360giving", out, "--format", "json")
    assert run.exit_code == 0
    assert run.json()["files"] == []
    assert [d for d in run.json()["diagnostics"] if d["severity"] == "error"] == []
    assert _snapshot(shipped) == before


def test_an_unknown_activity_becomes_a_proposed_agreement(cli: Cli, shipped: Path) -> None:
    """An activity for one of the network's communities, with a funder and sectors shared with
    its open needs, is written as a proposed agreement (never signed); one whose sectors match
    no open need is said, with why; a second import writes nothing."""
    checked = cli(["check", "--repo", str(shipped), "--format", "json", "--as-of", "2027-02-01"])
    before_findings = {(d["path"], d["code"]) for d in checked.json()["diagnostics"]}
    sample = SAMPLES / "activities-new.xml"
    run = _import(cli, shipped, "iati", sample, "--format", "json")
    assert run.exit_code == 0, run.stdout
    said = {(d["line"], d["code"]): d for d in run.json()["diagnostics"]}
    assert sorted(said) == [(5, "IM013"), (34, "IM004")], said
    assert "proposed agreement gb-chc-1098765-pb-dessal-01" in said[(5, "IM013")]["message"]
    assert "decision" in said[(5, "IM013")]["hint"]
    assert "none of the open needs of praia-branca" in said[(34, "IM004")]["message"]
    rel = "data/partnerships/gb-chc-1098765-pb-dessal-01/agreement.yaml"
    assert set(run.json()["created"]) == {rel, "data/donors/tidewater-water-trust.yaml"}
    agreement = _load(shipped, rel)
    assert agreement["status"] == "proposed"
    assert "decisions" not in agreement and "signed" not in agreement.get("dates", {})
    assert agreement["community"] == "praia-branca"
    assert agreement["strategy"] == "praia-branca-2025-2028"
    assert agreement["needs"] == ["praia-branca-2025-2028/dessalinizacao-solar"]
    assert agreement["donor"] == "tidewater-water-trust"
    assert agreement["title"] == {
        "pt": "Dessalinização solar em Praia Branca",
        "en": "Solar desalination in Praia Branca",
    }
    assert str(agreement["dates"]["planned_start"]) == "2027-04-01"
    [tx] = agreement["transactions"]
    assert tx["type"] == "commitment" and tx["value"]["amount"] == 30000
    assert tx["value"]["currency"] == "EUR"
    assert (shipped / rel).read_text().startswith("# Imported from activities-new.xml")
    assert _load(shipped, "data/donors/tidewater-water-trust.yaml")["org_id"] == "GB-CHC-1098765"
    assert cli(["fmt", "--check", "--repo", str(shipped)]).exit_code == 0
    checked = cli(["check", "--repo", str(shipped), "--format", "json", "--as-of", "2027-02-01"])
    new = [
        d
        for d in checked.json()["diagnostics"]
        if (d["path"], d["code"]) not in before_findings and d["severity"] == "error"
    ]
    assert new == []  # what a person must add is said as warnings, never a broken record

    written = _snapshot(shipped)
    again = _import(cli, shipped, "iati", sample)
    assert again.exit_code == 0, again.stderr
    assert "nothing to change" in again.stdout
    assert _snapshot(shipped) == written
