"""A hostile contributor's inputs, each refused where it enters with its code, file and line.

Cases are generated here from payloads written into a copy of the example repository; each is
checked in text, JSON and GitHub formats for the exit code, the file and line named, no
traceback, nothing written, peak memory under 200 MB and under 5 s.
"""

from __future__ import annotations

import os
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.revisions.gitutil import commit_all

DONOR = "data/donors/fundacao-mar-aberto.yaml"
STRATEGY = "data/communities/cruzinha/strategies/cruzinha-2025-2028.yaml"
COMMUNITY = "data/communities/cruzinha/community.yaml"
HEAD = b"id: fundacao-mar-aberto\nkind: foundation\ncountry: PT\n"


@dataclass(frozen=True)
class Case:
    """One hostile input: what it does to the repository, where and what must be said."""

    name: str
    apply: Callable[[Path], None]
    path: str
    code: str
    line: int = 0
    exit_code: int = 1
    column: int = 0


def _write(rel: str, data: bytes) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / rel).write_bytes(data)

    return apply


def _donor(body: bytes) -> Callable[[Path], None]:
    return _write(DONOR, HEAD + body)


def _name(value: str) -> Callable[[Path], None]:
    return _donor(b"name: " + value.encode() + b"\n")


CASES: list[Case] = []


def _add(category: str, name: str, apply: Callable[[Path], None], code: str, **kw: int) -> None:
    CASES.append(
        Case(
            f"{category}-{name}",
            apply,
            DONOR,
            code,
            **kw,
        )
    )


# Syntax: the parser's own errors, each named with a line.
for i, body in enumerate(
    [
        b"name: [open\n",
        b"name: {open\n",
        b'name: "unclosed\n',
        b"name: 'unclosed\n",
        b"name: a\n bad: indent\n",
        b"name: a: b: c\n",
        b"name: ]\n",
        b"name: }\n",
        b'name: "a" b\n',
        b"- name: list\nname: x\n",
    ]
):
    # An unclosed quote is named where it opens, not where the file ends.
    _add("syntax", str(i), _donor(body), "SY001", line=5 if b"\n " in body else 4)
_add("syntax", "duplicate", _donor(b"name: a\nname: b\n"), "SY002", line=5)
_add("syntax", "duplicate-id", _donor(b"name: a\nid: b\n"), "SY002")
_add("syntax", "tab", _donor(b"capacities:\n\t- kind: money\nname: x\n"), "SY003", line=5)
_add("syntax", "tab-deep", _donor(b"name: x\npreferences:\n  \tcountries: [CV]\n"), "SY003", line=6)

# Keys that are not words: named at the key, never echoed as Python.
for name, body, line in [
    ("complex", b"name: a\n? {a: 1}\n: x\n", 5),
    ("null", b"name: a\n~: x\n", 5),
    ("number", b"name: a\npreferences:\n  countries: [CV]\n  12: x\n", 7),
    ("list", b"name: a\n[a, b]: x\n", 5),
    ("bool", b"name: a\ntrue: x\n", 5),
    ("date", b"name: a\n2025-01-01: x\n", 5),
]:
    _add("key", name, _donor(body), "SC003", line=line)

# Empty keys and other spellings YAML 1.2 accepts but the position finder's parser does not:
# every finding of the file is still named at its own line and column, never at line 1.
for name, body, code, line, column in [
    ("empty-block", b"name: a\n: x\n", "SC003", 5, 1),
    ("empty-first", b": x\nname: a\n", "SC003", 4, 1),
    ("empty-no-value", b"name: a\n:\n", "SC003", 5, 1),
    ("empty-nested", b"name: a\npreferences:\n  : x\n", "SC003", 6, 3),
    ("empty-in-flow-map", b"name: a\npreferences: {countries: [CV], : x}\n", "SC003", 5, 32),
    ("empty-flow-value", b"name: {: x}\n", "SC003", 4, 7),
    ("empty-in-flow-list", b"name: [: x]\n", "SC003", 4, 7),
    ("empty-explicit", b"name: a\n? : x\n", "SC003", 5, 3),
    ("empty-twice", b"name: a\n: x\n: y\n", "SY002", 6, 1),
    ("empty-and-null", b"name: a\n~: x\n: y\n", "SY002", 6, 1),
    ("empty-twice-flow", b"name: a\nx: {: a, : b}\n", "SY002", 5, 10),
    ("number-twice", b"name: a\n1: x\n01: y\n", "SY002", 6, 1),
    (
        "flow-colon-next-line",
        b'name: a\npreferences: {"countries"\n  : [CV], dimensions: x}\n',
        "SC003",
        6,
        23,
    ),
    (
        "flow-colon-after-comment",
        b'name: a\npreferences: { "countries" # c\n  :[CV] }\nx: 1\n',
        "SC001",
        7,
        1,
    ),
    ("flow-colon-comma", b"name: a\npreferences: {omitted:,}\n", "SC001", 5, 15),
    ("flow-explicit-empty", b"name: a\npreferences: {\n  ? foo :,\n  : bar,\n}\n", "SC003", 7, 3),
]:
    _add("key", name, _donor(body), code, line=line, column=column)

