"""Byte-level and syntax problems found by the fast parser, each with a line and column."""

from __future__ import annotations

import datetime as dt

import pytest

from solidarity_cli.reading.parse import parse_bytes


@pytest.mark.parametrize(
    ("data", "code", "line", "column"),
    [
        pytest.param(b"", "SY007", 1, 1, id="empty"),
        pytest.param(b"  \n\n", "SY007", 1, 1, id="blank"),
        pytest.param(b"id: a\nname: b\x00c\n", "SY006", 2, 8, id="nul-byte"),
        pytest.param(b"id: a\nname: caf\xe9\n", "SY005", 2, 10, id="latin-1"),
        pytest.param(
            b"id: a\n<<<<<<< HEAD\nname: x\n=======\nname: y\n>>>>>>> b\n",
            "SY004",
            2,
            1,
            id="conflict",
        ),
        pytest.param(b"id: a\nname:\n\t- x\n", "SY003", 3, 1, id="tab"),
        pytest.param(b"id: a\nid: b\n", "SY002", 2, 1, id="duplicate-top"),
        pytest.param(b"id: a\nx:\n  k: 1\n  k: 2\n", "SY002", 4, 3, id="duplicate-nested"),
        pytest.param(b"id: a\nname: [x, y\n", "SY001", 2, 7, id="unclosed-bracket"),
        pytest.param(b"id: a\nname: 'open\n", "SY001", 2, 7, id="unclosed-quote"),
        pytest.param(b"- id: a\n- id: b\n", "SY008", 1, 1, id="list"),
        pytest.param(b"just words\n", "SY008", 1, 1, id="scalar"),
        pytest.param(b"id: a\n---\nid: b\n", "SY011", 2, 1, id="two-documents"),
        pytest.param(b"id: a\nx: !!python/object:os.system ls\n", "SY010", 2, 4, id="python-tag"),
        pytest.param(b"id: a\ncountry CV\n# note\nname: b\n", "SY001", 2, 1, id="colon-missing"),
        pytest.param(
            b"id: a\nneeds:\n  - id: n\n    title x\n\n    kind: y\n",
            "SY001",
            4,
            5,
            id="colon-nested",
        ),
    ],
)
def test_problem_is_found_with_its_position(data: bytes, code: str, line: int, column: int) -> None:
    parsed = parse_bytes("data/donors/a.yaml", data)
    assert parsed.data is None
    assert [(d.code, d.line, d.column) for d in parsed.diagnostics] == [(code, line, column)]
    finding = parsed.diagnostics[0]
    assert finding.path == "data/donors/a.yaml"
    assert finding.message and finding.hint


@pytest.mark.parametrize(
    ("data", "line", "column", "above", "above_column"),
    [
        pytest.param(
            b"id: a\nassociation:\n  # its name\n name: A\n  # how\n  legal_form: x\n",
            6, 3, 4, 2, id="key-left-of-its-neighbours",
        ),
        pytest.param(b"id: a\nplace:\n  town: b\n   island: c\n", 4, 4, 3, 3, id="key-further-in"),
        pytest.param(b"id: a\nplace:\n   town: b\n  island: c\n", 4, 3, 3, 4, id="key-back-out"),
        pytest.param(
            b"id: a\nneeds:\n  - id: n\n     title: t\n", 4, 6, 3, 5, id="key-under-a-list-item",
        ),
    ],
)  # fmt: skip
def test_a_key_out_of_line_with_the_key_above_names_both_lines(
    data: bytes, line: int, column: int, above: int, above_column: int
) -> None:
    """The commonest slip of a hand-edited file: one key a space off its neighbours."""
    parsed = parse_bytes("data/donors/a.yaml", data)
    assert [(d.code, d.line, d.column) for d in parsed.diagnostics] == [("SY001", line, column)]
    finding = parsed.diagnostics[0]
    assert f"the key on line {above} in column {above_column}" in finding.message
    assert f"move this line or line {above}" in str(finding.hint)


@pytest.mark.parametrize(
    "data",
    [
        b"id: a\nnote: |\n  text\n b: 2\n",  # a block text above: no key to compare with
        b'id: a\nplace:\n  town: "b\n  island: c\n',  # an open quote is its own finding
    ],
)
def test_other_syntax_errors_keep_the_parsers_words(data: bytes) -> None:
    parsed = parse_bytes("data/donors/a.yaml", data)
    assert len(parsed.diagnostics) == 1
    assert "belongs to no mapping" not in parsed.diagnostics[0].message


def test_alias_expansion_is_bounded() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    parsed = parse_bytes("bomb.yaml", "\n".join(lines).encode())
    assert [(d.code, d.line, d.column) for d in parsed.diagnostics] == [("SY013", 1, 4)]


def test_even_small_aliases_are_refused_at_entry() -> None:
    parsed = parse_bytes("a.yaml", b"x: [1, 2]\ny: &v [1, 2]\nz: *v\n")
    assert parsed.data is None
    assert [(d.code, d.line, d.column) for d in parsed.diagnostics] == [("SY013", 2, 4)]


def test_yaml_1_2_keeps_what_a_reader_sees() -> None:
    parsed = parse_bytes(
        "a.yaml",
        b"country: NO\nanswer: yes\nflag: off\ncode: 010\ntime: 1:20\nhex: 0x1F\nday: 2025-03-01\n",
    )
    assert parsed.data == {
        "country": "NO",
        "answer": "yes",
        "flag": "off",
        "code": 10,  # YAML 1.2: decimal, not octal 8
        "time": "1:20",  # YAML 1.2: not sexagesimal 80
        "hex": 31,
        "day": dt.date(2025, 3, 1),
    }


def test_document_marker_at_start_is_one_document() -> None:
    parsed = parse_bytes("a.yaml", b"# comment\n---\nid: a\n")
    assert parsed.data == {"id": "a"}


def test_byte_order_mark_is_accepted() -> None:
    assert parse_bytes("a.yaml", b"\xef\xbb\xbfid: a\n").data == {"id": "a"}


@pytest.mark.parametrize(
    "data",
    [
        b"id: a\n? {a: {b: 1}}\n: x\n",
        b"id: a\n? {a: [1]}\n: x\n",
        # Found by fuzzing: a '?' before a nested mapping makes the whole block one key.
        b"id: a\n? founded: 1998\n  governance:\n    body: A\n",
    ],
)
def test_a_key_holding_a_mapping_is_a_finding_at_the_key(data: bytes) -> None:
    parsed = parse_bytes("a.yaml", data)
    assert parsed.data is None
    assert [(d.code, d.line, d.column) for d in parsed.diagnostics] == [("SC003", 2, 3)]
    assert "plain words" in parsed.diagnostics[0].message


def test_a_key_without_colon_is_named_on_its_own_line() -> None:
    parsed = parse_bytes("data/donors/a.yaml", b"id: a\ncountry CV\nname: b\n")
    [finding] = parsed.diagnostics
    assert str(finding.message) == "YAML syntax error: a key without ':' after it"
    assert "e.g. 'country: CV'" in str(finding.hint)
