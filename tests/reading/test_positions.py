"""Positions of keys and values from ruamel.yaml's round-trip reading."""

from __future__ import annotations

from solidarity_cli.reading.positions import PositionIndex, duplicate_key_position

TEXT = """\
# yaml-language-server: $schema=x
id: cruzinha
needs:
  - id: cisterna
    estimated_cost:
      amount: 5
  - id: horta
    titel: Horta
"""


def test_value_key_and_parent_positions() -> None:
    index = PositionIndex(TEXT)
    assert index.locate(("id",)) == (2, 5)
    assert index.locate(("needs", 1, "titel"), target="key") == (8, 5)
    assert index.locate(("needs", 0, "estimated_cost", "amount")) == (6, 15)
    # a missing currency points at the mapping that should hold it
    assert index.locate(("needs", 0, "estimated_cost", "currency"), target="parent") == (5, 5)
    assert index.locate(("needs", 1)) == (7, 5)


def test_unknown_parts_of_a_path_are_skipped() -> None:
    index = PositionIndex(TEXT)
    assert index.locate(("needs", 1, "function-after[check]", "titel"), target="key") == (8, 5)
    assert index.locate(("nothing", "here")) == (1, 1)


def test_missing_top_level_field_points_at_the_start() -> None:
    assert PositionIndex(TEXT).locate(("name",), target="parent") == (1, 1)


def test_unparseable_text_falls_back_to_the_first_line() -> None:
    assert PositionIndex("a: [\n").locate(("a",)) == (1, 1)


def test_duplicate_key_position() -> None:
    assert duplicate_key_position("a: 1\nb:\n  c: 1\n  c: 2\n") == (4, 3, "c")
