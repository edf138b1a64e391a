"""What is refused where a file enters, before anything is constructed from it.

The tool's writers never emit explicit tags, directives, anchors or aliases, so a record that
holds one was written to make a parser do more than read plain values (PyYAML's ``load`` history,
``!include``); control characters and bidi overrides outside comments reach a maintainer's
terminal or hide what a line says; merge-conflict markers mean two versions were pasted together.
Each is a finding with its own code, line and column. The libyaml scanner (C, positions of every
token) only runs on the few files whose text could hold a tag, an anchor, a directive or deep
block nesting; every other check is one regular expression over the text. Before any of that,
``quiet`` looks at the bytes: most files hold no byte that could start a refused construct, and
then nothing else runs. Deep flow nesting is measured on the parsed value (``nesting``): the
parser bounds it itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.tokens import (
    AliasToken,
    AnchorToken,
    BlockEndToken,
    BlockMappingStartToken,
    BlockSequenceStartToken,
    DirectiveToken,
    FlowMappingEndToken,
    FlowMappingStartToken,
    FlowSequenceEndToken,
    FlowSequenceStartToken,
    TagToken,
)

from solidarity_cli.diagnostics import Diagnostic
from solidarity_cli.reading.decoding import finding
from solidarity_cli.words import M_

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: C0 controls but tab, newline and carriage return; DEL; C1 controls; a BOM after the start.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")
#: Bidirectional embeddings, overrides and isolates (the "trojan source" characters).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Escapes in double-quoted scalars that produce a control or bidi character.
_ESCAPE = re.compile(r"\\(e|a|b|v|f|0|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")
_ESCAPED = {"e": 0x1B, "a": 0x07, "b": 0x08, "v": 0x0B, "f": 0x0C, "0": 0x00}
_CONFLICT_MARKS = ("<" * 7, "=" * 7, ">" * 7, "|" * 7)
_CONFLICT_BYTES = tuple(mark.encode() for mark in _CONFLICT_MARKS)
_CONFLICT = re.compile(r"^[ \t]*(<{7}|={7}|>{7}|\|{7})(?:[ \t].*)?\r?$", re.MULTILINE)
_DIRECTIVE = re.compile(r"^%", re.MULTILINE)


@dataclass(frozen=True)
class Bounds:
    """How deep a file may nest (the settings give it)."""

    depth: int = 20


def _line_col(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - start + 1


def _in_comment(text: str, offset: int) -> bool:
    """Whether ``offset`` lies in a comment: after a ``#`` that starts one on its line, outside
    quotes (a cheap reading of the line, enough to place the check)."""
    start = text.rfind("\n", 0, offset) + 1
    quote = ""
    for i in range(start, offset):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'" and (i == start or text[i - 1] in " \t:[{,-"):
            quote = ch
        elif ch == "#" and (i == start or text[i - 1] in " \t"):
            return True
    return False


def _is_control(code: int) -> bool:
    char = chr(code)
    return bool(_CONTROL.match(char) or _BIDI.match(char))


def _characters(path: str, text: str) -> Diagnostic | None:
    for pattern, code, rule in ((_CONTROL, "SY014", "control-character"), (_BIDI, "SY015", "bidi")):
        for match in pattern.finditer(text):
            if match.start() == 0 and match.group() == "\ufeff":
                continue
            if _in_comment(text, match.start()):
                continue
            line, col = _line_col(text, match.start())
            char = f"U+{ord(match.group()):04X}"
            if code == "SY014":
                message = M_("the text holds an invisible control character ({char})", char=char)
                hint = M_("delete the character: retype the line in a plain text editor")
            else:
                message = M_(
                    "the text holds a character that reverses the direction of text ({char})",
                    char=char,
                )
                hint = M_("delete the character: it can make a line read differently than it is")
            return finding(code, rule, path, line, col, message, hint)
    if "\\" in text:
        for match in _ESCAPE.finditer(text):
            body = match.group(1)
            value = _ESCAPED.get(body)
            if value is None:
                value = int(body[1:], 16)
            if not _is_control(value) or _in_comment(text, match.start()):
                continue
            line, col = _line_col(text, match.start())
            return finding(
                "SY014",
                "control-character",
                path,
                line,
                col,
                M_(
                    "the text writes an invisible control character as an escape ({char})",
                    char=f"U+{value:04X}",
                ),
                M_("delete the escape: records hold plain, visible text"),
            )
    return None


def _conflict(path: str, text: str) -> Diagnostic | None:
    # A plain substring test first: almost no file has a marker, and the regex is the slow part.
    if not any(mark in text for mark in _CONFLICT_MARKS):
        return None
    match = _CONFLICT.search(text)
    if match is None:
        return None
    line, col = _line_col(text, match.start(1))
    return finding(
        "SY004",
        "merge-conflict",
        path,
        line,
        col,
        M_("the file still holds git merge-conflict markers"),
        M_(
            "keep the right version of the lines between <<<<<<< and >>>>>>>, "
            "then delete the marker lines"
        ),
    )


def _needs_scan(text: str, bounds: Bounds) -> bool:
    if "!" in text or "&" in text or "*" in text or _DIRECTIVE.search(text):
        return True
    return re.search(f"^ {{{bounds.depth},}}\\S", text, re.MULTILINE) is not None


def _many_brackets(text: str, bounds: Bounds) -> bool:
    return text.count("[") + text.count("{") >= bounds.depth


def _deeper(value: Any, levels: int) -> bool:
    """Whether ``value`` nests lists and mappings more than ``levels`` deep (the parser bounds
    the recursion)."""
    if isinstance(value, dict):
        children: Iterable[Any] = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return False
    if levels <= 0:
        return True
    return any(_deeper(c, levels - 1) for c in children if isinstance(c, dict | list))


def nesting(path: str, text: str, value: Any, bounds: Bounds) -> Diagnostic | None:
    """Flow collections (``{...}``, ``[...]``) nested deeper than the bound, once parsed.

    Block nesting is screened before the parse, by indentation; flow nesting is measured on
    the parsed value (the parser refuses very deep flow nesting itself, see ``before_error``),
    so a long file with many one-line ``{pt: ...}`` mappings is not scanned token by token.
    The scan only runs to place a file found too deep.
    """
    if not _many_brackets(text, bounds) or not _deeper(value, bounds.depth):
        return None
    return _tokens(path, text, bounds) or _too_deep(path, 1, 1, bounds)


def before_error(path: str, text: str, bounds: Bounds) -> Diagnostic | None:
    """What screening says of a file the parser refused: nesting too deep for it, mostly."""
    return _tokens(path, text, bounds) if _many_brackets(text, bounds) else None


_OPEN = (
    BlockMappingStartToken,
    BlockSequenceStartToken,
    FlowMappingStartToken,
    FlowSequenceStartToken,
)
_CLOSE = (BlockEndToken, FlowMappingEndToken, FlowSequenceEndToken)


def _tokens(path: str, text: str, bounds: Bounds) -> Diagnostic | None:
    depth = 0
    try:
        for token in yaml.scan(text, Loader=_Loader):
            line, col = token.start_mark.line + 1, token.start_mark.column + 1
            if isinstance(token, TagToken):
                return finding(
                    "SY010",
                    "yaml-tag",
                    path,
                    line,
                    col,
                    M_("explicit YAML tags (!include, !!binary, !!str...) are not accepted"),
                    M_("remove the tag (the word starting with '!'): records hold plain values"),
                )
            if isinstance(token, DirectiveToken):
                return _directive(path, line, col)
            if isinstance(token, AnchorToken | AliasToken):
                return finding(
                    "SY013",
                    "yaml-anchor",
                    path,
                    line,
                    col,
                    M_("YAML anchors (&name) and aliases (*name) are not accepted"),
                    M_(
                        "write the value out in full where it is used; a value starting with "
                        "'&' or '*' needs quotes"
                    ),
                )
            if isinstance(token, _OPEN):
                depth += 1
                if depth > bounds.depth:
                    return _too_deep(path, line, col, bounds)
            elif isinstance(token, _CLOSE):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        said = f"{exc.context} {exc.problem}"
        if "nesting depth" in said:
            return _too_deep(path, where[0], where[1], bounds)
        if "directive" in said:
            mark = exc.context_mark or mark
            line, col = (mark.line + 1, mark.column + 1) if mark is not None else where
            return _directive(path, line, col)
        return None  # the parser names the syntax error
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    return None


def _too_deep(path: str, line: int, col: int, bounds: Bounds) -> Diagnostic:
    return finding(
        "SY016",
        "too-deep",
        path,
        line,
        col,
        M_("the file nests lists and mappings more than {depth} levels deep", depth=bounds.depth),
        M_("records are a few levels deep: check the indentation here"),
    )


def _directive(path: str, line: int, col: int) -> Diagnostic:
    return finding(
        "SY012",
        "yaml-directive",
        path,
        line,
        col,
        M_("YAML directives (%YAML, %TAG) are not accepted"),
        M_("delete the line starting with '%'"),
    )


def quote_start(text: str) -> tuple[int, int] | None:
    """Where an unclosed quoted value starts (libyaml names the opening quote)."""
    try:
        for _token in yaml.scan(text, Loader=_Loader):
            pass
    except yaml.MarkedYAMLError as exc:
        if exc.context and "quoted scalar" in exc.context and exc.context_mark is not None:
            return exc.context_mark.line + 1, exc.context_mark.column + 1
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    return None


#: Bytes that never need a closer look: printable ASCII but the few that can start something
#: refused (``\\ ! & * %`` and the conflict-marker characters ``< = > |``), tabs, line ends,
#: and every byte of UTF-8 but the lead bytes of C1 controls, bidi controls and the BOM.
_QUIET = bytes(
    b
    for b in range(256)
    if (0x20 <= b <= 0x7E and b not in b"\\!&*%<=>|") or b in b"\t\n\r" or b >= 0x80
    if b not in (0xC2, 0xE2, 0xEF)
)
#: Encoded C1 controls, bidi embeddings, overrides and isolates, and a BOM (see ``_CONTROL``).
_LOUD_UTF8 = re.compile(rb"\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xef\xbb\xbf")


def quiet(data: bytes, bounds: Bounds) -> bool:
    """Whether ``screen`` is sure to find nothing in the text of ``data``, judged on the bytes.

    A few byte searches instead of regular expressions over the decoded text: most files hold
    none of the bytes that could start a refused construct. False means "look closer" (``screen``
    decides), never "refused".
    """
    loud = data.translate(None, _QUIET)
    if loud:
        if loud.translate(None, b"%<=>|\xc2\xe2\xef"):
            return False  # controls, tabs, escapes, tags, anchors or aliases
        if b"%" in loud and (data.startswith(b"%") or b"\n%" in data):
            return False
        lt, eq, gt, bar = _CONFLICT_BYTES
        if lt in data or eq in data or gt in data or bar in data:
            return False
        if (b"\xc2" in loud or b"\xe2" in loud or b"\xef" in loud) and _LOUD_UTF8.search(data):
            return False
    indent = b" " * bounds.depth
    return not (data.startswith(indent) or b"\n" + indent in data)


def screen(path: str, text: str, bounds: Bounds) -> Diagnostic | None:
    """The first thing in ``text`` that is refused at entry, or None."""
    return (
        _conflict(path, text)
        or _characters(path, text)
        or (_tokens(path, text, bounds) if _needs_scan(text, bounds) else None)
    )