# Encoding.
_add("encoding", "latin1", _donor("name: José\n".encode("latin-1")), "SY005", line=4)
for i, raw in enumerate(
    [
        b"\xe9",
        b"\xc3\x28",
        b"\xa0\xa1",
        b"\xf0\x28\x8c\x28",
        b"\xc0\xaf",
        b"\xed\xa0\x80",
        b"\xff\xfe",
    ]
):
    _add("encoding", f"bytes{i}", _donor(b"name: a" + raw + b"\n"), "SY005", line=4)
_add("encoding", "utf16", _write(DONOR, "id: x\n".encode("utf-16")), "SY006")
_add("encoding", "nul", _donor(b"name: a\x00b\n"), "SY006", line=4)
_add("encoding", "nul-start", _write(DONOR, b"\x00" + HEAD), "SY006", line=1)
_add("encoding", "bom-mid", _donor("name: a\ufeffb\n".encode()), "SY014", line=4)

# Document shape.
_add("shape", "two-docs", _donor(b"name: a\n---\nname: b\n"), "SY011", line=5)
_add("shape", "end-then-doc", _donor(b"name: a\n...\n---\nname: b\n"), "SY011")
_add("shape", "list", _write(DONOR, b"- a\n- b\n"), "SY008", line=1)
_add("shape", "scalar", _write(DONOR, b"just text\n"), "SY008", line=1)
_add("shape", "number", _write(DONOR, b"42\n"), "SY008", line=1)
_add("shape", "null", _write(DONOR, b"~\n"), "SY008", line=1)
_add("shape", "empty", _write(DONOR, b""), "SY007", line=1)
_add("shape", "blank", _write(DONOR, b"\n\n   \n"), "SY007", line=1)
_add("shape", "comments", _write(DONOR, b"# only a comment\n"), "SY008", line=1)

# YAML semantics: tags, directives, anchors, aliases, nesting.
TAGS = [
    "!include ../../../../etc/passwd",
    "!!binary aGVsbG8=",
    "!!str 12",
    "!!python/object:os.system",
    "!!int '3'",
    "!custom x",
    "!<tag:yaml.org,2002:str> x",
    "!!map {a: 1}",
    "!!set {a}",
    "!!omap [a: 1]",
    "!!timestamp 2025-01-01",
    "!!float 1",
    "!!null ''",
    "! x",
    "!!python/name:os.system",
    "!e!x y",
]
for i, tag in enumerate(TAGS):
    _add("tags", str(i), _name(tag), "SY010", line=4)
_add("tags", "on-key", _donor(b"!!str name: a\n"), "SY010", line=4)
_add(
    "tags", "in-list", _donor(b"name: a\npreferences:\n  countries: [!!str CV]\n"), "SY010", line=6
)
for i, directive in enumerate(
    [
        b"%YAML 1.1\n",
        b"%YAML 1.3\n",
        b"%TAG ! tag:x,2000:\n",
        b"%YAML 1.2\n%TAG !e! tag:e.org,2000:\n",
        b"%FOO bar\n",
    ]
):
    _add(
        "directive",
        str(i),
        _write(DONOR, directive + b"---\n" + HEAD + b"name: a\n"),
        "SY012",
        line=1,
    )
ANCHORS = [
    b"name: &a x\nextra: *a\n",
    b"name: &a x\n",
    b"name: *a\n",
    b"name: a\npreferences: &p\n  countries: [CV]\n",
    b"name: a\nbase: &b {x: 1}\nmore:\n  <<: *b\n",
    b"name: [&x a, *x]\n",
]
for i, body in enumerate(ANCHORS):
    _add("anchor", str(i), _donor(body), "SY013", line=5 if i in {3, 4} else 4)
