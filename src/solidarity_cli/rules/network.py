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
| need | strategy (without its needs), community |
| donor | agreements |
| agreement | community, strategy, donor, reports |
| report | agreement |

A need rule sees its strategy without the strategy's needs: a condition over all the needs of a
strategy is a strategy rule, and a rule on each need then costs in proportion to the needs.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Collection, Iterator
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
    reads: frozenset[str] = field(init=False)
    """The variables the condition and ``when`` name: only those are built and handed over."""

    def __post_init__(self) -> None:
        programs = [self.condition] if self.when is None else [self.condition, self.when]
        self.reads = frozenset(name for program in programs for name in program.variables())

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
        for path, key, variables, whole in targets(ctx, self.model.applies_to, self.reads):
            variables["as_of"] = ctx.as_of.isoformat()
            try:
                good = self.verdict(variables)
            except (TypeError, ValueError, KeyError, RuntimeError) as exc:
                # A record read in part (or not at all) fails for the contributor's error,
                # which a schema finding already names: not the rule's fault.
                if whole:
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


def _by(ds: Dataset, side: str) -> dict[str, list[str]]:
    """Agreement ids by community or by donor, built once, so that a rule on each community
    or donor does not look through every agreement."""
    index: dict[str, list[str]] = {}
    for aid, ag in ds.agreements.items():
        index.setdefault(getattr(ag, side), []).append(aid)
    return index


Target = tuple[str, KeyPath, dict[str, Any], bool]
"""(path, key path, variables, sound) of one evaluation; ``sound`` is False when a record it
reads could not be read whole (a schema finding already says why)."""


def targets(
    ctx: RuleContext, target: RuleTarget, reads: Collection[str] | None = None
) -> Iterator[Target]:
    """Every evaluation of a rule on ``target``: the record, where it is, what it sees.

    Only the variables named in ``reads`` are built (all when None), since the CEL engine
    converts every variable it is handed on every evaluation. Each record is converted to plain
    data once per run; a need rule sees its strategy without the strategy's needs, so that the
    work of evaluating it on every need stays linear in the number of needs.
    """
    ds = ctx.dataset
    p = ctx.shared("plain", lambda: _Plain(ds))

    def wanted(name: str) -> bool:
        return reads is None or name in reads

    def community(cid: str) -> Any:
        c = ds.communities.get(cid)
        return p.get("community", cid, c) if c is not None else {}

    def strategy(sid: str) -> Any:
        s = ds.strategies.get(sid)
        return p.get("strategy", sid, s) if s is not None else {}

    def agreement(aid: str) -> Any:
        a = ds.agreements.get(aid)
        return p.get("agreement", aid, a) if a is not None else {}

    def donor(did: str) -> Any:
        d = ds.donors.get(did)
        return p.get("donor", did, d) if d is not None else {}

    def build(key: str, makers: dict[str, Callable[[str], Any]]) -> dict[str, Any]:
        return {name: make(key) for name, make in makers.items() if wanted(name)}

    def sound(*records: tuple[str, RecordKind, str]) -> bool:
        return all(ds.sound(kind, key) for name, kind, key in records if wanted(name))

    C, S, A, D = RecordKind.COMMUNITY, RecordKind.STRATEGY, RecordKind.AGREEMENT, RecordKind.DONOR
    if target is RuleTarget.PLATFORM:
        for pid, platform in ds.platforms.items():
            path = ds.path_of(RecordKind.PLATFORM, pid)
            whole = path not in ds.incomplete
            yield path, (), {"record": p.get("platform", pid, platform)}, whole
    elif target is RuleTarget.COMMUNITY:
        by_community = _by(ds, "community") if wanted("agreements") else {}
        makers = {
            "record": community,
            "strategies": lambda cid: [strategy(s.id) for s in ds.strategies_of(cid)],
            "agreements": lambda cid: [agreement(a) for a in by_community.get(cid, [])],
        }
        for cid in ds.communities:
            whole = sound(
                ("record", C, cid),
                *(("strategies", S, s.id) for s in ds.strategies_of(cid)),
                *(("agreements", A, a) for a in by_community.get(cid, [])),
            )
            yield ds.path_of(C, cid), (), build(cid, makers), whole
    elif target is RuleTarget.STRATEGY:
        makers = {"record": strategy, "community": lambda sid: community(ds.strategy_owner[sid])}
        for sid in ds.strategies:
            whole = sound(("record", S, sid), ("community", C, ds.strategy_owner[sid]))
            yield ds.path_of(S, sid), (), build(sid, makers), whole
    elif target is RuleTarget.NEED:
        makers = {
            "strategy": lambda sid: {k: v for k, v in strategy(sid).items() if k != "needs"},
            "community": lambda sid: community(ds.strategy_owner[sid]),
        }
        for sid in ds.strategies:
            around = build(sid, makers)  # once per strategy, shared by all its needs
            # A need left out for its errors is not evaluated; the needs kept are whole.
            whole = sound(("community", C, ds.strategy_owner[sid]))
            path = ds.path_of(S, sid)
            for i, need in enumerate(strategy(sid).get("needs", [])):
                yield path, ("needs", i), {"record": need, **around}, whole
    elif target is RuleTarget.DONOR:
        by_donor = _by(ds, "donor") if wanted("agreements") else {}
        makers = {
            "record": donor,
            "agreements": lambda did: [agreement(a) for a in by_donor.get(did, [])],
        }
        for did in ds.donors:
            whole = sound(
                ("record", D, did), *(("agreements", A, a) for a in by_donor.get(did, []))
            )
            yield ds.path_of(D, did), (), build(did, makers), whole
    elif target is RuleTarget.AGREEMENT:
        makers = {
            "record": agreement,
            "community": lambda aid: community(ds.agreements[aid].community),
            "strategy": lambda aid: strategy(ds.agreements[aid].strategy),
            "donor": lambda aid: donor(ds.agreements[aid].donor),
            "reports": lambda aid: [plain(r) for r in ds.reports_of(aid)],
        }
        for aid, ag in ds.agreements.items():
            whole = sound(
                ("record", A, aid),
                ("community", C, ag.community),
                ("strategy", S, ag.strategy),
                ("donor", D, ag.donor),
            ) and not (
                wanted("reports")
                and any(
                    ds.paths.get((RecordKind.REPORT, f"{aid}/{r.id}")) in ds.incomplete
                    for r in ds.reports_of(aid)
                )
            )
            yield ds.path_of(A, aid), (), build(aid, makers), whole
    elif target is RuleTarget.REPORT:
        for aid, reports in ds.reports.items():
            for rid, report in reports.items():
                path = ds.path_of(RecordKind.REPORT, f"{aid}/{rid}")
                variables = {"record": plain(report)} if wanted("record") else {}
                if wanted("agreement"):
                    variables["agreement"] = agreement(aid)
                whole = path not in ds.incomplete and sound(("agreement", A, aid))
                yield path, (), variables, whole


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
    strategy = context.get("strategy")
    if spec.model.applies_to is RuleTarget.NEED and isinstance(strategy, dict):
        # As on real records: a need rule sees its strategy without the strategy's needs.
        context["strategy"] = {k: v for k, v in strategy.items() if k != "needs"}
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
