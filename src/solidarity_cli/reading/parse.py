"""Fast YAML 1.2 parsing of record files, with every byte-level problem found first.

Files are bulk-parsed with ``yaml_rs`` (YAML 1.2 core schema, written in Rust). ruamel.yaml is
only used afterwards, on the few files that need an exact position (see ``positions``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml_rs

from solidarity_cli.diagnostics import Diagnostic
from solidarity_cli.reading.decoding import decode
from solidarity_cli.reading.decoding import finding as _finding
from solidarity_cli.reading.positions import complex_key_position, duplicate_key_position
from solidarity_cli.reading.screening import Bounds, before_error, nesting, quiet, quote_start
from solidarity_cli.reading.screening import screen as refuse
from solidarity_cli.reading.values import Shared, may_be_personal, walk
from solidarity_cli.words import M_, N_, Words

#: Bounds alias expansion so that a "billion laughs" file cannot exhaust memory.
ALIAS_LIMITS = yaml_rs.AliasLimits(
    max_total_replayed_events=10_000, max_replay_stack_depth=16, max_alias_expansions_per_anchor=100
)

_DOC_MARK = re.compile(r"^(---|\.\.\.)(?=[ \t]|\r?$)", re.MULTILINE)
_LINE_COL = re.compile(r"line (\d+), column (\d+)")

_DEFAULT_BOUNDS = Bounds()


@dataclass(frozen=True)
class Parsed:
    """What parsing one file gave: the data, or the problems that stopped it."""

    data: Any
    diagnostics: tuple[Diagnostic, ...] = ()
    personal: bool = False
    """Whether the text may hold personal data (see ``privacy``)."""


def _tab_indent(data: bytes, text: str) -> tuple[int, int] | None:
    if b"\t" not in data:
        return None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return number, len(line) - len(stripped) + 1
    return None


def _has_content(text: str) -> bool:
    return any(ln.strip() and not ln.lstrip().startswith(("#", "%")) for ln in text.splitlines())


def _extra_document(text: str) -> int | None:
    """The line of a second YAML document in ``text``, if there is one.

    A ``...`` that only ends the one document (nothing but comments after it) starts none.
    """
    seen_content = False
    for match in _DOC_MARK.finditer(text):
        if match.group(1) == "..." and not _has_content(text[match.end() :]):
            return None
        if seen_content or _has_content(text[: match.start()]):
            return text.count("\n", 0, match.start()) + 1
        seen_content = True
    return None


def parse_bytes(
    path: str,
    data: bytes,
    *,
    screen: bool = True,
    bounds: Bounds = _DEFAULT_BOUNDS,
    shared: Shared | None = None,
) -> Parsed:
    """Parse one record file; ``path`` is repo-relative and only used in findings.

    ``screen``: also say whether its text may hold personal data (see ``privacy``).
    ``shared``: the texts and dates of the files read before, to share (see ``values``).
    """
    if not data or data.isspace():
        return Parsed(
            None,
            (
                _finding(
                    "SY007",
                    "empty-file",
                    path,
                    1,
                    1,
                    M_("the file is empty"),
                    M_("write the record in it, or delete the file"),
                ),
            ),
        )
    decoded = decode(path, data)
    if isinstance(decoded, Diagnostic):
        return Parsed(None, (decoded,))
    text = decoded
    refused = None if quiet(data, bounds) else refuse(path, text, bounds)
    if refused is not None:
        return Parsed(None, (refused,))
    tab = _tab_indent(data, text)
    if tab is not None:
        return Parsed(
            None,
            (
                _finding(
                    "SY003",
                    "tab-indentation",
                    path,
                    tab[0],
                    tab[1],
                    M_("a tab is used for indentation; YAML only allows spaces"),
                    M_("replace the tab with spaces (two per level)"),
                ),
            ),
        )
    extra = _extra_document(text) if b"---" in data or b"..." in data else None
    if extra is not None:
        return Parsed(
            None,
            (
                _finding(
                    "SY011",
                    "one-document",
                    path,
                    extra,
                    1,
                    M_("the file holds more than one YAML document"),
                    M_(
                        "keep one record per file: move the part after '---' into a file of its own"
                    ),
                ),
            ),
        )
    try:
        value = yaml_rs.loads(text, parse_datetime=True, alias_limits=ALIAS_LIMITS)
    except yaml_rs.YAMLDecodeError as exc:
        deep = before_error(path, text, bounds)
        return Parsed(None, (deep,)) if deep is not None else _decode_error(path, text, str(exc))
    except TypeError:
        # A key that is a list or mapping holding a mapping or list: Python cannot hash it.
        line, col = complex_key_position(text)
        return Parsed(
            None,
            (
                _finding(
                    "SC003",
                    "invalid-value",
                    path,
                    line,
                    col,
                    M_("a key is a list or a mapping, but keys are plain words"),
                    M_("write the key as a word followed by ':', e.g. 'name: value'"),
                ),
            ),
        )
    except (RecursionError, ValueError, OverflowError) as exc:
        deep = before_error(path, text, bounds)
        if deep is not None:
            return Parsed(None, (deep,))
        return Parsed(
            None,
            (
                _finding(
                    "SY001",
                    "yaml-syntax",
                    path,
                    1,
                    1,
                    M_("the file cannot be read as YAML: {error}", error=parser_reason(str(exc))),
                    M_("simplify the file: records are plain mappings, lists and values"),
                ),
            ),
        )
    walked = walk(value, shared)
    # Screened before anything else can refuse the file: a text now shared is never screened
    # again when a later file repeats it.
    personal = screen and may_be_personal(walked, shared)
    deep = nesting(path, text, value, bounds) if walked.layers > bounds.depth else None
    if deep is not None:
        return Parsed(None, (deep,))
    if not isinstance(value, dict):
        if isinstance(value, list):
            message = M_("the file holds a list, but a record is a mapping of keys to values")
        else:
            message = M_(
                "the file holds a single value, but a record is a mapping of keys to values"
            )
        return Parsed(
            None,
            (
                _finding(
                    "SY008",
                    "not-a-mapping",
                    path,
                    1,
                    1,
                    message,
                    M_("start the file with 'id: ...' and one 'key: value' per line"),
                ),
            ),
        )
    return Parsed(value, personal=personal)


def _decode_error(path: str, text: str, message: str) -> Parsed:
    first = message.splitlines()[0] if message else M_("invalid YAML")
    if first.startswith("duplicate mapping key"):
        line, col, key = duplicate_key_position(text)
        return Parsed(
            None,
            (
                _finding(
                    "SY002",
                    "duplicate-key",
                    path,
                    line,
                    col,
                    M_("the key '{key}' appears twice in the same mapping", key=key)
                    if key
                    else M_("a key appears twice in the same mapping"),
                    M_("keep one of the two lines: YAML would silently lose the other value"),
                ),
            ),
        )
    if "alias" in first and "limit" in first:
        return Parsed(
            None,
            (
                _finding(
                    "SY009",
                    "alias-limit",
                    path,
                    1,
                    1,
                    M_("the file expands YAML aliases (*name) too many times"),
                    M_(
                        "write the values out instead of repeating them through anchors and aliases"
                    ),
                ),
            ),
        )
    if first.startswith("Invalid tag"):
        tag = first.split("'")[1] if "'" in first else "!"
        offset = max(text.find(tag), 0)
        line, col = text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
        return Parsed(
            None,
            (
                _finding(
                    "SY010",
                    "yaml-tag",
                    path,
                    line,
                    col,
                    M_("unsupported YAML tag: {tag}", tag=first[13:]),
                    M_("remove the tag (the part starting with '!'): records hold plain values"),
                ),
            ),
        )
    match = _LINE_COL.search(message)
    line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
    if "quoted scalar" in message or "quote" in first:
        # The parser stops where the file ends; the contributor needs the opening quote.
        line, col = quote_start(text) or (line, col)
    reason = message.strip().splitlines()[-1].strip() if match else first
    hint = M_(
        "check the indentation and the quotes around this line; a value holding ': ' "
        "or starting with a special character needs quotes"
    )
    said = M_("YAML syntax error: {reason}", reason=parser_reason(reason))
    if reason.startswith("simple key expect ':'"):
        # The parser notices on the next line; the contributor's line is the one before.
        line, col = key_without_colon(text, line) or (line, col)
        hint = M_("write ':' and a space after the key, e.g. 'country: CV'")
    elif "did not find expected key" in reason or reason.startswith("mapping values are not"):
        apart = misaligned_key(text, line)
        if apart is not None:
            col, above, above_col = apart
            said = M_(
                "YAML syntax error: this key starts in column {col} and the key on line "
                "{above} in column {above_col}, so it belongs to no mapping",
                col=col,
                above=above,
                above_col=above_col,
            )
            hint = M_(
                "keys of one mapping start in the same column: move this line or line "
                "{above} so that both start where their neighbours do, with spaces",
                above=above,
            )
    return Parsed(None, (_finding("SY001", "yaml-syntax", path, line, col, said, hint),))


#: A ``key: value`` line (or ``- key: value``): its indentation, list dash, and value.
_KEY_LINE = re.compile(r"^( *)(- +)?[^\s#'\"\[{&*!|>%@`-][^:#]*:(?: +(.*))?$")
#: Values that open a block below their key: the next line may then start further in.
_OPENS_BLOCK = re.compile(r"^(?:[|>][-+0-9]*|&\S+)?\s*(?:#.*)?$")


def misaligned_key(text: str, stopped: int) -> tuple[int, int, int] | None:
    """Column of the key on line ``stopped``, and the line and key column of the written line
    above it, when that line is a ``key: value`` whose key starts in another column: the
    commonest slip of a hand-edited file. None when the parser's place stands."""
    lines = text.splitlines()
    if not 0 < stopped <= len(lines):
        return None
    here = _KEY_LINE.match(lines[stopped - 1])
    if here is None:
        return None
    column = len(here.group(1)) + len(here.group(2) or "") + 1
    number = _written_above(lines, stopped)
    above = _KEY_LINE.match(lines[number - 1]) if number is not None else None
    if number is None or above is None or _OPENS_BLOCK.match(above.group(3) or ""):
        return None
    above_column = len(above.group(1)) + len(above.group(2) or "") + 1
    return (column, number, above_column) if above_column != column else None