_bomb = [b"a: &a [x, x, x, x, x, x, x, x, x, x]"] + [
    f"{n}: &{n} [".encode() + b", ".join([f"*{p}".encode()] * 10) + b"]"
    for p, n in zip("abcdefgh", "bcdefghi", strict=True)
]
_add("anchor", "billion-laughs", _write(DONOR, b"\n".join(_bomb) + b"\n"), "SY013", line=1)
_add("nesting", "flow", _name("[" * 200 + "]" * 200), "SY016", line=4)
_add("nesting", "flow-map", _name("{a: " * 60 + "1" + "}" * 60), "SY016", line=4)
_add(
    "nesting",
    "block",
    _donor(
        b"name: a\nx:\n"
        + b"".join(b" " * (i + 1) + b"k:\n" for i in range(40))
        + b" " * 41
        + b"v: 1\n"
    ),
    "SY016",
)
_add(
    "nesting",
    "lists",
    _donor(b"name: a\nx:\n" + b"".join(b"  " * (i + 1) + b"- \n" for i in range(30))),
    "SY016",
)
_add("nesting", "flow-100k", _name("[" * 100_000), "SY016", line=4)

# Values: control characters, escapes and bidi overrides outside comments.
for code in [*range(1, 9), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x85, 0x9B]:
    _add("control", f"{code:02x}", _name(f"a{chr(code)}b"), "SY014", line=4)
for i, esc in enumerate(
    [
        "\\e[31m",
        "\\x1b[2J",
        "\\u001b]0;x\\u0007",
        "\\a",
        "\\b",
        "\\0",
        "\\v",
        "\\f",
        "\\x9b",
        "\\U0000001B",
        "\\u202e",
    ]
):
    _add("escape", str(i), _name(f'"red {esc} text"'), "SY014", line=4)
for cp in [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]:
    _add("bidi", f"{cp:04x}", _name(f"abc{chr(cp)}def"), "SY015", line=4)
_add("bidi", "in-key", _donor("na\u202eme: x\n".encode()), "SY015", line=4)

# Injection: conflict markers anywhere, also inside block text.
for i, marker in enumerate([b"<<<<<<< HEAD", b"=======", b">>>>>>> theirs", b"||||||| base"]):
    _add("conflict", f"top{i}", _donor(b"name: a\n" + marker + b"\n"), "SY004", line=5)
    _add(
        "conflict",
        f"block{i}",
        _donor(b"name: a\nnotes: |\n  text\n  " + marker + b"\n"),
        "SY004",
        line=7,
    )
_add("injection", "terminal-title", _name('"\\e]0;pwned\\a"'), "SY014", line=4)
_add("injection", "osc8-link", _name('"\\e]8;;http://x\\e\\\\x\\e]8;;\\e\\\\"'), "SY014", line=4)


# Privacy: personal data planted in public texts, private fields and anonymous donors' records.
# Each is a finding at its line, and ``PLANTED`` says what must reach no output (see below).
AGREEMENT = "data/partnerships/cruzinha-cisterna/agreement.yaml"
REPORT = "data/partnerships/cruzinha-cisterna/reports/2025-q2.yaml"
PLATFORM = "data/platforms/santo-antao.yaml"
ANONYMOUS = "data/donors/grupo-amigos-de-lisboa.yaml"
NEED_TITLE = "title: {pt: Cisterna comunitária, en: Community cistern}"
#: Case name -> the planted values that no output may show.
PLANTED: dict[str, tuple[str, ...]] = {}


