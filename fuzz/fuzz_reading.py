"""Coverage-guided fuzzing of the reading layer with atheris (libFuzzer for Python), by hand.

Every input is one file's bytes, read the way ``check`` reads each record (``read_file``: size
bound, decoding, screening, parse, schema, positions). The first byte chooses the kind of
record; the rest is the file. A record or findings naming the file at a line >= 1 is the only
acceptable outcome: any exception, or a finding without its place, is a crash.

    pip install atheris        # into your own virtual environment; not a test dependency
    mkdir -p /tmp/fuzz-corpus && cp src/solidarity_cli/example_repo/data/donors/*.yaml \\
        /tmp/fuzz-corpus/
    python fuzz/fuzz_reading.py /tmp/fuzz-corpus -dict=fuzz/yaml.dict -max_total_time=600 \\
        -rss_limit_mb=1024 -timeout=10

A crash leaves ``crash-<sha1>`` in the current folder; run the harness on that file alone to
see the exception again (``python fuzz/fuzz_reading.py crash-<sha1>``).
"""

from __future__ import annotations

import sys

import atheris  # type: ignore[import-not-found]

with atheris.instrument_imports(include=["solidarity_cli", "yaml"]):
    from solidarity_cli.reading import read_file
    from solidarity_cli.reading.layout import RecordKind

PATHS: list[tuple[str, RecordKind]] = [
    ("data/donors/x.yaml", RecordKind.DONOR),
    ("data/communities/x/community.yaml", RecordKind.COMMUNITY),
    ("data/communities/x/strategies/x.yaml", RecordKind.STRATEGY),
    ("data/partnerships/x/agreement.yaml", RecordKind.AGREEMENT),
    ("data/partnerships/x/reports/x.yaml", RecordKind.REPORT),
    ("data/rules/x.yaml", RecordKind.RULE),
    ("data/vocabularies/x.yaml", RecordKind.VOCABULARY),
    ("data/platforms/x.yaml", RecordKind.PLATFORM),
]


class UnplacedFindingError(AssertionError):
    """A finding that does not name the file and a line, or neither a record nor a finding."""


def test_one_input(data: bytes) -> None:
    """Read one generated file; raise on anything but a record or placed findings."""
    if not data:
        return
    rel, kind = PATHS[data[0] % len(PATHS)]
    record, findings = read_file(rel, data[1:], kind.model)
    if (record is None) != bool(findings):
        raise UnplacedFindingError(f"record {record!r} with findings {findings!r}")
    for finding in findings:
        if finding.path != rel or finding.line < 1 or finding.column < 1:
            raise UnplacedFindingError(repr(finding))
        if not finding.message:
            raise UnplacedFindingError(f"a finding without a message: {finding!r}")


def main() -> None:
    """Run libFuzzer with the command-line arguments it understands."""
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
