"""Partnership agreements: one IATI activity tying a community's needs to a donor."""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import Field, StrictBool, StrictInt, model_validator

from solidarity_cli.models.base import (
    Date,
    DocumentLink,
    LanguageCode,
    Model,
    Money,
    MultilingualText,
    NeedRef,
    Number,
    Period,
    Slug,
    Text,
    schema_rules,
)
from solidarity_cli.models.codes import ConditionType
from solidarity_cli.words import M_


class AgreementStatus(enum.StrEnum):
    """Lifecycle of an agreement."""

    PROPOSED = "proposed"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    COMPLETED = "completed"
    TERMINATED = "terminated"
    CANCELLED = "cancelled"
    DECLINED = "declined"

    @property
    def iati_activity_status(self) -> str:
        """The IATI ActivityStatus code."""
        return {
            "proposed": "1",
            "negotiating": "1",
            "signed": "2",
            "active": "2",
            "suspended": "6",
            "completed": "4",
            "terminated": "4",
            "cancelled": "5",
            "declined": "5",
        }[self.value]


class OrganisationRole(enum.StrEnum):
    """IATI OrganisationRole."""

    FUNDING = "funding"
    ACCOUNTABLE = "accountable"
    EXTENDING = "extending"
    IMPLEMENTING = "implementing"

    @property
    def iati_code(self) -> str:
        """The IATI OrganisationRole code."""
        return {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}[
            self.value
        ]


class Participant(Model):
    """An organisation taking part: a donor, the community, or someone else by name."""

    share_equal = True

    model_config = schema_rules(
        {"oneOf": [{"required": ["donor"]}, {"required": ["community"]}, {"required": ["name"]}]}
    )

    role: OrganisationRole
    donor: Slug | None = None
    community: Slug | None = None
    name: Text | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Participant:
        given = [x for x in (self.donor, self.community, self.name) if x is not None]
        if len(given) != 1:
            raise ValueError(M_("a participant names exactly one of: donor, community, name"))
        return self


class Dates(Model):
    """Planned and actual dates (IATI activity-date types) and the signature."""

    planned_start: Date | None = None
    planned_end: Date | None = None
    signed: Date | None = None
    actual_start: Date | None = None
    actual_end: Date | None = None


class DecisionOutcome(enum.StrEnum):
    """What the community decided about the agreement."""

    ACCEPTED = "accepted"
    DECLINED = "declined"
    AMENDED = "amended"
    SUSPENDED = "suspended"
    RESUMED = "resumed"
    TERMINATED = "terminated"


class Decision(Model):
    """A decision the community took on the agreement, through its own body."""

    outcome: DecisionOutcome = DecisionOutcome.ACCEPTED
    body: Text
    date: Date
    participants: Annotated[StrictInt, Field(ge=1)] | None = None
    minutes: DocumentLink | None = None
    note: MultilingualText | None = None


class Condition(Model):
    """A condition attached to the agreement, and whether the community accepted it."""

    type: ConditionType
    text: MultilingualText
    proposed_by: Slug | None = Field(default=None, description="The donor that proposed it")
    accepted: StrictBool | None = Field(
        default=None, description="null while the community decides"
    )
    decided_on: Date | None = None


class BudgetType(enum.StrEnum):
    """IATI BudgetType."""

    ORIGINAL = "original"
    REVISED = "revised"


class BudgetStatus(enum.StrEnum):
    """IATI BudgetStatus."""

    INDICATIVE = "indicative"
    COMMITTED = "committed"


class BudgetLine(Model):
    """A budget for one period (IATI budget)."""

    period: Period
    value: Money
    type: BudgetType = BudgetType.ORIGINAL
    status: BudgetStatus = BudgetStatus.INDICATIVE
    description: MultilingualText | None = None


class TransactionType(enum.StrEnum):
    """IATI 2.03 TransactionType."""

    INCOMING_FUNDS = "incoming-funds"
    COMMITMENT = "commitment"
    DISBURSEMENT = "disbursement"
    EXPENDITURE = "expenditure"
    INCOMING_COMMITMENT = "incoming-commitment"
    OUTGOING_PLEDGE = "outgoing-pledge"
    INCOMING_PLEDGE = "incoming-pledge"

    @property
    def iati_code(self) -> str:
        """The IATI 2.03 TransactionType code."""
        return {
            "incoming-funds": "1",
            "commitment": "2",
            "disbursement": "3",
            "expenditure": "4",
            "incoming-commitment": "11",
            "outgoing-pledge": "12",
            "incoming-pledge": "13",
        }[self.value]