def _replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        text = (root / rel).read_text(encoding="utf-8")
        assert old in text, (rel, old)
        (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def _privacy(
    name: str, apply: Callable[[Path], None], path: str, code: str, line: int, *planted: str
) -> None:
    CASES.append(Case(f"privacy-{name}", apply, path, code, line=line))
    PLANTED[f"privacy-{name}"] = planted


_privacy(
    "need-email",
    _replace(STRATEGY, NEED_TITLE, "title: {pt: 'Cisterna, contacto maria.planta@example.cv'}"),
    STRATEGY,
    "DP001",
    18,
    "maria.planta@example.cv",
)
_privacy(
    "need-phone",
    _replace(STRATEGY, NEED_TITLE, "title: {pt: Cisterna, en: 'Cistern, call +238 991 77 66'}"),
    STRATEGY,
    "DP002",
    18,
    "991 77 66",
    "9917766",
)
_privacy(
    "need-tax-number",
    _replace(STRATEGY, NEED_TITLE, "title: {pt: 'Cisterna, tesoureira NIF 245678901'}"),
    STRATEGY,
    "DP003",
    18,
    "245678901",
)
_privacy(
    "need-description-block",
    _replace(
        STRATEGY,
        NEED_TITLE,
        NEED_TITLE + "\n    description:\n      pt: |\n        Falar com a Joana\n"
        "        joana.planta@example.cv ou 00238 991 44 55\n",
    ),
    STRATEGY,
    "DP001",
    20,
    "joana.planta@example.cv",
    "991 44 55",
)
_privacy(
    "community-private-field",
    _replace(
        COMMUNITY,
        "  name: Associação Comunitária de Cruzinha",
        "  name: Associação de Cruzinha, tesoureira ana.planta@example.cv",
    ),
    COMMUNITY,
    "DP001",
    10,
    "ana.planta@example.cv",
)
_privacy(
    "community-description",
    _replace(
        COMMUNITY,
        "languages: [pt, kea]",
        "languages: [pt, kea]\ndescription: {pt: 'Presidente: RUI.PLANTA@EXAMPLE.CV'}",
    ),
    COMMUNITY,
    "DP001",
    17,
    "RUI.PLANTA@EXAMPLE.CV",
    "rui.planta@example.cv",
)
_privacy(
    "anonymous-donor-name",
    _write(
        ANONYMOUS,
        b"id: grupo-amigos-de-lisboa\nname: Jorge Plantado Semedo\nkind: individual\n"
        b"anonymous: true\npseudonym: Um doador da diaspora\ncountry: PT\n"
        b"capacities:\n  - kind: training\n    days: 20\n"
        b"    period: {start: 2024-01-01, end: 2025-12-31}\n",
    ),
    ANONYMOUS,
    "DP004",
    2,
    "Plantado",
)
_privacy(
    "agreement-cpf",
    _replace(
        AGREEMENT,
        "title: {pt: Cisterna comunitária de Cruzinha,",
        "title: {pt: 'Cisterna, CPF 123.456.789-09',",
    ),
    AGREEMENT,
    "DP003",
    2,
    "123.456.789-09",
)
_privacy(
    "report-phone",
    _replace(
        REPORT, "narrative: {pt: As obras começaram.}", "narrative: {pt: 'Ligar 991 66 55 4'}"
    ),
    REPORT,
    "DP002",
    16,
    "991 66 55 4",
)
_privacy(
    "report-expenditure-email",
    _replace(REPORT, "{pt: Cimento e ferro}", "{pt: 'Recibo de loja.planta@example.cv'}"),
    REPORT,
    "DP001",
    15,
    "loja.planta@example.cv",
)
_privacy(
    "platform-member-email",
    _replace(
        PLATFORM, "  - name: Associação de Cruzinha", "  - name: 'Cruzinha, sec.planta@example.cv'"
    ),
    PLATFORM,
    "DP001",
    8,
    "sec.planta@example.cv",
)
_privacy(
    "donor-description-email",
    _donor(b"name: Mar Aberto\ndescription: {pt: 'Escreva a joao.planta@example.pt'}\n"),
    DONOR,
    "DP001",
    5,
    "joao.planta@example.pt",
)
_privacy(
    "network-name",
    _replace(
        "solidarity.yaml",
        "name: {en: Minimal network, pt: Rede mínima}",
        "name: {en: 'Network, net.planta@example.org', pt: 'Rede +238 991 22 11'}",
    ),
    "solidarity.yaml",
    "DP001",
    1,
    "net.planta@example.org",
    "991 22 11",
)


# Privacy of keys: personal data written as a key (or echoed from a value by a finding's own
# words) is withheld from every finding, which still names file, line and column.
SECRETS: dict[str, tuple[str, ...]] = {}
_STRATEGY_NEED = "    priority: 1\n"


def _secret(
    name: str,
    apply: Callable[[Path], None],
    path: str,
    code: str,
    line: int,
    column: int,
    *planted: str,
) -> None:
    CASES.append(Case(f"privacy-key-{name}", apply, path, code, line=line, column=column))
    SECRETS[f"privacy-key-{name}"] = planted


_secret(
    "email",
    _donor(b"name: a\njoao.chave@example.org: x\n"),
    DONOR,
    "SC001",
    5,
    1,
    "joao.chave@example.org",
)
_secret(
    "phone-nested",
    _donor(b"name: a\npreferences:\n  countries: [CV]\n  +238 991 33 44: y\n"),
    DONOR,
    "SC001",
    7,
    3,
    "991 33 44",
)
_secret("tax-number", _donor(b"name: a\nNIF 245678902: y\n"), DONOR, "SC001", 5, 1, "245678902")
_secret(
    "email-twice",
    _donor(b"name: a\nlia.chave@example.org: x\nlia.chave@example.org: y\n"),
    DONOR,
    "SY002",
    6,
    1,
    "lia.chave@example.org",
)
_secret(
    "language-key",
    _donor(b"name: a\ndescription: {maria.chave@example.cv: x}\n"),
    DONOR,
    "SC003",
    5,
    39,
    "maria.chave@example.cv",
)
_secret(
    "value-quoted",
    _donor(b"name: a\nlanguages: [ana.chave@example.cv]\n"),
    DONOR,
    "SC003",
    5,
    13,
    "ana.chave@example.cv",
)
_secret(
    "in-a-need",
    _replace(STRATEGY, _STRATEGY_NEED, _STRATEGY_NEED + "    paulo.chave@example.cv: x\n"),
    STRATEGY,
    "SC001",
    26,
    5,
    "paulo.chave@example.cv",
)
_secret(
    "cpf-key",
    _replace(AGREEMENT, "status: ", "123.456.789-10: x\nstatus: "),
    AGREEMENT,
    "SC001",
    10,
    1,
    "123.456.789-10",
)
_secret(
    "rule-setting",
    _replace(
        "solidarity.yaml",
        "base_currency:",
        "rules:\n  ignore: [rui.chave@example.org]\nbase_currency:",
    ),
    "solidarity.yaml",
    "CF001",
    5,
    12,
    "rui.chave@example.org",
)


# Collections beyond their bounds (a finding before any model is built).
def _many_needs(root: Path) -> None:
    path = root / STRATEGY
    text = path.read_text(encoding="utf-8")
    start = text.index("needs:")
    needs = "".join(f"  - id: n{i}\n    title: {{pt: t}}\n" for i in range(8000))
    path.write_text(text[:start] + "needs:\n" + needs, encoding="utf-8")


CASES.append(Case("values-8000-needs", _many_needs, STRATEGY, "SY018"))


# File system.
def _link(target: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / DONOR).unlink()
        (root / DONOR).symlink_to(target)

    return apply


for i, target in enumerate(
    [
        "/etc/passwd",
        "/dev/zero",
        "../../solidarity.yaml",
        "missing.yaml",
        "grupo-amigos-de-lisboa.yaml",
        "/proc/self/environ",
    ]
):
    CASES.append(Case(f"fs-link{i}", _link(target), DONOR, "LY004", line=1))
CASES.append(
    Case("fs-large", _donor(b"name: a\nnotes: " + b"x" * (1 << 21) + b"\n"), DONOR, "SY017", line=1)
)
CASES.append(
    Case("fs-large-comment", _donor(b"name: a\n" + b"# x\n" * 300_000), DONOR, "SY017", line=1)
)


def _leftover(root: Path) -> None:
    (root / "data" / "donors" / ".fundacao-mar-aberto.yaml.abc123.tmp").write_text("id: half")


CASES.append(
    Case(
        "fs-leftover",
        _leftover,
        "data/donors/.fundacao-mar-aberto.yaml.abc123.tmp",
        "LY007",
        line=1,
        exit_code=0,
    )
)


def _site_leftover(root: Path) -> None:
    (root / ".site.x1y2").mkdir()


CASES.append(Case("fs-site-leftover", _site_leftover, ".site.x1y2", "LY007", line=1, exit_code=0))


def _stray(root: Path) -> None:
    (root / "data" / "donors" / "notes.yml").write_text("id: x\n")


CASES.append(Case("fs-stray-yml", _stray, "data/donors/notes.yml", "LY001", line=1))

# Cross-file: ids that clash with the layout or with another record.
CASES.append(
    Case(
        "cross-id-mismatch",
        _write(DONOR, b"id: other\nname: a\nkind: foundation\ncountry: PT\n"),
        DONOR,
        "LY002",
    )
)


def _dup(root: Path) -> None:
    (root / "data" / "donors" / "copy.yaml").write_bytes((root / DONOR).read_bytes())


CASES.append(Case("cross-duplicate-file", _dup, "data/donors/copy.yaml", "LY002"))
CASES.append(
    Case(
        "cross-settings-tag",
        _write("solidarity.yaml", b"name: !!binary eA==\n"),
        "solidarity.yaml",
        "SY010",
        line=1,
    )
)
CASES.append(
    Case(
        "cross-settings-bidi",
        _write("solidarity.yaml", "name: a\u202e\n".encode()),
        "solidarity.yaml",
        "SY015",
        line=1,
    )
)
CASES.append(
    Case(
        "cross-community-tag",
        _write(COMMUNITY, b"id: cruzinha\nname: !x y\n"),
        COMMUNITY,
        "SY010",
        line=2,
    )
)


# More document shapes: empty mappings, single values, a list where a mapping is expected.
_add("shape", "empty-map", _write(DONOR, b"{}\n"), "SC002", line=1)
_add("shape", "empty-list", _write(DONOR, b"[]\n"), "SY008", line=1)
_add("shape", "quoted", _write(DONOR, b'"a donor"\n'), "SY008", line=1)
_add("shape", "block-text", _write(DONOR, b"--- |\n  a donor\n"), "SY008", line=1)
_add("shape", "start-only", _write(DONOR, b"---\n"), "SY008", line=1)
_add("shape", "end-only", _write(DONOR, b"...\n"), "SY008", line=1)
_add(
    "shape",
    "capacities-map",
    _donor(b"name: a\ncapacities: {kind: training, days: 3}\n"),
    "SC003",
    line=5,
)


def _needs_as_mapping(root: Path) -> None:
    path = root / STRATEGY
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("needs:")] + "needs:\n  cisterna: {id: x}\n")


