"""Rules on personal data: nothing in the public records identifies or exposes a person."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from solidarity_cli.diagnostics import KeyPath, Severity
from solidarity_cli.models.codes import DonorKind
from solidarity_cli.models.community import Precision
from solidarity_cli.models.rule import Family
from solidarity_cli.privacy import personal_data_codes, text_values
from solidarity_cli.reading.layout import SETTINGS_FILE, RecordKind
from solidarity_cli.rules import paths
from solidarity_cli.rules.base import Example, Finding, NoOptions, Reads, Rule, RuleContext
from solidarity_cli.words import M_, N_


def _records(ctx: RuleContext) -> Iterator[tuple[str, BaseModel]]:
    """Every record of a file that may hold personal data (all of them when unknown)."""
    for path, record in _all_records(ctx):
        if ctx.dataset.personal is None or path in ctx.dataset.personal:
            yield path, record


def _all_records(ctx: RuleContext) -> Iterator[tuple[str, BaseModel]]:
    ds = ctx.dataset
    for kind in (
        RecordKind.PLATFORM,
        RecordKind.COMMUNITY,
        RecordKind.STRATEGY,
        RecordKind.DONOR,
        RecordKind.AGREEMENT,
    ):
        for rid, record in ds.table(kind).items():
            yield ds.path_of(kind, rid), record
    for aid, reports in ds.reports.items():
        for rid, report in reports.items():
            yield ds.path_of(RecordKind.REPORT, f"{aid}/{rid}"), report
    if ds.settings is not None:
        # The network's name and texts are published like any record's.
        yield SETTINGS_FILE, ds.settings


def _texts(ctx: RuleContext) -> list[tuple[str, KeyPath, str]]:
    """Every text of every record with its file and key (listed once per run)."""
    return ctx.shared(
        "texts",
        lambda: [
            (path, key, text)
            for path, record in _records(ctx)
            for key, text in text_values(record)
            if not key or key[-1] not in ("url", "github", "id")
        ],
    )


class NoEmail(Rule[NoOptions]):
    code = "DP001"
    reads = Reads.OWN_RECORD
    name = "no-email"
    family = Family.DATA_PROTECTION
    severity = Severity.ERROR
    summary = N_("No e-mail address appears in the public records.")
    rationale = N_(
        "Everything in the repository is published. Contact details reach people through the "
        "platform, never through a public file."
    )
    failing = Example(
        N_("A maintainer's e-mail in the association's name."),
        edits={paths.COMMUNITY: {"association.registration": "contacto: maria.lopes@example.cv"}},
    )
    passing = Example(N_("The association is reached through its platform."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, key, text in _texts(ctx):
            if "DP001" in personal_data_codes(text):
                yield Finding(
                    path,
                    key,
                    M_("this text holds an e-mail address, and every record is public"),
                    M_("remove it; people are reached through their platform's secretariat"),
                )


class NoPhone(Rule[NoOptions]):
    code = "DP002"
    reads = Reads.OWN_RECORD
    name = "no-phone"
    family = Family.DATA_PROTECTION
    severity = Severity.ERROR
    summary = N_("No telephone number appears in the public records.")
    rationale = N_("A published phone number exposes a person to calls they never agreed to.")
    failing = Example(
        N_("A phone number in a report."),
        edits={paths.REPORT: {"narrative": {"pt": "Ligar para +238 991 23 45."}}},
    )
    passing = Example(N_("The report's narrative holds no number."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, key, text in _texts(ctx):
            if "DP002" in personal_data_codes(text):
                yield Finding(
                    path,
                    key,
                    M_(
                        "this text holds what looks like a telephone number, and every record is "
                        "public"
                    ),
                    M_(
                        "remove it; if it is not a phone number, write it differently "
                        "(e.g. group thousands with commas)"
                    ),
                )


class NoNationalId(Rule[NoOptions]):
    code = "DP003"
    reads = Reads.OWN_RECORD
    name = "no-national-id"
    family = Family.DATA_PROTECTION
    severity = Severity.ERROR
    summary = N_(
        "No national identity or tax number (CPF, NIF, BI/CNI) appears in the public records."
    )
    rationale = N_(
        "Identity numbers enable fraud and identify people beyond what the network needs."
    )
    failing = Example(
        N_("The association's treasurer's tax number."),
        edits={paths.COMMUNITY: {"association.registration": "Tesoureira: NIF 123456789"}},
    )
    passing = Example(N_("The association's registration names the registry, not a person."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, key, text in _texts(ctx):
            if "DP003" in personal_data_codes(text):
                yield Finding(
                    path,
                    key,
                    M_("this text holds what looks like a national identity or tax number"),
                    M_("remove it: identity numbers stay with the association's own books"),
                )


class IndividualConsent(Rule[NoOptions]):
    code = "DP004"
    reads = Reads.OWN_RECORD
    name = "individual-consent"
    family = Family.DATA_PROTECTION
    severity = Severity.ERROR
    summary = N_(
        "An individual donor is anonymous unless their consent to be named is recorded, and an "
        "anonymous individual's name stays out of the repository."
    )
    rationale = N_(
        "Individuals give quietly by default; a name is published only with their recorded "
        "consent, and reports hide it otherwise. The repository itself is public, so an "
        "anonymous individual is recorded by a pseudonym and a private_reference to the "
        "platform secretariat's private register, where the name and contact details live."
    )
    failing = Example(
        N_("An individual shown by name without consent."),
        files={
            "data/donors/joao-silva.yaml": (
                "id: joao-silva\nname: João Silva\nkind: individual\ncountry: PT\n"
                "anonymous: false\n"
            )
        },
    )
    passing = Example(
        N_("An individual named with recorded consent."),
        files={
            "data/donors/joao-silva.yaml": (
                "id: joao-silva\nname: João Silva\nkind: individual\ncountry: PT\n"
                "anonymous: false\nconsent: {publish_name: true, recorded_on: 2025-01-10}\n"
            )
        },
    )

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for did, donor in ctx.dataset.donors.items():
            if donor.kind is not DonorKind.INDIVIDUAL:
                continue
            if donor.is_anonymous:
                if donor.name is not None:
                    yield Finding(
                        ctx.path(RecordKind.DONOR, did),
                        ("name",),
                        M_(
                            "the real name of anonymous donor '{donor}' is in the public "
                            "repository",
                            donor=did,
                        ),
                        M_(
                            "remove name; keep the name in the platform's private register and "
                            "write pseudonym and private_reference here"
                        ),
                    )
                continue
            if donor.consent is None or not donor.consent.publish_name:
                yield Finding(
                    ctx.path(RecordKind.DONOR, did),
                    ("anonymous",),
                    M_(
                        "individual donor '{donor}' is named in public without recorded consent",
                        donor=did,
                    ),
                    M_(
                        "set anonymous: true, or record "
                        "consent: {publish_name: true, recorded_on: YYYY-MM-DD}"
                    ),
                )


class NoExactHomes(Rule[NoOptions]):
    code = "DP005"
    reads = Reads.OWN_RECORD
    name = "no-exact-homes"
    family = Family.DATA_PROTECTION
    severity = Severity.WARNING
    summary = N_(
        "Community locations are approximate: no coordinates precise enough to find a house."
    )
    rationale = N_(
        "Two decimals (about a kilometre) place a village on a map; more exact coordinates "
        "point at households."
    )
    failing = Example(
        N_("Exact coordinates of a house."),
        edits={
            paths.COMMUNITY: {"location": {"lat": 17.16234, "lon": -25.08411, "precision": "exact"}}
        },
    )
    passing = Example(N_("Approximate coordinates with two decimals."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for cid, community in ctx.dataset.communities.items():
            location = community.location
            if location is None:
                continue
            decimals = max(_decimals(location.lat), _decimals(location.lon))
            if location.precision is Precision.EXACT or decimals > 3:
                yield Finding(
                    ctx.path(RecordKind.COMMUNITY, cid),
                    ("location",),
                    M_(
                        "the location of '{community}' is precise enough to find a house "
                        "({decimals} decimals, precision {precision})",
                        community=cid,
                        decimals=decimals,
                        precision=location.precision.value,
                    ),
                    M_("round lat and lon to two decimals and set precision: approximate"),
                    anchor="key",
                )


def _decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


RULES: tuple[type[Rule[NoOptions]], ...] = (
    NoEmail,
    NoPhone,
    NoNationalId,
    IndividualConsent,
    NoExactHomes,
)
