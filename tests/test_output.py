"""JSON written in pieces is the same text as JSON written whole."""

from __future__ import annotations

import pytest

from solidarity_cli.cli.common import stdout_write_pieces
from solidarity_cli.output import dumps, dumps_in_pieces

DOCUMENT = {
    "version": 1,
    "as_of": "2026-11-01",
    "proposals": [
        {"need": "são-nicolau/água", "amount": {"value": "2100", "currency": "CVE"}},
        {"need": "x", "amount": None, "days": 3, "weight": 0.816, "reasons": []},
    ],
    "unmet": [],
    "objective": {"money": {"value": 1.5, "gap": 0.0}, "empty": {}},
}


def test_the_pieces_join_into_dumps() -> None:
    assert "".join(dumps_in_pieces(DOCUMENT)) == dumps(DOCUMENT)


@pytest.mark.parametrize("batch", [1, 3, 8192])
def test_pieces_are_written_whole_to_stdout(capsys: pytest.CaptureFixture[str], batch: int) -> None:
    stdout_write_pieces(dumps_in_pieces(DOCUMENT), batch=batch)
    assert capsys.readouterr().out == dumps(DOCUMENT)
