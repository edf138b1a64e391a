"""Operational rules written by the network itself, as data in ``data/rules/<id>.yaml``."""

from __future__ import annotations

import enum
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from solidarity_cli.models.base import (
    Date,
    DocumentLink,
    Model,
    MultilingualText,
    Slug,
    Text,
    schema_rules,
    when,
)
from solidarity_cli.words import M_


class Family(enum.StrEnum):
    """The areas the network keeps a common line on; each owns a two-letter code prefix."""

    NEEDS = "needs"
    STRATEGIES = "strategies"
    PARTNERSHIPS = "partnerships"
    MONITORING = "monitoring-and-evaluation"
    DATA_PROTECTION = "data-protection"
    REFERENCES = "references"

    @property
    def prefix(self) -> str:
        """The two letters that start the codes of this family."""
        return {
            "needs": "ND",
            "strategies": "ST",
            "partnerships": "PA",
            "monitoring-and-evaluation": "ME",
            "data-protection": "DP",
            "references": "RF",
        }[self.value]


class RuleStatus(enum.StrEnum):
    """Where a rule is in the network's own process of adopting it."""

    PROPOSED = "proposed"
    TRIAL = "trial"
    ADOPTED = "adopted"
    RETIRED = "retired"


class RuleSeverity(enum.StrEnum):
    """How serious a finding of the rule is once adopted."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class RuleTarget(enum.StrEnum):
    """The kind of record a rule looks at; ``need`` looks at each need of each strategy."""

    PLATFORM = "platform"
    COMMUNITY = "community"
    STRATEGY = "strategy"
    NEED = "need"
    DONOR = "donor"
    AGREEMENT = "agreement"
    REPORT = "report"


class Governance(Model):
    """Who proposed and adopted the rule, when, and from when it applies."""

    model_config = schema_rules(
        when("status", "adopted", {"required": ["adopted_by", "adopted_on"]})
    )

    status: RuleStatus
    proposed_by: Text | None = None
    proposed_on: Date | None = None
    adopted_by: Text | None = Field(default=None, description="The network body that adopted it")
    adopted_on: Date | None = None
    minutes: DocumentLink | None = None
    effective_from: Date | None = Field(
        default=None, description="The rule is silent before this day"
    )
    retired_on: Date | None = None

    @model_validator(mode="after")
    def _adoption_recorded(self) -> Governance:
        if self.status is RuleStatus.ADOPTED and (
            self.adopted_by is None or self.adopted_on is None
        ):
            raise ValueError(
                M_("an adopted rule records adopted_by (the body) and adopted_on (the date)")
            )
        return self


class RuleExamples(Model):
    """Records the rule must accept (good) and flag (bad), as they would be written."""

    good: Annotated[list[dict[str, Any]], Field(min_length=1)]
    bad: Annotated[list[dict[str, Any]], Field(min_length=1)]
    context: dict[str, Any] = Field(
        default_factory=dict, description="Other variables the condition reads, e.g. community"
    )


class NetworkRule(Model):
    """A record in ``data/rules/<id>.yaml``: a rule the network wrote and adopted itself."""

    id: Slug = Field(description="The rule's name, as in the file name")
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}[0-9]{3}$")]
    family: Family
    severity: RuleSeverity = RuleSeverity.WARNING
    applies_to: RuleTarget
    when: Text | None = Field(
        default=None, description="CEL: the rule only looks at records for which this is true"
    )
    condition: Text = Field(description="CEL: true when the record follows the rule")
    field: (
        Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")] | None
    ) = Field(default=None, description="The field a finding points at, e.g. beneficiaries")
    summary: MultilingualText
    rationale: MultilingualText
    message: MultilingualText
    hint: MultilingualText | None = None
    governance: Governance
    examples: RuleExamples
