"""The canonical form: meaning kept, comments kept, idempotent, quotes where they matter."""

from __future__ import annotations

import stat
from collections import Counter
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
import yaml_rs
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from solidarity_cli.formatting import dump_record, format_paths, format_text
from solidarity_cli.formatting.canonical import needs_quotes
from solidarity_cli.models import Settings
from solidarity_cli.reading.layout import RecordKind


def _comments(text: str) -> Counter[str]:
    return Counter(line.strip() for line in text.splitlines() if line.strip().startswith("#"))


def _scrambled(node: Any, depth: int = 0) -> Any:
    """Keys reversed, every text quoted (alternating quote styles)."""
    if isinstance(node, CommentedMap):
        out = CommentedMap()
        node.copy_attributes(out)
        for key in reversed(list(node)):
            out[key] = _scrambled(node[key], depth + 1)
        return out
    if isinstance(node, CommentedSeq):
        for i, item in enumerate(node):
            node[i] = _scrambled(item, depth + 1)
        return node
    if type(node) is str:
        quote = SingleQuotedScalarString if depth % 2 else DoubleQuotedScalarString
        return quote(node)
    return node


def _scramble_file(path: Path) -> None:
    y = YAML(typ="rt", pure=True)
    y.preserve_quotes = True
    y.indent(mapping=4, sequence=6, offset=4)
    y.width = 4096
    data = y.load(path.read_text(encoding="utf-8"))
    out = StringIO()
    y.dump(_scrambled(data), out)
    path.write_text(out.getvalue(), encoding="utf-8")


def _yaml_files(root: Path) -> list[Path]:
    return sorted([root / "solidarity.yaml", *(root / "data").rglob("*.yaml")])


def test_scrambled_shipped_data_is_repaired(shipped: Path) -> None:
    originals = {p: p.read_text(encoding="utf-8") for p in _yaml_files(shipped)}
    for path in originals:
        _scramble_file(path)
    scrambled = {p: p.read_text(encoding="utf-8") for p in originals}
    assert sum(scrambled[p] != originals[p] for p in originals) > 80

    check = format_paths(shipped, [], check=True)
    assert check.exit_code == 1 and not check.diagnostics
    assert len(check.changes) > 80
    assert all(c.diff.startswith("--- a/") for c in check.changes)
    assert all(p.read_text(encoding="utf-8") == scrambled[p] for p in originals)

    fixed = format_paths(shipped, [], check=False)
    assert fixed.exit_code == 0 and len(fixed.changes) == len(check.changes)
    for path, before in originals.items():
        after = path.read_text(encoding="utf-8")
        assert _comments(after) == _comments(before), path
        assert yaml_rs.loads(after, parse_datetime=True) == yaml_rs.loads(
            before, parse_datetime=True
        ), path
        assert after.endswith("\n") and not after.endswith("\n\n")
        assert all(line == line.rstrip() for line in after.splitlines())
        assert "&id" not in after and "*id" not in after
    again = format_paths(shipped, [], check=True)
    assert again.changes == [] and again.exit_code == 0


def test_shipped_data_is_canonical() -> None:
    from tests.conftest import EXAMPLE_REPO, PROJECT

    for root in (PROJECT, EXAMPLE_REPO):
        result = format_paths(root, [], check=True)
        assert result.files > 10
        assert [c.path for c in result.changes] == [], result.changes[:1]


@pytest.mark.parametrize(
    "text",
    [
        "NO",
        "no",
        "on",
        "Off",
        "yes",
        "y",
        "010",
        "1:20",
        "0x1F",
        "1e3",
        "null",
        "~",
        "",
        "2024-01-01",
        "true",
        "1_000",
        "0b101",
        ".5",
        "=",
        "<<",
    ],
)
def test_lookalikes_are_quoted(text: str) -> None:
    source = f"id: x\nnote: {text!r}\n".replace("'", '"')
    out = format_text(source, None)
    value = out.splitlines()[1].split(": ", 1)[1] if ": " in out.splitlines()[1] else ""
    assert value.startswith('"'), out
    # Both a YAML 1.1 reader (PyYAML) and a 1.2 reader (yaml_rs) read back the text.
    assert yaml.safe_load(out)["note"] == text
    assert yaml_rs.loads(out, parse_datetime=False)["note"] == text
    assert needs_quotes(text) or yaml_rs.loads(f"v: {text}")["v"] != text


def test_plain_text_stays_plain_and_numbers_read_the_same() -> None:
    out = format_text("id: x\nname: \"Praia Branca\"\ncount: 010\nsize: 1e3\nkey: '6.b'\n", None)
    assert out == "id: x\nname: Praia Branca\ncount: 10\nsize: 1000.0\nkey: 6.b\n"
    assert yaml.safe_load(out) == yaml_rs.loads(out)


def test_block_style_anchors_and_order() -> None:
    long = " ".join(["palavra"] * 30)
    source = (
        "# head\n"
        "members: []\n"
        "kind: national-federation\n"
        f"description: {{pt: &d {long}, en: *d}}\n"
        "name:\n  pt: 'Rede'   # the name\n"
        "scope: {country: CV}\n"
        "id: rede\n"
        "note: |\n  one\n  two\n"
    )
    out = format_text(source, RecordKind.PLATFORM)
    keys = [line.split(":")[0] for line in out.splitlines() if line and line[0].isalpha()]
    assert keys == ["id", "name", "kind", "scope", "description", "members", "note"]
    assert "&" not in out and "*d" not in out
    assert "# head" in out and "# the name" in out
    assert "note: |\n  one\n  two\n" in out
    assert format_text(out, RecordKind.PLATFORM) == out


