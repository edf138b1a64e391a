"""Rules on references between records: every id a record names exists and fits."""

from __future__ import annotations

from collections.abc import Iterator

from solidarity_cli.diagnostics import Diagnostic, Severity
from solidarity_cli.models.rule import Family
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.references import check_references
from solidarity_cli.rules import paths
from solidarity_cli.rules.base import Example, Finding, NoOptions, Rule, RuleContext
from solidarity_cli.words import M_, N_


def _found(ctx: RuleContext, code: str) -> Iterator[Finding]:
    diagnostics: list[Diagnostic] = ctx.shared("references", lambda: check_references(ctx.dataset))
    for d in diagnostics:
        if d.code == code:
            loc = d.location
            yield Finding(loc.path, loc.key_path, d.message, d.hint, loc.anchor)


class _ReferenceRule(Rule[NoOptions]):
    family = Family.REFERENCES
    severity = Severity.ERROR

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        return _found(ctx, self.code)


class UnknownRecord(_ReferenceRule):
    code = "RF001"
    name = "unknown-record"
    summary = N_("Every platform, community, strategy, donor or agreement a record names exists.")
    rationale = N_(
        "A reference to nothing is usually a typo, and it silently breaks reports and matching."
    )
    failing = Example(
        N_("The agreement names a donor that does not exist."),
        edits={paths.AGREEMENT: {"donor": "fundacao-mar"}},
    )
    passing = Example(N_("The agreement names fundacao-mar-aberto, which exists."))


class UnknownNeed(_ReferenceRule):
    code = "RF002"
    name = "unknown-need"
    summary = N_("Every need an agreement lists exists in the strategy it names.")
    rationale = N_(
        "Support is tied to a need the community wrote down; a need that does not exist ties "
        "it to nothing."
    )
    failing = Example(
        N_("A misspelt need."), edits={paths.AGREEMENT: {"needs[0]": "cruzinha-2025-2028/cistern"}}
    )
    passing = Example(N_("cruzinha-2025-2028/cisterna exists."))


class UnknownTerm(_ReferenceRule):
    code = "RF003"
    name = "unknown-term"
    summary = N_("Every dimension is a term of the network's well-being dimensions vocabulary.")
    rationale = N_(
        "Needs are rolled up by dimension; a term outside the vocabulary falls out of every report."
    )
    failing = Example(
        N_("A dimension that is not in the vocabulary."),
        edits={paths.STRATEGY: {"needs[0].dimension": "agua"}},
    )
    passing = Example(N_("The dimension 'water' is in data/vocabularies/dimensions.yaml."))


class SelfReference(_ReferenceRule):
    code = "RF004"
    name = "self-reference"
    summary = N_("A platform is not its own parent.")
    rationale = N_(
        "Roll-ups go from community to platform to federation; a loop makes them endless."
    )
    failing = Example(
        N_("The platform names itself as parent."),
        edits={"data/platforms/santo-antao.yaml": {"parent": "santo-antao"}},
    )
    passing = Example(N_("The platform has no parent."))


class ForeignStrategy(_ReferenceRule):
    code = "RF005"
    name = "foreign-strategy"
    summary = N_("An agreement names a strategy of its own community.")
    rationale = N_(
        "An agreement cannot rest on another community's strategy: each community speaks for "
        "itself."
    )
    failing = Example(
        N_("The agreement names another community's strategy."),
        files={
            "data/communities/garca/community.yaml": (
                "id: garca\nname: Garça\nkind: village\ncountry: CV\nsubdivision: CV-RG\n"
                "island: Santo Antão\nassociation:\n  name: Associação de Garça\n"
                "  legal_form: associação sem fins lucrativos\n"
                "  governance: {decision_body: Assembleia Geral}\nlanguages: [pt]\n"
            ),
            "data/communities/garca/strategies/garca-2025-2028.yaml": (
                "id: garca-2025-2028\ntitle: {pt: Estratégia de Garça}\n"
                "period: {start: 2025-01-01, end: 2028-12-31}\nstatus: draft\n"
            ),
        },
        edits={paths.AGREEMENT: {"strategy": "garca-2025-2028"}},
    )
    passing = Example(N_("The agreement names Cruzinha's own strategy."))


class PlatformMembership(Rule[NoOptions]):
    code = "RF006"
    name = "platform-membership"
    family = Family.REFERENCES
    severity = Severity.ERROR
    summary = N_(
        "A community and a platform agree on membership: each names the other, or neither does."
    )
    rationale = N_(
        "Membership is decided by the community and recorded by the platform; when only one "
        "side says so, roll-ups by platform and the platform's own member list disagree."
    )
    failing = Example(
        N_("Cruzinha names a platform whose member list does not include it."),
        files={
            "data/platforms/santo-antao-norte.yaml": (
                "id: santo-antao-norte\nname: {pt: Rede do Norte}\n"
                "kind: territory-network\nscope: {country: CV}\n"
            )
        },
        edits={paths.COMMUNITY: {"platforms": ["santo-antao", "santo-antao-norte"]}},
    )
    passing = Example(N_("Cruzinha names santo-antao, which lists Cruzinha among its members."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        ds = ctx.dataset
        for cid, community in ds.communities.items():
            for i, pid in enumerate(community.platforms):
                platform = ds.platforms.get(pid)
                if platform is None or any(m.community == cid for m in platform.members):
                    continue
                where = ctx.path(RecordKind.PLATFORM, pid)
                yield Finding(
                    ctx.path(RecordKind.COMMUNITY, cid),
                    ("platforms", i),
                    M_(
                        "the community names the platform '{platform}', whose members do "
                        "not include it",
                        platform=pid,
                    ),
                    M_(
                        "add the community to the members in {file} (the platform records "
                        "who joined), or remove '{platform}' from platforms here",
                        file=where,
                        platform=pid,
                    ),
                )
        for pid, platform in ds.platforms.items():
            for i, member in enumerate(platform.members):
                member_of = member.community
                if member_of is None or member_of not in ds.communities:
                    continue
                if pid in ds.communities[member_of].platforms:
                    continue
                yield Finding(
                    ctx.path(RecordKind.PLATFORM, pid),
                    ("members", i, "community"),
                    M_(
                        "the platform lists the community '{community}', which does not name "
                        "this platform",
                        community=member_of,
                    ),
                    M_(
                        "add '{platform}' to platforms in {file} (the community says which "
                        "platforms it belongs to), or remove this member",
                        platform=pid,
                        file=ctx.path(RecordKind.COMMUNITY, member_of),
                    ),
                )


RULES: tuple[type[Rule[NoOptions]], ...] = (
    UnknownRecord,
    UnknownNeed,
    UnknownTerm,
    SelfReference,
    ForeignStrategy,
    PlatformMembership,
)
