"""What a donor can still give: held tranches and overlapping capacity windows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from solidarity_cli.matching.problem import donor_supply
from solidarity_cli.money import Converter
from solidarity_cli.reading import load_repository
from tests.conftest import Run

DONOR = "fundacao-mar-aberto"
AGREEMENT = Path("data/partnerships/cruzinha-cisterna/agreement.yaml")
COMMITMENT = """  - type: commitment
    date: 2025-03-20
    value: {amount: 10000, currency: EUR, value_date: 2025-03-20}
"""


def _money(root: Path, day: dt.date) -> int:
    """What the donor can still give on ``day``, in cents of the base currency (EUR)."""
    ds = load_repository(root).dataset
    return donor_supply(ds, Converter(ds.settings), day)[DONOR].money


def _split(root: Path, hold: str) -> None:
    """Commit 6,000 now and 4,000 in a second tranche that waits for ``hold``."""
    path = root / AGREEMENT
    text = path.read_text(encoding="utf-8")
    assert COMMITMENT in text
    path.write_text(
        text.replace(
            COMMITMENT,
            """  - type: commitment
    date: 2025-03-20
    value: {amount: 6000, currency: EUR, value_date: 2025-03-20}
  - type: commitment
    date: 2025-03-20
    value: {amount: 4000, currency: EUR, value_date: 2025-03-20}
    due: 2025-07-01
"""
            + f"    after: {hold}\n",
        ),
        encoding="utf-8",
    )


def test_a_tranche_waiting_for_a_date_is_not_the_donors_until_then(minimal: Path) -> None:
    day = dt.date(2025, 6, 1)
    assert _money(minimal, day) == 30_000_00  # 40,000 a year less the 10,000 committed
    _split(minimal, "{date: 2025-08-01}")
    assert _money(minimal, day) == 34_000_00  # the second tranche is held
    assert _money(minimal, dt.date(2025, 9, 1)) == 30_000_00  # and counts once it holds


def test_a_tranche_waiting_for_a_report_counts_once_the_report_is_in(minimal: Path) -> None:
    _split(minimal, "{report: 2025-q3}")
    assert _money(minimal, dt.date(2025, 11, 1)) == 34_000_00  # no such report yet
    reports = minimal / AGREEMENT.parent / "reports"
    q2 = (reports / "2025-q2.yaml").read_text(encoding="utf-8")
    q3 = (
        q2.replace("id: 2025-q2", "id: 2025-q3")
        .replace("2025-07-10", "2025-10-10")
        .replace("2025-07-08", "2025-10-08")
    )
    (reports / "2025-q3.yaml").write_text(q3, encoding="utf-8")
    assert _money(minimal, dt.date(2025, 9, 1)) == 34_000_00  # sent after that day
    assert _money(minimal, dt.date(2025, 11, 1)) == 30_000_00


def test_the_match_reads_the_report_a_tranche_waits_for(
    minimal: Path, cli: Callable[..., Run]
) -> None:
    _split(minimal, "{report: 2025-q2}")  # received on 2025-07-10

    def left() -> str:
        run = cli(
            [
                *("match", "--repo", str(minimal), "--as-of", "2025-11-01"),
                *("--format", "json", "--donor", DONOR),
            ]
        )
        assert run.exit_code == 0, run.stderr
        (donor,) = run.json()["donors"]
        return str(donor["money"]["committed"])

    assert left() == "10000.00"
    (minimal / AGREEMENT.parent / "reports" / "2025-q2.yaml").unlink()
    assert left() == "6000.00"


def test_overlapping_capacities_count_a_commitment_once(minimal: Path) -> None:
    path = minimal / "data/donors" / f"{DONOR}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "preferences:",
            """  - kind: money
    amount: {min: 1000, max: 20000, currency: EUR}
    period: {start: 2025-03-01, end: 2025-12-31}
preferences:""",
        ),
        encoding="utf-8",
    )
    # 40,000 this year and 20,000 more from March, both holding the commitment of 2025-03-20
    # in their windows: 60,000 less 10,000 committed once.
    assert _money(minimal, dt.date(2025, 6, 1)) == 50_000_00
