"""Rules the network writes as data: CEL conditions over records, with their own governance.

A rule in ``data/rules/<name>.yaml`` names the kind of record it applies to, a condition in the
Common Expression Language (CEL, as Kubernetes validation rules use) that holds for a good
record, and messages in the network's languages. The condition sees ``record`` (the record as
written), ``as_of`` (YYYY-MM-DD) and the records around it:

| applies_to | variables besides record and as_of |
|---|---|
| platform | - |
| community | strategies, agreements |
| strategy | community |
| need | strategy, community |
| donor | agreements |
| agreement | community, strategy, donor, reports |
| report | agreement |
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import Diagnostic, KeyPath, Location, Severity
from solidarity_cli.models.rule import Family, NetworkRule, RuleStatus, RuleTarget
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.rules.base import Finding, NoOptions, RuleContext
from solidarity_cli.words import M_, ngettext


def plain(value: Any) -> Any:
    """A record as CEL sees it: defaults filled in, empty values left out, dates as text."""
    if isinstance(value, BaseModel):
        return plain(value.model_dump(mode="python"))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _text(texts: dict[str, str] | None, language: str) -> str:
    if not texts:
        return ""
    return texts.get(language) or texts.get("en") or next(iter(texts.values()))


def _finding(
    code: str, rule: str, severity: Severity, path: str, key: KeyPath, message: str, hint: str
) -> Diagnostic:
    return Diagnostic(code, severity, message, Location(path, 0, 0, key), hint, rule)


@dataclass
class NetworkRuleSpec:
    """A compiled network rule, run by the engine like a built-in one."""

    model: NetworkRule
    path: str
    language: str
    condition: Any
    when: Any | None
    problems: list[Diagnostic] = field(default_factory=list)
    options: type[BaseModel] = NoOptions

    @property
    def code(self) -> str:
        return self.model.code

    @property
    def name(self) -> str:
        return self.model.id

    @property
    def family(self) -> Family:
        return self.model.family

    @property
    def severity(self) -> Severity:
        return Severity(self.model.severity.value)

    @property
    def summary(self) -> str:
        return _text(self.model.summary, self.language)

    def effective(self, as_of: dt.date) -> bool:
        """Trial and adopted rules speak from their effective date until retired."""
        gov = self.model.governance
        if gov.status not in (RuleStatus.TRIAL, RuleStatus.ADOPTED):
            return False
        if gov.effective_from is not None and as_of < gov.effective_from:
            return False
        return gov.retired_on is None or as_of < gov.retired_on

    def forced_severity(self) -> Severity | None:
        """Trial rules only inform: they never fail a build."""
        return Severity.INFO if self.model.governance.status is RuleStatus.TRIAL else None

    def verdict(self, variables: dict[str, Any]) -> bool:
        """True when the record follows the rule (or the rule does not apply to it)."""
        if self.when is not None and not self.when.execute(variables):
            return True
        return bool(self.condition.execute(variables))

    def run(self, ctx: RuleContext, options: Any) -> Iterator[Finding]:
        """Evaluate the condition on every record of the rule's kind."""
        failures: list[tuple[str, str]] = []
        message = _text(self.model.message, self.language)
        hint = _text(self.model.hint, self.language)
        field_path = tuple(self.model.field.split(".")) if self.model.field else ()
        for path, key, variables in _targets(ctx, self.model.applies_to):
            variables["as_of"] = ctx.as_of.isoformat()
            try:
                good = self.verdict(variables)
            except (TypeError, ValueError, KeyError, RuntimeError) as exc:
                failures.append((path, str(exc).splitlines()[0]))
                continue
            if not good:
                yield Finding(
                    path,
                    (*key, *field_path) if field_path else key or ("id",),
                    message,
                    hint,
                    "key" if field_path else "value",
                )
        if failures:
            first_path, error = failures[0]
            self.problems.append(
                _finding(
                    "NW002",
                    "rule-evaluation",
                    Severity.WARNING,
                    self.path,
                    ("condition",),
                    ngettext(
                        "the condition could not be evaluated on {n} record, first {path}: {error}",
                        "the condition could not be evaluated on {n} records, first {path}: "
                        "{error}",
                        len(failures),
                        path=first_path,
                        error=error,
                    ),
                    M_("test optional fields with has(record.field) before reading them"),
                )
            )


