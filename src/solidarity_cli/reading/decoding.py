"""Bytes to text: the checks a file passes before its YAML is parsed (NUL bytes, UTF-8).

Merge-conflict markers are found in the decoded text, at any indentation, by ``screening``."""

from __future__ import annotations

from solidarity_cli.diagnostics import Diagnostic, Location, Severity
from solidarity_cli.words import M_

_BOM = b"\xef\xbb\xbf"


def finding(
    code: str, rule: str, path: str, line: int, column: int, message: str, hint: str
) -> Diagnostic:
    """An error finding at a line and column of ``path``."""
    return Diagnostic(
        code=code,
        severity=Severity.ERROR,
        message=message,
        hint=hint,
        rule=rule,
        location=Location(path, max(line, 1), max(column, 1)),
    )


def line_col(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of a byte offset."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


def decode(path: str, data: bytes) -> str | Diagnostic:
    """The text of a file, or the finding that stops it from being text."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = line_col(data, nul)
        return finding(
            "SY006",
            "nul-byte",
            path,
            line,
            col,
            M_("the file contains a NUL byte: it looks like a binary file, not YAML"),
            M_("save the file again as plain UTF-8 text"),
        )
    try:
        text = data.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = line_col(data, exc.start)
        return finding(
            "SY005",
            "not-utf8",
            path,
            line,
            col,
            M_(
                "the file is not valid UTF-8 (byte {byte})",
                byte=f"0x{data[exc.start]:02x}",
            ),
            M_("save the file as UTF-8 in your editor (often under 'Save with encoding')"),
        )
    return text