CASES.append(Case("shape-needs-map", _needs_as_mapping, STRATEGY, "SC003", line=17))

# Values: no silent coercion, exact codes, finite and sane numbers, real web addresses.
_MONEY = b"name: a\ncapacities:\n  - kind: money\n    amount: {min: %s, max: %s, currency: %s}\n"
_PERIOD = b"    period: {start: 2025-01-01, end: 2026-12-31}\n"
for name, body, line in [
    ("yes-is-text", b"name: a\nanonymous: yes\n", 5),
    ("quoted-bool", b'name: a\nanonymous: "true"\n', 5),
    ("language-name", b"name: a\nlanguages: [portuguese]\n", 5),
    ("quoted-number", _MONEY % (b'"5000"', b"40000", b"EUR") + _PERIOD, 7),
    ("old-currency", _MONEY % (b"5000", b"40000", b"ESC") + _PERIOD, 7),
    ("infinite", _MONEY % (b"5000", b"1e400", b"EUR") + _PERIOD, 7),
    ("not-a-number", _MONEY % (b".nan", b"40000", b"EUR") + _PERIOD, 7),
    ("negative", _MONEY % (b"-5", b"40000", b"EUR") + _PERIOD, 7),
    ("fraction-of-day", b"name: a\ncapacities:\n  - kind: training\n    days: 2.5\n" + _PERIOD, 7),
    ("bool-as-days", b"name: a\ncapacities:\n  - kind: training\n    days: true\n" + _PERIOD, 7),
    ("sector-code", b"name: a\npreferences:\n  sectors: [{vocabulary: dac-5, code: 1403}]\n", 6),
    ("script-address", b"name: a\nwebsite: javascript:alert(1)\n", 5),
]:
    _add("values", name, _donor(body), "SC003", line=line)
