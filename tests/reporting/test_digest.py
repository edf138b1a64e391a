"""Digests of what each community, donor and platform owes: golden files, files, privacy."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from solidarity_cli.reporting.digest import digests, render_digest
from tests.conftest import Run

GOLDEN = Path(__file__).parent / "golden" / "digest"
REGENERATE = os.environ.get("SOLIDARITY_REGENERATE") == "1"
DAY = "2027-01-01"
RECIPIENTS = [
    ("community", "coculi"),
    ("community", "cha-de-igreja"),
    ("donor", "amigos-da-garca-roterdao"),
    ("platform", "federacao-nacional"),
]


@pytest.mark.parametrize("language", ["en", "pt"])
@pytest.mark.parametrize(("kind", "ident"), RECIPIENTS)
def test_digest_matches_golden(
    cli: Callable[..., Run], shipped: Path, kind: str, ident: str, language: str
) -> None:
    args = ["report", "--repo", str(shipped), "--format", "digest", "--for", kind, ident]
    args += ["--as-of", DAY]
    # pt is these recipients' own language; en is asked for.
    run = cli([*args, "--lang", "en"] if language == "en" else args)
    assert run.exit_code == 0, run.stderr
    golden = GOLDEN / f"{kind}-{ident}.{language}.md"
    if REGENERATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(run.stdout, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == run.stdout


def test_digest_holds_the_obligations_late_and_soon(cli: Callable[..., Run], shipped: Path) -> None:
    run = cli(["report", "--repo", str(shipped), "-f", "digest", "--as-of", DAY, "--lang", "en"])
    [platform] = [p for p in run.stdout.split("\n---\n") if "National Federation" in p]
    late, _, rest = platform.partition("### In the next 30 days")
    assert "### Late" in late and "report" in late
    due_to = platform.partition("## Due to its communities")[2]
    assert "### Late" in due_to and "disbursement" in due_to.partition("### In the next")[0]
    soon = rest.partition("### Later")[0]
    assert "15 Jan 2027 · decision · Coculi kindergarten" in soon
    assert "to decide before its planned start, 2027-01-15" in soon
    assert "commitments due by" in platform


def test_each_recipient_in_its_own_language(shipped: Path) -> None:
    found = {(d.kind, d.id): d for d in digests(shipped, dt.date.fromisoformat(DAY))}
    assert found["donor", "val-d-aurore-cooperation"].language == "fr"
    assert found["donor", "atlantic-commons-foundation"].language == "en"
    assert found["community", "coculi"].language == "pt"
    assert "Ce que le donateur doit" in render_digest(
        found["donor", "val-d-aurore-cooperation"], shipped
    )


def test_out_writes_one_file_per_recipient_and_never_clobbers(
    cli: Callable[..., Run], shipped: Path, tmp_path: Path
) -> None:
    out = tmp_path / "digests"
    args = ["report", "--repo", str(shipped), "-f", "digest", "--as-of", DAY, "--out", str(out)]
    assert cli(args).exit_code == 0
    names = sorted(p.name for p in out.iterdir())
    assert "community-coculi.md" in names and "platform-federacao-nacional.md" in names
    assert "donor-amigos-da-garca-roterdao.md" in names
    assert all(n.split("-")[0] in ("community", "donor", "platform") for n in names)
    assert cli(args).exit_code == 0  # same text: nothing to replace
    (out / "community-coculi.md").write_text("a contributor's notes\n", encoding="utf-8")
    refused = cli(args)
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert (out / "community-coculi.md").read_text(encoding="utf-8") == "a contributor's notes\n"
    assert cli([*args, "--force"]).exit_code == 0
    assert "Coculi" in (out / "community-coculi.md").read_text(encoding="utf-8")


def test_anonymous_donors_and_private_fields_never_appear(shipped: Path) -> None:
    from solidarity_cli.reading import load_repository

    ds = load_repository(shipped).dataset
    anonymous = [d for d in ds.donors.values() if d.is_anonymous]
    private = [c for c in ds.communities.values() if c.private]
    assert anonymous and private
    every = digests(shipped, dt.date.fromisoformat(DAY))
    text = "\n".join(render_digest(d, shipped) for d in every)
    assert any(d.kind == "donor" and d.id.startswith("anonymous-") for d in every)
    for donor in anonymous:
        assert donor.id not in text
        assert donor.name is None or donor.name not in text
        if donor.private_reference is not None:
            assert donor.private_reference not in text
    for community in private:
        if "association" in community.private:
            assert community.association.name not in text


def test_unknown_recipient_and_for_without_digest(cli: Callable[..., Run], shipped: Path) -> None:
    run = cli(["report", "--repo", str(shipped), "-f", "digest", "--for", "donor", "nobody"])
    assert run.exit_code == 2 and "nobody" in run.stderr
    run = cli(["report", "--repo", str(shipped), "-f", "md", "--for", "community", "coculi"])
    assert run.exit_code == 2 and "--format digest" in run.stderr


def test_an_anonymous_donor_is_found_by_its_id_but_not_named(
    cli: Callable[..., Run], shipped: Path
) -> None:
    from solidarity_cli.reading import load_repository

    ds = load_repository(shipped).dataset
    donor = next(d for d in ds.donors.values() if d.is_anonymous)
    run = cli(["report", "--repo", str(shipped), "-f", "digest", "--for", "donor", donor.id])
    assert run.exit_code == 0, run.stderr
    assert run.stdout.startswith("# ")
    assert donor.id not in run.stdout
    assert donor.private_reference is None or donor.private_reference not in run.stdout