def key_without_colon(text: str, stopped: int) -> tuple[int, int] | None:
    """Line and column of the last written line before line ``stopped`` (comments and blank
    lines aside): where a key without ':' was, when the parser notices on the next line."""
    lines = text.splitlines()
    number = _written_above(lines, stopped)
    if number is None:
        return None
    content = lines[number - 1]
    bare = content.strip()
    if ": " in bare or bare.endswith(":"):
        return None  # that line has its ':': the parser's place stands
    return number, len(content) - len(content.lstrip(" ")) + 1


def _written_above(lines: list[str], stopped: int) -> int | None:
    """The number of the last line before line ``stopped`` that holds more than a comment."""
    for number in range(min(stopped, len(lines) + 1) - 1, 0, -1):
        bare = lines[number - 1].strip()
        if bare and not bare.startswith("#"):
            return number
    return None


#: The YAML parser's reasons, from the start of its message, in our words.
_REASONS: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed", N_("a 'key: value' where none can start")),
    (
        "while parsing a block mapping, did not find expected key",
        N_("a line that is not a 'key: value' of the mapping above it"),
    ),
    (
        "while parsing a block collection, did not find expected '-'",
        N_("a line in a list that does not start with '- '"),
    ),
    ("did not find expected key", N_("a line that is not a 'key: value' of the mapping above it")),
    ("did not find expected ':'", N_("a key without ':' after it")),
    ("could not find expected ':'", N_("a key without ':' after it")),
    ("found character that cannot start any token", N_("a character that cannot start a value")),
    ("unexpected character", N_("a character that cannot start a value")),
    ("unclosed bracket", N_("a bracket that is opened but never closed")),
    ("mismatched bracket", N_("a bracket closed by the wrong kind of bracket")),
    ("misplaced bracket", N_("a closing bracket that closes nothing")),
    (
        "while parsing node, found unknown anchor",
        N_("an alias (*name) to an anchor (&name) that is not defined above"),
    ),
    (
        "found undefined alias",
        N_("an alias (*name) to an anchor (&name) that is not defined above"),
    ),
    ("invalid indentation in multiline quoted scalar", N_("a quoted text that is not closed")),
    ("found unexpected end of stream", N_("a quoted text that is not closed")),
    ("while scanning a quoted scalar", N_("a quoted text that is not closed")),
    (
        "while parsing a quoted scalar, found unknown escape character",
        N_("an unknown escape (a backslash) inside double quotes"),
    ),
    ("found unknown escape character", N_("an unknown escape (a backslash) inside double quotes")),
    ("invalid trailing content after", N_("text after the closing quote")),
    ("duplicate version directive", N_("the %YAML line appears twice")),
    ("found incompatible YAML document", N_("a YAML version other than 1.2")),
    ("Invalid value", N_("a value that does not fit its tag")),
    ("found a tab character", N_("a tab where YAML only allows spaces")),
    ("while scanning a simple key", N_("a key without ':' after it")),
    ("simple key expect ':'", N_("a key without ':' after it")),
    ("while scanning an alias", N_("an alias (*name) without a name")),
    ("while scanning an anchor", N_("an anchor (&name) without a name")),
    ("block sequence entries are not allowed", N_("a '- ' list item where none can start")),
    ("expected <document start>", N_("text after the end of the record")),
)


def parser_reason(reason: str) -> Words:
    """The parser's reason for giving up, in words the reader's language has."""
    for start, ours in _REASONS:
        if reason.startswith(start) or start in reason:
            return M_(ours)
    return M_("the parser stops here")