_add(
    "values",
    "country-case",
    _write(DONOR, b"id: fundacao-mar-aberto\nkind: foundation\ncountry: pt\nname: a\n"),
    "SC003",
    line=3,
)

# Cross-file: references to records that do not exist, reported in the file that makes them.
PLATFORM_FILE = "data/platforms/santo-antao.yaml"
for name, rel, old, new, code, line in [
    ("unknown-donor", AGREEMENT, "donor: fundacao-mar-aberto\n", "donor: ninguem\n", "RF001", 6),
    (
        "unknown-need",
        AGREEMENT,
        "needs: [cruzinha-2025-2028/cisterna]",
        "needs: [cruzinha-2025-2028/nao-existe]",
        "RF002",
        5,
    ),
    ("unknown-strategy", AGREEMENT, "strategy: cruzinha-2025-2028", "strategy: outra", "RF001", 4),
    ("unknown-community", AGREEMENT, "community: cruzinha\n", "community: outra\n", "RF001", 3),
    (
        "unknown-participant",
        AGREEMENT,
        "{role: funding, donor: fundacao-mar-aberto}",
        "{role: funding, donor: ninguem}",
        "RF001",
        8,
    ),
    (
        "unknown-dimension",
        STRATEGY,
        "    dimension: water\n",
        "    dimension: felicidade\n",
        "RF003",
        15,
    ),
    (
        "unknown-member",
        PLATFORM_FILE,
        "    community: cruzinha",
        "    community: nenhuma",
        "RF001",
        10,
    ),
    (
        "unknown-platform",
        COMMUNITY,
        "platforms: [santo-antao]",
        "platforms: [nenhuma]",
        "RF001",
        15,
    ),
]:
    CASES.append(Case(f"cross-{name}", _replace(rel, old, new), rel, code, line=line))