class Hold(Model):
    """What a planned disbursement waits for before it falls due: one report of the agreement
    received, a date, or a condition met (written in words, with the day it was met)."""

    report: Slug | None = Field(default=None, description="A report of this agreement, by id")
    date: Date | None = None
    condition: MultilingualText | None = None
    met_on: Date | None = Field(default=None, description="For a condition: the day it was met")

    @model_validator(mode="after")
    def _one_thing(self) -> Hold:
        if sum(x is not None for x in (self.report, self.date, self.condition)) != 1:
            raise ValueError(M_("a hold waits for exactly one of: report, date, condition"))
        if self.met_on is not None and self.condition is None:
            raise ValueError(M_("met_on is the day a condition was met: give the condition too"))
        return self


class Transaction(Model):
    """Money committed, disbursed or spent (IATI transaction)."""

    type: TransactionType
    date: Date
    value: Money
    description: MultilingualText | None = None
    due: Date | None = Field(default=None, description="For a commitment: when it falls due")
    after: Hold | None = Field(
        default=None,
        description="For a commitment: it falls due only once this holds (a report received, "
        "a date, a condition met)",
    )


class ResultType(enum.StrEnum):
    """IATI ResultType."""

    OUTPUT = "output"
    OUTCOME = "outcome"
    IMPACT = "impact"
    OTHER = "other"


class Measure(enum.StrEnum):
    """IATI IndicatorMeasure."""

    UNIT = "unit"
    PERCENTAGE = "percentage"
    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    QUALITATIVE = "qualitative"


class Baseline(Model):
    """Where an indicator stood before the agreement."""

    year: Annotated[StrictInt, Field(ge=1900, le=2100)]
    value: Number | None = None
    comment: MultilingualText | None = None


class IndicatorPeriod(Model):
    """A target, and once known the actual value, for one period."""

    period: Period
    target: Number | None = None
    actual: Number | None = None
    comment: MultilingualText | None = None


class Indicator(Model):
    """How progress towards a result is measured."""

    id: Slug
    title: MultilingualText
    measure: Measure = Measure.UNIT
    ascending: StrictBool = True
    baseline: Baseline | None = None
    periods: list[IndicatorPeriod] = Field(default_factory=list)


class Result(Model):
    """An expected result of the agreement (IATI result)."""

    id: Slug
    type: ResultType
    title: MultilingualText
    indicators: list[Indicator] = Field(default_factory=list)


class Cadence(enum.StrEnum):
    """How often the community reports."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    ANNUAL = "annual"

    @property
    def months(self) -> int:
        """Months between two reports."""
        return {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}[self.value]


class Reporting(Model):
    """When and in which languages the community reports."""

    cadence: Cadence
    grace_days: Annotated[StrictInt, Field(ge=0, le=365)] = 30
    languages: list[LanguageCode] = Field(default_factory=list)


class Evaluation(Model):
    """How the partnership will be evaluated, together."""

    kind: Text = "co-evaluation"
    planned: Date | None = None
    description: MultilingualText | None = None


class Agreement(Model):
    """A record in ``data/partnerships/<id>/agreement.yaml``."""

    id: Slug
    title: MultilingualText
    community: Slug
    strategy: Slug
    needs: Annotated[list[NeedRef], Field(min_length=1)]
    donor: Slug
    participants: list[Participant] = Field(default_factory=list)
    status: AgreementStatus
    dates: Dates = Field(default_factory=Dates)
    decisions: list[Decision] = Field(
        default_factory=list, description="The community's decisions on this agreement, in order"
    )
    conditions: list[Condition] = Field(default_factory=list)
    budget: list[BudgetLine] = Field(default_factory=list)
    transactions: list[Transaction] = Field(default_factory=list)
    results: list[Result] = Field(default_factory=list)
    reporting: Reporting | None = None
    evaluation: Evaluation | None = None
    documents: list[DocumentLink] = Field(default_factory=list)
    description: MultilingualText | None = None

    def acceptance(self) -> Decision | None:
        """The community's first decision accepting the agreement, if any."""
        return next((d for d in self.decisions if d.outcome is DecisionOutcome.ACCEPTED), None)