class _Plain:
    """Records as plain data, each converted once per run."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.cache: dict[tuple[str, str], Any] = {}

    def get(self, kind: str, key: str, record: Any) -> Any:
        if (kind, key) not in self.cache:
            self.cache[(kind, key)] = plain(record)
        return self.cache[(kind, key)]


def _targets(ctx: RuleContext, target: RuleTarget) -> Iterator[tuple[str, KeyPath, dict[str, Any]]]:
    ds = ctx.dataset
    cached = ctx.cache.get("plain")
    if not isinstance(cached, _Plain):
        cached = _Plain(ds)
        ctx.cache["plain"] = cached
    p = cached

    def community(cid: str) -> Any:
        c = ds.communities.get(cid)
        return p.get("community", cid, c) if c is not None else {}

    def strategy(sid: str) -> Any:
        s = ds.strategies.get(sid)
        return p.get("strategy", sid, s) if s is not None else {}

    def agreement(aid: str) -> Any:
        a = ds.agreements.get(aid)
        return p.get("agreement", aid, a) if a is not None else {}

    if target is RuleTarget.PLATFORM:
        for pid, platform in ds.platforms.items():
            yield (
                ds.path_of(RecordKind.PLATFORM, pid),
                (),
                {"record": p.get("platform", pid, platform)},
            )
    elif target is RuleTarget.COMMUNITY:
        for cid in ds.communities:
            yield (
                ds.path_of(RecordKind.COMMUNITY, cid),
                (),
                {
                    "record": community(cid),
                    "strategies": [strategy(s.id) for s in ds.strategies_of(cid)],
                    "agreements": [
                        agreement(a) for a, ag in ds.agreements.items() if ag.community == cid
                    ],
                },
            )
    elif target is RuleTarget.STRATEGY:
        for sid in ds.strategies:
            yield (
                ds.path_of(RecordKind.STRATEGY, sid),
                (),
                {
                    "record": strategy(sid),
                    "community": community(ds.strategy_owner[sid]),
                },
            )
    elif target is RuleTarget.NEED:
        for sid in ds.strategies:
            whole = strategy(sid)
            for i, need in enumerate(whole.get("needs", [])):
                yield (
                    ds.path_of(RecordKind.STRATEGY, sid),
                    ("needs", i),
                    {
                        "record": need,
                        "strategy": whole,
                        "community": community(ds.strategy_owner[sid]),
                    },
                )
    elif target is RuleTarget.DONOR:
        for did, donor in ds.donors.items():
            yield (
                ds.path_of(RecordKind.DONOR, did),
                (),
                {
                    "record": p.get("donor", did, donor),
                    "agreements": [
                        agreement(a) for a, ag in ds.agreements.items() if ag.donor == did
                    ],
                },
            )
    elif target is RuleTarget.AGREEMENT:
        for aid, ag in ds.agreements.items():
            funder = ds.donors.get(ag.donor)
            yield (
                ds.path_of(RecordKind.AGREEMENT, aid),
                (),
                {
                    "record": agreement(aid),
                    "community": community(ag.community),
                    "strategy": strategy(ag.strategy),
                    "donor": p.get("donor", ag.donor, funder) if funder is not None else {},
                    "reports": [plain(r) for r in ds.reports_of(aid)],
                },
            )
    elif target is RuleTarget.REPORT:
        for aid, reports in ds.reports.items():
            for rid, report in reports.items():
                yield (
                    ds.path_of(RecordKind.REPORT, f"{aid}/{rid}"),
                    (),
                    {
                        "record": plain(report),
                        "agreement": agreement(aid),
                    },
                )


def compile_rules(
    ds: Dataset, builtin_codes: set[str]
) -> tuple[list[NetworkRuleSpec], list[Diagnostic]]:
    """Compile every network rule; a broken one becomes a finding on its file, never a crash."""
    language = ds.settings.default_language if ds.settings is not None else "en"
    specs: list[NetworkRuleSpec] = []
    problems: list[Diagnostic] = []
    codes = set(builtin_codes)
    for name, model in sorted(ds.rules.items()):
        path = ds.path_of(RecordKind.RULE, name)
        broken = False
        if not model.code.startswith(model.family.prefix):
            problems.append(
                _finding(
                    "NW003",
                    "rule-code",
                    Severity.ERROR,
                    path,
                    ("code",),
                    M_(
                        "code {code} does not start with {prefix}, the prefix of family {family}",
                        code=model.code,
                        prefix=model.family.prefix,
                        family=model.family.value,
                    ),
                    M_("use a code like {prefix}501", prefix=model.family.prefix),
                )
            )
            broken = True
        elif model.code in codes:
            problems.append(
                _finding(
                    "NW003",
                    "rule-code",
                    Severity.ERROR,
                    path,
                    ("code",),
                    M_("code {code} is already used by another rule", code=model.code),
                    M_("pick a free code; network rules usually start at 500 (e.g. ND501)"),
                )
            )
            broken = True
        codes.add(model.code)
        programs: dict[str, Any] = {}
        # Imported here: the package pulls in an interactive shell that costs 0.1 s at start.
        import cel

        for key in ("condition", "when"):
            source = getattr(model, key)
            if source is None:
                continue
            try:
                programs[key] = cel.compile(source)
            except (ValueError, RuntimeError) as exc:
                detail = " ".join(str(exc).split())
                problems.append(
                    _finding(
                        "NW001",
                        "rule-expression",
                        Severity.ERROR,
                        path,
                        (key,),
                        M_(
                            "the {key} is not a valid CEL expression: {detail}",
                            key=key,
                            detail=detail,
                        ),
                        M_(
                            "see the CEL language definition (github.com/google/cel-spec); test "
                            "optional fields with has(record.field)"
                        ),
                    )
                )
                broken = True
        if broken:
            continue
        spec = NetworkRuleSpec(model, path, language, programs["condition"], programs.get("when"))
        problems.extend(check_examples(spec))
        specs.append(spec)
    return specs, problems


def check_examples(spec: NetworkRuleSpec) -> list[Diagnostic]:
    """A good example the rule flags, or a bad one it lets pass, is a finding on the rule file."""
    out = []
    examples = spec.model.examples
    context = plain(examples.context)
    for group, expected in (("good", True), ("bad", False)):
        for i, record in enumerate(getattr(examples, group)):
            variables = {"as_of": dt.date.today().isoformat(), **context, "record": plain(record)}
            try:
                verdict = spec.verdict(variables)
            except (TypeError, ValueError, KeyError, RuntimeError) as exc:
                error = " ".join(str(exc).split())
                if expected:
                    message = M_("the condition fails on this good example: {error}", error=error)
                else:
                    message = M_("the condition fails on this bad example: {error}", error=error)
                out.append(
                    _finding(
                        "NW004",
                        "rule-examples",
                        Severity.ERROR,
                        spec.path,
                        ("examples", group, i),
                        message,
                        M_("test optional fields with has(record.field), or fix the example"),
                    )
                )
                continue
            if verdict is not expected:
                if expected:
                    message = M_("the rule flags this good example")
                else:
                    message = M_("the rule lets this bad example pass")
                out.append(
                    _finding(
                        "NW004",
                        "rule-examples",
                        Severity.ERROR,
                        spec.path,
                        ("examples", group, i),
                        message,
                        M_(
                            "fix the condition or the example, so that good examples pass and "
                            "bad ones are flagged"
                        ),
                    )
                )
    return out