def _term_removed(root: Path) -> None:
    path = root / "data" / "vocabularies" / "dimensions.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("water", "agua", 1), encoding="utf-8")


CASES.append(Case("cross-term-removed", _term_removed, STRATEGY, "RF003", line=15))


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = f"{folder}/{name}"
            st = os.lstat(path)
            out[path] = (st.st_size, st.st_mtime_ns)
    return out


def test_there_are_at_least_a_hundred_cases() -> None:
    assert len(CASES) >= 100
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_refused(case: Case, minimal: Path, cli: Callable[..., Run]) -> None:
    case.apply(minimal)
    before = _snapshot(minimal)
    for fmt in ("json", "text", "github"):
        tracemalloc.start()
        start = time.perf_counter()
        run = cli(["check", "--repo", str(minimal), "--format", fmt])
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert elapsed < 5, f"{fmt}: {elapsed:.1f} s"
        assert peak < 200 * 2**20, f"{fmt}: {peak / 2**20:.0f} MB"
        assert "Traceback" not in run.stdout + run.stderr
        assert run.exit_code == case.exit_code, (fmt, run.stdout, run.stderr)
        if fmt == "json":
            found = [d for d in run.json()["diagnostics"] if d["code"] == case.code]
            assert found, run.stdout
            assert found[0]["path"] == case.path
            line = found[0]["line"]
            assert line >= 1
            if case.line:
                assert line == case.line, run.stdout
            if case.column:
                assert found[0]["column"] == case.column, run.stdout
        elif fmt == "text":
            assert f"{case.path}:{line}:" in run.stdout + run.stderr
            assert "\x1b" not in run.stdout + run.stderr
        else:
            assert f"file={case.path},line={line}," in run.stdout + run.stderr
        assert "root:x:0:0" not in run.stdout + run.stderr
    assert _snapshot(minimal) == before


PRIVACY = [case for case in CASES if case.name in PLANTED]
DAY = "2026-01-15"


def _published(root: Path, out: Path, cli: Callable[..., Run]) -> dict[str, str]:
    """Every published output: report html, md and digests, every export, and match."""
    seen: dict[str, str] = {}

    def run(name: str, *args: str) -> None:
        result = cli([*args, "--repo", str(root), "--as-of", DAY])
        assert "Traceback" not in result.stdout + result.stderr, name
        assert result.exit_code == 0, (name, result.stdout, result.stderr)
        seen[f"{name} stdout"] = result.stdout

    run("report html", "report", "--out", str(out / "site"))
    run("report md", "report", "--format", "md")
    run("report md pt", "report", "--format", "md", "--lang", "pt")
    run("report digest", "report", "--format", "digest", "--out", str(out / "digests"))
    run("report geojson", "report", "--format", "geojson")
    for fmt in ("iati", "360giving", "hxl", "geojson", "json", "xlsx", "csv"):
        run(f"export {fmt}", "export", "--format", fmt, "--out", str(out / f"export-{fmt}"))
    run("match", "match")
    run("match json", "match", "--format", "json")
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        if zipfile.is_zipfile(path):  # the workbook
            with zipfile.ZipFile(path) as book:
                seen[str(path)] = "".join(book.read(n).decode() for n in book.namelist())
        else:
            seen[str(path)] = path.read_bytes().decode("utf-8", "replace")
    assert any("/digests/" in name for name in seen), "no digest was written"
    assert len([name for name in seen if "/site/" in name]) > 5
    return seen