def test_long_text_is_folded() -> None:
    long = " ".join(["palavra"] * 30)
    out = format_text(f"id: x\nsummary:\n  pt: {long}\n", None)
    assert "  pt: >-\n" in out
    assert max(len(line) for line in out.splitlines()) <= 100
    assert yaml_rs.loads(out)["summary"]["pt"] == long
    assert format_text(out, None) == out


def test_dump_record_writes_canonical_text_with_comments() -> None:
    data = {
        "id": "rede",
        "kind": "national-federation",
        "name": {"pt": "Rede"},
        "scope": {"country": "CV"},
    }
    text = dump_record(
        data, RecordKind.PLATFORM, comments={"": "a new platform", "kind": "what it is"}
    )
    assert text.startswith("# a new platform\nid: rede\nname:\n  pt: Rede\n# what it is\nkind:")
    assert format_text(text, RecordKind.PLATFORM) == text
    settings = Settings.model_validate({"name": {"en": "Net"}})
    dumped = dump_record(settings, Settings)
    assert format_text(dumped, Settings) == dumped
    assert yaml_rs.loads(dumped)["name"] == {"en": "Net"}


def test_unreadable_file_is_reported_and_left_alone(minimal: Path) -> None:
    target = minimal / "data" / "donors" / "broken.yaml"
    target.write_text("id: broken\nname: [unclosed\n", encoding="utf-8")
    before = target.read_bytes()
    result = format_paths(minimal, ["data/donors"], check=False)
    assert [d.code for d in result.diagnostics] == ["SY001"]
    assert result.diagnostics[0].path == "data/donors/broken.yaml"
    assert result.exit_code == 1
    assert target.read_bytes() == before


def test_writes_keep_permissions(minimal: Path) -> None:
    target = next((minimal / "data" / "donors").glob("*.yaml"))
    target.write_text(target.read_text(encoding="utf-8").replace("\n", "\r\n") + "\n\n")
    target.chmod(0o640)
    result = format_paths(minimal, [str(target.relative_to(minimal))], check=False)
    assert [c.path for c in result.changes] == [target.relative_to(minimal).as_posix()]
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    text = target.read_bytes()
    assert b"\r" not in text and text.endswith(b"\n") and not text.endswith(b"\n\n")
    assert not list(target.parent.glob("*.tmp"))


def _line_above(text: str, key_line: str) -> str:
    lines = text.splitlines()
    return lines[lines.index(key_line) - 1]


def test_a_comment_moves_with_its_key() -> None:
    source = (
        "# yaml-language-server: $schema=../../schemas/donor.schema.json\n"
        "kind: informal-group  # since 2020\n"
        "# the name the donor uses\n"
        "\n"
        "name: Amigas\n"
        "# the id: never change it\n"
        "id: amigas\n"
        "capacities:\n"
        "  - recurrence: yearly\n"
        "    # how much, at most\n"
        "    amount: {min: 3000, max: 9000, currency: EUR}\n"
        "    # money, things or days\n"
        "    kind: money\n"
        "    period: {start: 2025-01-01, end: 2027-12-31}\n"
        "country: NL\n"
        "maintainers:\n"
        "  - github: amigas\n"
        "    # who answers\n"
        "    name: Coordenação\n"
        "# the end of the file\n"
    )
    out = format_text(source, RecordKind.DONOR)
    assert _comments(out) == _comments(source)
    assert out.splitlines()[0].startswith("# yaml-language-server")
    assert _line_above(out, "id: amigas") == "# the id: never change it"
    assert out.splitlines()[-1] == "# the end of the file"
    assert "\n# the name the donor uses\n\nname: Amigas\n" in out
    assert "\nkind: informal-group  # since 2020\n" in out
    assert _line_above(out, "  - kind: money") == "  # money, things or days"
    assert _line_above(out, "    amount: {min: 3000, max: 9000, currency: EUR}") == (
        "    # how much, at most"
    )
    assert _line_above(out, "  - name: Coordenação") == "  # who answers"
    assert yaml_rs.loads(out, parse_datetime=True) == yaml_rs.loads(source, parse_datetime=True)
    assert format_text(out, RecordKind.DONOR) == out


@pytest.mark.parametrize("text", ["plain text", ">-\n    A long text that is folded."])
def test_lines_after_a_nested_text_stay_when_keys_move(text: str) -> None:
    """A comment and a blank line after the last text of a nested mapping stay above the key
    they were above, whether that text is plain or folded (a folded text ends its own line),
    in a file whose top level had no comment of its own."""
    source = (
        "name: A\n"
        "id: a\n"
        "description:\n"
        f"  en: {text}\n"
        "\n"
        "# about the maintainers\n"
        "maintainers:\n"
        "  - name: B\n"
        "    github: b\n"
    )
    out = format_text(source, RecordKind.COMMUNITY)
    assert out.startswith("id: a\nname: A\n\n# about the maintainers\nmaintainers:\n"), out
    assert format_text(out, RecordKind.COMMUNITY) == out


def test_a_blank_line_after_a_folded_text_stays_when_keys_above_move() -> None:
    canonical = (
        "id: a\n"
        "name: A\n"
        "association:\n"
        "  name: C\n"
        "  rules:\n"
        "    en: >-\n"
        "      Each family pays.\n"
        "\n"
        "maintainers:\n"
        "  - name: B\n"
        "    github: b\n"
    )
    assert format_text(canonical, RecordKind.COMMUNITY) == canonical
    swapped = canonical.replace("id: a\nname: A\n", "name: A\nid: a\n")
    assert format_text(swapped, RecordKind.COMMUNITY) == canonical
