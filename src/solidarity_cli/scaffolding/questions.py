"""What ``new`` asks for each kind of record, with defaults and checks of each answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from solidarity_cli import standards
from solidarity_cli.errors import UsageError
from solidarity_cli.models.base import written_day, written_number
from solidarity_cli.models.codes import DonorKind
from solidarity_cli.models.community import ISLAND_COUNTRIES, CommunityKind
from solidarity_cli.models.platform import PlatformKind
from solidarity_cli.models.report import ReportKind
from solidarity_cli.models.rule import Family, RuleTarget
from solidarity_cli.models.strategy import NeedKind
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.scaffolding.ids import check_new_id, existing, slugify
from solidarity_cli.scaffolding.repository import Repository
from solidarity_cli.words import M_, N_, plain

Answers = dict[str, str]
Default = Callable[[Answers, Repository], str | None]
Check = Callable[[str, Answers, Repository], str]


def _none(answers: Answers, repo: Repository) -> str | None:
    return None


def _always(answers: Answers, repo: Repository) -> bool:
    return True


def _text(value: str, answers: Answers, repo: Repository) -> str:
    if not value.strip():
        raise UsageError(M_("this answer cannot be empty"), hint=M_("write a few words"))
    return value.strip()


@dataclass(frozen=True)
class Reader:
    """How the person answering reads: the tool's words, and the data's texts, in their language."""

    say: Callable[[str], str]
    pick: Callable[[dict[str, str] | None], str]


#: Each allowed answer by its name for the reader: ``{"Água": "water"}``.
Names = Callable[[Answers, Repository, Reader], dict[str, str]]


@dataclass(frozen=True)
class Question:
    """One answer ``new`` needs: its option name, its prompt, a default and a check."""

    key: str
    prompt: str
    default: Default = _none
    choices: tuple[str, ...] = ()
    needed: Callable[[Answers, Repository], bool] = _always
    check: Check = _text
    choices_from: Callable[[Answers, Repository], tuple[str, ...]] | None = None
    optional: bool = False
    """An optional answer is left out when not given (``--no-input``) or answered empty."""
    names_from: Names | None = None
    """The allowed answers' names, when they are not the tool's words (a vocabulary's)."""

    def options(self, answers: Answers, repo: Repository) -> tuple[str, ...]:
        """The answers allowed, when they are a fixed list."""
        return self.choices_from(answers, repo) if self.choices_from else self.choices

    def labels(self, answers: Answers, repo: Repository, reader: Reader) -> dict[str, str]:
        """Each allowed answer by its name in the reader's language (``povoado`` for village)."""
        if self.names_from is not None:
            return self.names_from(answers, repo, reader)
        return {reader.say(choice): choice for choice in self.choices}

    def accept(
        self, value: str, answers: Answers, repo: Repository, reader: Reader | None = None
    ) -> str:
        """The answer, checked and normalised; UsageError says what is wrong.

        A choice may be answered by its code or, given the ``reader``, by its name in the
        reader's language, accents and case aside.
        """
        value = value.strip()
        allowed = self.options(answers, repo)
        if allowed and value not in allowed:
            named = self.labels(answers, repo, reader) if reader is not None else {}
            by_name = {plain(name): code for name, code in named.items()}
            if plain(value) not in by_name:
                listed = list(named) if named else list(allowed)
                raise UsageError(
                    M_(
                        "'{value}' is not one of: {choices}",
                        value=value,
                        choices=", ".join(listed),
                    ),
                    hint=M_("answer with one of the words listed"),
                )
            value = by_name[plain(value)]
        return self.check(value, answers, repo)


def _new_id(kind: RecordKind, what: str) -> Check:
    def check(value: str, answers: Answers, repo: Repository) -> str:
        return check_new_id(value, repo.ids(kind), what)

    return check


def _known(kind: RecordKind, what: str) -> Check:
    def check(value: str, answers: Answers, repo: Repository) -> str:
        existing(value, repo.ids(kind), what)
        if value not in repo.dataset.table(kind):
            raise UsageError(
                M_(
                    "the {what} {value} has problems that stop it being read",
                    what=what,
                    value=value,
                ),
                hint=M_("run solidarity check, fix what it reports, then try again"),
            )
        return value

    return check


def _only(kind: RecordKind) -> Default:
    """The one record of ``kind``, offered when the network has only that one."""

    def default(answers: Answers, repo: Repository) -> str | None:
        known = repo.ids(kind)
        return next(iter(known)) if len(known) == 1 else None

    return default


def _slug_of(key: str, prefix: str = "") -> Default:
    def default(answers: Answers, repo: Repository) -> str | None:
        name = answers.get(key)
        return slugify(prefix + name) if name else None

    return default


def _date(value: str, answers: Answers, repo: Repository) -> str:
    """A day as YAML writes it, from the way a person wrote it (``31/12/2028``: 2028-12-31)."""
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        meant = written_day(value)
        if meant is not None:
            return meant
        raise UsageError(
            M_("'{value}' is not a date", value=value),
            hint=M_("write it as YYYY-MM-DD, e.g. 2025-01-31"),
        ) from None


def _upper_code(table: Callable[[], frozenset[str]], example: str) -> Check:
    def check(value: str, answers: Answers, repo: Repository) -> str:
        code = value.upper()
        if code not in table():
            raise UsageError(
                M_("'{value}' is not a known code", value=value),
                hint=M_("e.g. {example}", example=example),
            )
        return code

    return check


def _country(value: str, answers: Answers, repo: Repository) -> str:
    """An ISO code, or a country's name as ISO writes it (``Cabo Verde``, ``Brazil``)."""
    code = value.strip().upper()
    if code in standards.country_codes():
        return code
    import pycountry

    try:
        return str(pycountry.countries.lookup(value.strip()).alpha_2)
    except LookupError:
        raise UsageError(
            M_("'{value}' is not a known country code or name", value=value),
            hint=M_("write its two-letter ISO code, e.g. CV for Cabo Verde, BR for Brazil"),
        ) from None


#: Up to this many places, an unknown one is answered with the country's whole list.
_MOST_LISTED = 40


def _subdivision(value: str, answers: Answers, repo: Repository) -> str:
    """An ISO 3166-2 code, or the name of one of the country's places (``Ribeira Brava``)."""
    country = answers.get("country", "")
    if value.strip().upper() not in standards.subdivision_codes() and country:
        import pycountry

        places = pycountry.subdivisions.get(country_code=country) or []  # type: ignore[no-untyped-call]
        named = [place for place in places if plain(place.name) == plain(value)]
        if len(named) == 1:
            return str(named[0].code)
        if 0 < len(places) <= _MOST_LISTED:
            codes = ", ".join(f"{p.code} {p.name}" for p in sorted(places, key=lambda p: p.code))
            raise UsageError(
                M_(
                    "'{value}' is not a known code or place of {country}",
                    value=value,
                    country=country,
                ),
                hint=M_("give one of: {codes}", codes=codes),
            )
    code = _upper_code(standards.subdivision_codes, "CV-PN")(value, answers, repo)
    if country and not code.startswith(country + "-"):
        raise UsageError(
            M_("{code} is not in country {country}", code=code, country=country),
            hint=M_("give a code that starts with {country}-", country=country),
        )
    return code


def _amount(value: str, answers: Answers, repo: Repository) -> str:
    """An amount as YAML writes it, from the way a person wrote it (``1.800,00``: 1800.00)."""
    meant = written_number(value)
    if meant is None:
        raise UsageError(
            M_("'{value}' is not an amount", value=value), hint=M_("write a number, e.g. 1500")
        )
    return meant


def _count(value: str, answers: Answers, repo: Repository) -> str:
    if not value.isdigit() or int(value) < 1:
        raise UsageError(
            M_("'{value}' is not a number of people", value=value),
            hint=M_("write a number, e.g. 35"),
        )
    return value


def _github(value: str, answers: Answers, repo: Repository) -> str:
    handle = value.removeprefix("@")
    if not handle or not all(c.isalnum() or c == "-" for c in handle) or len(handle) > 39:
        raise UsageError(
            M_("'{value}' is not a GitHub account name", value=value),
            hint=M_("write the name shown on the person's GitHub page, e.g. maria-silva"),
        )
    return handle


def _needs(value: str, answers: Answers, repo: Repository) -> str:
    refs = [ref.strip() for ref in value.replace(" ", ",").split(",") if ref.strip()]
    if not refs:
        raise UsageError(M_("name at least one need"), hint=M_("write <strategy-id>/<need-id>"))
    known = {
        f"{sid}/{need.id}"
        for sid, strategy in repo.dataset.strategies.items()
        for need in strategy.needs
    }
    for ref in refs:
        existing(ref, known, "need")
    strategies = {ref.partition("/")[0] for ref in refs}
    if len(strategies) > 1:
        raise UsageError(
            M_("an agreement covers needs of one strategy"),
            hint=M_("write one agreement for each strategy"),
        )
    strategy = repo.dataset.strategies[strategies.pop()]
    if strategy.status.value not in ("adopted", "under-revision"):
        # Support follows the community's own decision: no agreement on a draft (PA001).
        raise UsageError(
            M_(
                "strategy {strategy} is {status}, not adopted by the community",
                strategy=strategy.id,
                status=strategy.status.value,
            ),
            hint=M_(
                "record the community's adoption in the strategy first (status: adopted, "
                "adoption: body, date, participants, minutes)"
            ),
        )
    return ",".join(refs)


def _dimensions(answers: Answers, repo: Repository) -> tuple[str, ...]:
    vocabulary = repo.dataset.vocabularies.get("dimensions")
    return tuple(sorted(vocabulary.term_ids())) if vocabulary else ()


def _dimension_names(answers: Answers, repo: Repository, reader: Reader) -> dict[str, str]:
    """The dimensions by their labels in the reader's language, as the network wrote them."""
    vocabulary = repo.dataset.vocabularies.get("dimensions")
    terms = sorted(vocabulary.terms, key=lambda t: t.id) if vocabulary else []
    return {reader.pick(dict(term.label)) or term.id: term.id for term in terms}


def _code(value: str, answers: Answers, repo: Repository) -> str:
    code = value.upper()
    taken = {rule.code for rule in repo.dataset.rules.values()}
    if len(code) != 5 or not code[:2].isalpha() or not code[2:].isdigit() or int(code[2:]) < 500:
        raise UsageError(
            M_("'{value}' is not a code of a network rule", value=value),
            hint=M_("two letters of the family and a number from 500 to 999, e.g. ND501"),
        )
    if code in taken:
        raise UsageError(
            M_("the code {code} is taken", code=code), hint=M_("choose another number")
        )
    return code


def _rule_code(answers: Answers, repo: Repository) -> str | None:
    family = answers.get("family")
    if family is None:
        return None
    prefix = Family(family).prefix
    used = {int(r.code[2:]) for r in repo.dataset.rules.values() if r.code.startswith(prefix)}
    return f"{prefix}{next(n for n in range(501, 1000) if n not in used)}"


def _example(value: str, answers: Answers, repo: Repository) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe", pure=True).load(value)
    except YAMLError:
        data = None
    if not isinstance(data, dict):
        raise UsageError(
            M_("'{value}' is not a record", value=value),
            hint=M_(
                "write the record's fields in braces, e.g. {example}", example="{status: draft}"
            ),
        )
    return value


def _decision_body(answers: Answers, repo: Repository) -> str | None:
    record = repo.dataset.communities.get(answers.get("community", ""))
    return record.association.governance.decision_body if record else None


def _in_island_country(answers: Answers, repo: Repository) -> bool:
    return answers.get("country", "") in ISLAND_COUNTRIES


def _first_language(answers: Answers, repo: Repository) -> str | None:
    return repo.text_language


def _base_currency(answers: Answers, repo: Repository) -> str | None:
    return repo.base_currency


def _costed(answers: Answers, repo: Repository) -> bool:
    return answers.get("type") in (NeedKind.FINANCIAL.value, NeedKind.MATERIAL.value)


def _today(answers: Answers, repo: Repository) -> str | None:
    return dt.date.today().isoformat()


def _fixed(value: str) -> Default:
    def default(answers: Answers, repo: Repository) -> str | None:
        return value

    return default


def _said(text: str) -> Default:
    """A default written in the contributor's language."""

    def default(answers: Answers, repo: Repository) -> str | None:
        from solidarity_cli.reporting.i18n import translations

        return translations(repo.language).gettext(text)

    return default


def _values(kinds: type[object]) -> tuple[str, ...]:
    return tuple(str(k.value) for k in kinds)  # type: ignore[attr-defined]


_COUNTRY = Question("country", N_("Country (ISO code, e.g. CV)"), check=_country)


def _new_need_id(value: str, answers: Answers, repo: Repository) -> str:
    strategy = repo.dataset.strategies.get(answers.get("strategy", ""))
    taken = {need.id for need in strategy.needs} if strategy else set()
    return check_new_id(value, taken, "need")


def _new_report_id(value: str, answers: Answers, repo: Repository) -> str:
    taken = set(repo.dataset.reports.get(answers.get("agreement", ""), {}))
    return check_new_id(value, taken, "report")


def _period_start(answers: Answers, repo: Repository) -> str | None:
    from solidarity_cli.scaffolding.monitoring import next_period

    return next_period(repo.dataset, answers["agreement"])[0].isoformat()


def _period_end(answers: Answers, repo: Repository) -> str | None:
    from solidarity_cli.scaffolding.monitoring import next_period

    start = dt.date.fromisoformat(answers["start"])
    return next_period(repo.dataset, answers["agreement"], start)[1].isoformat()


KINDS = ("community", "strategy", "need", "donor", "agreement", "report", "platform", "rule")
"""What ``new`` can add, in the order a network usually grows."""

QUESTIONS: dict[str, tuple[Question, ...]] = {
    "community": (
        Question("name", N_("Name of the community")),
        Question(
            "id", N_("Id"), _slug_of("name"), check=_new_id(RecordKind.COMMUNITY, "community")
        ),
        Question("type", N_("Kind of community"), _fixed("village"), _values(CommunityKind)),
        _COUNTRY,
        Question(
            "subdivision",
            N_("Region or municipality (ISO 3166-2 code or name, e.g. CV-PN or Porto Novo)"),
            check=_subdivision,
        ),
        Question("island", N_("Island"), needed=_in_island_country),
        Question("association", N_("Name of the inhabitants' association")),
        Question(
            "decision_body",
            N_("Body that takes the decisions"),
            _said(N_("general assembly")),
        ),
        Question(
            "language", N_("Language the community writes in (ISO 639 code)"), _first_language
        ),
        Question("maintainer", N_("Name of the person who will approve changes")),
        Question("github", N_("Their GitHub account name"), check=_github),
    ),
    "strategy": (
        Question(
            "community",
            N_("Id of the community"),
            _only(RecordKind.COMMUNITY),
            check=_known(RecordKind.COMMUNITY, "community"),
        ),
        Question("title", N_("Title of the strategy")),
        Question("start", N_("First day (YYYY-MM-DD)"), check=_date),
        Question("end", N_("Last day (YYYY-MM-DD)"), check=_date),
        Question(
            "id",
            N_("Id"),
            lambda a, r: slugify(f"{a['community']}-{a['start'][:4]}-{a['end'][:4]}"),
            check=_new_id(RecordKind.STRATEGY, "strategy"),
        ),
        Question(
            "adopted_on",
            N_("Day the community adopted it (YYYY-MM-DD; leave empty while it is a draft)"),
            check=_date,
            optional=True,
        ),
        Question(
            "adopted_by",
            N_("Body that adopted it"),
            _decision_body,
            needed=lambda a, r: "adopted_on" in a,
        ),
        Question(
            "participants",
            N_("How many people took part in that decision"),
            needed=lambda a, r: "adopted_on" in a,
            check=_count,
        ),
        Question(
            "minutes",
            N_("Where its minutes are (a web address, or a file path in the repository)"),
            needed=lambda a, r: "adopted_on" in a,
        ),
    ),
    "need": (
        Question(
            "strategy",
            N_("Id of the strategy"),
            _only(RecordKind.STRATEGY),
            check=_known(RecordKind.STRATEGY, "strategy"),
        ),
        Question("title", N_("What is needed, in a few words")),
        Question("id", N_("Id"), _slug_of("title"), check=_new_need_id),
        Question(
            "dimension",
            N_("Well-being dimension"),
            choices_from=_dimensions,
            names_from=_dimension_names,
        ),
        Question("type", N_("Kind of support asked"), _fixed("financial"), _values(NeedKind)),
        Question("amount", N_("Estimated cost"), needed=_costed, check=_amount),
        Question(
            "currency",
            N_("Currency (ISO code, e.g. EUR)"),
            _base_currency,
            needed=_costed,
            check=_upper_code(standards.currency_codes, "EUR"),
        ),
    ),
    "donor": (
        Question("name", N_("Name of the donor")),
        Question("id", N_("Id"), _slug_of("name"), check=_new_id(RecordKind.DONOR, "donor")),
        Question("type", N_("Kind of donor"), _fixed("ngo"), _values(DonorKind)),
        _COUNTRY,
    ),
    "agreement": (
        Question(
            "needs", N_("Needs it covers (<strategy-id>/<need-id>, comma separated)"), check=_needs
        ),
        Question(
            "donor",
            N_("Id of the donor"),
            _only(RecordKind.DONOR),
            check=_known(RecordKind.DONOR, "donor"),
        ),
        Question("title", N_("Title of the partnership")),
        Question(
            "id",
            N_("Id"),
            _slug_of("title"),
            check=_new_id(RecordKind.AGREEMENT, "agreement"),
        ),
    ),
    "report": (
        Question(
            "agreement",
            N_("Id of the agreement"),
            _only(RecordKind.AGREEMENT),
            check=_known(RecordKind.AGREEMENT, "agreement"),
        ),
        Question("type", N_("Kind of report"), _fixed("progress"), _values(ReportKind)),
        Question("start", N_("First day of the period (YYYY-MM-DD)"), _period_start, check=_date),
        Question("end", N_("Last day of the period (YYYY-MM-DD)"), _period_end, check=_date),
        Question("id", N_("Id"), lambda a, r: a["start"][:7], check=_new_report_id),
        Question("submitted_by", N_("Who submits the report")),
        Question("submitted_on", N_("Day it is submitted (YYYY-MM-DD)"), _today, check=_date),
    ),
    "platform": (
        Question("name", N_("Name of the platform")),
        Question("id", N_("Id"), _slug_of("name"), check=_new_id(RecordKind.PLATFORM, "platform")),
        Question(
            "type", N_("Kind of platform"), _fixed("micro-regional-platform"), _values(PlatformKind)
        ),
        _COUNTRY,
    ),
    "rule": (
        Question("summary", N_("What the rule asks, in one sentence")),
        Question("id", N_("Id"), _slug_of("summary"), check=_new_id(RecordKind.RULE, "rule")),
        Question("family", N_("Family"), choices=_values(Family)),
        Question("code", N_("Code"), _rule_code, check=_code),
        Question("applies_to", N_("Kind of record it looks at"), choices=_values(RuleTarget)),
        Question("condition", N_("Condition (CEL), true when a record follows the rule")),
        Question("message", N_("What a finding says")),
        Question("rationale", N_("Why the network wants it")),
        Question("good", N_("A record that follows it, in braces"), check=_example),
        Question("bad", N_("A record that does not, in braces"), check=_example),
    ),
}


def questions(kind: str) -> tuple[Question, ...]:
    """The questions ``new KIND`` asks, in order."""
    return QUESTIONS[kind]