def _squeezed(text: str) -> str:
    """Text without the separators a renderer may change (spaces, no-break spaces, dots)."""
    return "".join(ch for ch in text.lower() if ch not in " \u00a0\u202f.-()+")


@pytest.mark.parametrize("case", PRIVACY, ids=[c.name for c in PRIVACY])
def test_planted_personal_data_reaches_no_output(
    case: Case, minimal: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    case.apply(minimal)
    planted = PLANTED[case.name]
    everything = "".join(p.read_text(encoding="utf-8") for p in minimal.rglob("*.yaml"))
    assert planted[0] in everything  # the value is really in the repository
    iati = minimal / "solidarity.yaml"
    iati.write_text(
        iati.read_text(encoding="utf-8") + "iati: {organisation: XI-IATI-EX1}\n", encoding="utf-8"
    )
    before = _snapshot(minimal)
    out = tmp_path / "out"
    seen = _published(minimal, out, cli)
    assert _snapshot(minimal) == before
    leaks = [
        (name, value)
        for name, text in seen.items()
        for value in planted
        if value in text or _squeezed(value) in _squeezed(text)
    ]
    assert leaks == []


KEYS = [case for case in CASES if case.name in SECRETS]


@pytest.mark.parametrize("case", KEYS, ids=[c.name for c in KEYS])
def test_personal_data_in_a_key_reaches_no_finding(
    case: Case,
    minimal: Path,
    tmp_path: Path,
    cli: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """check in every format, ci (annotations, step summary, comment) and diff name the
    finding's file, line and column with the visible mark, never the planted value."""
    base = commit_all(minimal, "clean")
    case.apply(minimal)
    planted = SECRETS[case.name]
    assert planted[0] in (minimal / case.path).read_text(encoding="utf-8")
    commit_all(minimal, "with the key")
    seen: dict[str, str] = {}
    for fmt in ("text", "json", "github", "sarif"):
        run = cli(["check", "--repo", str(minimal), "--format", fmt])
        assert run.exit_code == 1, (fmt, run.stdout, run.stderr)
        seen[f"check {fmt}"] = run.stdout + run.stderr
        if fmt == "json":
            found = [d for d in run.json()["diagnostics"] if d["code"] == case.code]
            assert (found[0]["path"], found[0]["line"], found[0]["column"]) == (
                case.path,
                case.line,
                case.column,
            )
            assert "[withheld: personal data]" in found[0]["message"] + found[0]["pointer"]
            assert found[0]["hint"]
        elif fmt == "text":
            assert f"{case.path}:{case.line}:{case.column}:" in run.stdout + run.stderr
        elif fmt == "github":
            assert f"file={case.path},line={case.line},col={case.column}," in seen[f"check {fmt}"]
    summary, comment = tmp_path / "summary.md", tmp_path / "comment.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = cli(["ci", "--repo", str(minimal), "--base", base, "--comment-file", str(comment)])
    assert run.exit_code == 1, (run.stdout, run.stderr)
    assert f"file={case.path},line={case.line}," in run.stdout
    seen["ci"] = run.stdout + run.stderr
    seen["ci summary"] = summary.read_text(encoding="utf-8")
    seen["ci comment"] = comment.read_text(encoding="utf-8")
    assert "[withheld: personal data]" in seen["ci"] + seen["ci comment"]
    for fmt in ("text", "md", "json"):
        run = cli(["diff", base, "HEAD", "--repo", str(minimal), "--format", fmt])
        assert "Traceback" not in run.stdout + run.stderr
        seen[f"diff {fmt}"] = run.stdout + run.stderr
    leaks = [
        (name, value)
        for name, text in seen.items()
        for value in planted
        if value in text or _squeezed(value) in _squeezed(text)
    ]
    assert leaks == []
