"""Collective strategies: a community's own priorities and the needs it cannot meet alone."""

from __future__ import annotations

import enum
import re
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    Field,
    StrictBool,
    StrictInt,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from solidarity_cli.models.base import (
    Date,
    DocumentLink,
    LanguageCode,
    Model,
    Money,
    MultilingualText,
    Period,
    Slug,
    Text,
    schema_rules,
    when,
)
from solidarity_cli.models.codes import ConditionType, DonorKind
from solidarity_cli.words import M_


class StrategyStatus(enum.StrEnum):
    """Where a strategy is in the community's own process."""

    DRAFT = "draft"
    ADOPTED = "adopted"
    UNDER_REVISION = "under-revision"
    ARCHIVED = "archived"


class NeedKind(enum.StrEnum):
    """What kind of support a need asks for."""

    FINANCIAL = "financial"
    MATERIAL = "material"
    TECHNICAL_EXPERTISE = "technical-expertise"
    TRAINING = "training"
    TWINNING = "twinning"
    VOLUNTEERING = "volunteering"
    OTHER = "other"


class NeedStatus(enum.StrEnum):
    """Whether a need is still open."""

    OPEN = "open"
    MET = "met"
    WITHDRAWN = "withdrawn"


class SectorVocabulary(enum.StrEnum):
    """IATI sector vocabularies accepted for needs (SectorVocabulary codes 1, 7, 8)."""

    DAC_5 = "dac-5"
    SDG_GOAL = "sdg-goal"
    SDG_TARGET = "sdg-target"

    @property
    def iati_code(self) -> str:
        """The IATI SectorVocabulary code."""
        return {"dac-5": "1", "sdg-goal": "7", "sdg-target": "8"}[self.value]


_SECTOR_PATTERNS = {
    SectorVocabulary.DAC_5: re.compile(r"^[1-9][0-9]{4}$"),
    SectorVocabulary.SDG_GOAL: re.compile(r"^(?:[1-9]|1[0-7])$"),
    SectorVocabulary.SDG_TARGET: re.compile(r"^(?:[1-9]|1[0-7])\.(?:[0-9]{1,2}|[a-z])$"),
}


#: The same codes for the editors' JSON Schema, where a YAML integer stays an integer.
_SECTOR_JSON: dict[SectorVocabulary, dict[str, Any]] = {
    SectorVocabulary.DAC_5: {
        "anyOf": [
            {"type": "string", "pattern": _SECTOR_PATTERNS[SectorVocabulary.DAC_5].pattern},
            {"type": "integer", "minimum": 10000, "maximum": 99999},
        ]
    },
    SectorVocabulary.SDG_GOAL: {
        "anyOf": [
            {"type": "string", "pattern": _SECTOR_PATTERNS[SectorVocabulary.SDG_GOAL].pattern},
            {"type": "integer", "minimum": 1, "maximum": 17},
        ]
    },
    SectorVocabulary.SDG_TARGET: {
        "type": "string",
        "pattern": _SECTOR_PATTERNS[SectorVocabulary.SDG_TARGET].pattern,
    },
}


def _code_as_text(value: Any) -> Any:
    # DAC codes have no leading zero, so a YAML integer reads back exactly.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


class SectorCode(Model):
    """A sector from an IATI vocabulary: a DAC 5-digit purpose code or an SDG goal/target."""

    share_equal = True

    model_config = schema_rules(
        {
            "if": {"properties": {"vocabulary": {"const": "dac-5"}}},
            "then": {"properties": {"code": _SECTOR_JSON[SectorVocabulary.DAC_5]}},
        },
        when(
            "vocabulary",
            "sdg-goal",
            {"properties": {"code": _SECTOR_JSON[SectorVocabulary.SDG_GOAL]}},
        ),
        when(
            "vocabulary",
            "sdg-target",
            {"properties": {"code": _SECTOR_JSON[SectorVocabulary.SDG_TARGET]}},
        ),
    )

    vocabulary: SectorVocabulary = SectorVocabulary.DAC_5
    code: Annotated[
        str,
        BeforeValidator(_code_as_text),
        WithJsonSchema({"type": ["string", "integer"]}),
    ]

    @field_validator("code")
    @classmethod
    def _well_formed(cls, code: str, info: ValidationInfo) -> str:
        vocabulary = info.data.get("vocabulary")
        if vocabulary is not None and not _SECTOR_PATTERNS[vocabulary].match(code):
            examples = {"dac-5": "14030", "sdg-goal": "6", "sdg-target": "6.1"}
            raise ValueError(
                M_(
                    "{code} is not a {vocabulary} code (e.g. {example})",
                    code=repr(code),
                    vocabulary=vocabulary.value,
                    example=examples[vocabulary.value],
                )
            )
        return code


class Participants(Model):
    """Who took part in a decision."""

    share_equal = True

    count: Annotated[StrictInt, Field(ge=1)]
    women: Annotated[StrictInt, Field(ge=0)] | None = None
    youth: Annotated[StrictInt, Field(ge=0)] | None = None


class Adoption(Model):
    """The community's own decision adopting its strategy."""

    body: Text = Field(description="The community's own body, e.g. general assembly")
    date: Date
    participants: Participants | None = None
    minutes: DocumentLink | None = None


class WellbeingCriterion(Model):
    """What well-being means for the community, in its own words."""

    text: MultilingualText
    dimension: Slug = Field(description="A term of the well-being dimensions vocabulary")


class Objective(Model):
    """An objective of the strategy."""

    id: Slug
    text: MultilingualText


class OwnResources(Model):
    """What the community brings itself."""

    labour_days: Annotated[StrictInt, Field(ge=0)] | None = None
    cash: Money | None = None
    materials: MultilingualText | None = None
    land: MultilingualText | None = None


class Timeframe(Model):
    """When a need should be met: by a date, or within a window."""

    share_equal = True

    start: Date | None = None
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> Timeframe:
        if self.start is not None and self.end < self.start:
            raise ValueError(
                M_(
                    "the timeframe ends ({end}) before it starts ({start})",
                    end=self.end,
                    start=self.start,
                )
            )
        return self


class Beneficiaries(Model):
    """Who benefits from a need being met."""

    share_equal = True

    count: Annotated[StrictInt, Field(ge=0)]
    description: MultilingualText | None = None


class Need(Model):
    """Something the community cannot do alone, in its own priority order."""

    model_config = schema_rules(
        when("kind", ["financial", "material"], {"required": ["estimated_cost"]})
    )

    id: Slug
    title: MultilingualText
    description: MultilingualText | None = None
    dimension: Slug = Field(description="A term of the well-being dimensions vocabulary")
    sectors: list[SectorCode] = Field(default_factory=list)
    kind: NeedKind
    estimated_cost: Money | None = None
    own_contribution: Money | None = None
    days: Annotated[StrictInt, Field(ge=1)] | None = Field(
        default=None, description="Person-days asked, for expertise, training, volunteering"
    )
    priority: Annotated[StrictInt, Field(ge=1, description="1 is the community's first priority")]
    timeframe: Timeframe | None = None
    beneficiaries: Beneficiaries | None = None
    expected_results: list[MultilingualText] = Field(default_factory=list)
    status: NeedStatus = NeedStatus.OPEN

    @model_validator(mode="after")
    def _coherent_money(self) -> Need:
        if self.kind in (NeedKind.FINANCIAL, NeedKind.MATERIAL) and self.estimated_cost is None:
            raise ValueError(
                M_("a financial need needs its estimated_cost")
                if self.kind is NeedKind.FINANCIAL
                else M_("a material need needs its estimated_cost")
            )
        cost, own = self.estimated_cost, self.own_contribution
        if cost is not None and own is not None and cost.currency != own.currency:
            raise ValueError(
                M_(
                    "estimated_cost and own_contribution must use the same currency "
                    "({cost} vs {own})",
                    cost=cost.currency,
                    own=own.currency,
                )
            )
        return self


class DonorConditions(Model):
    """The community's own conditions on the donors it works with."""

    refused_donor_kinds: list[DonorKind] = Field(
        default_factory=list, description="Kinds of donor the community does not work with"
    )
    require_giving_forward: StrictBool = Field(
        default=False, description="Donors must accept that part of the support is given forward"
    )
    reporting_languages: list[LanguageCode] = Field(
        default_factory=list, description="Languages the community reports in"
    )
    accepted_condition_types: list[ConditionType] = Field(
        default_factory=list,
        description="Donor condition types the community accepts; a donor proposing any other "
        "type is not proposed to it",
    )


class Strategy(Model):
    """A record in ``data/communities/<community>/strategies/<id>.yaml``."""

    model_config = schema_rules(
        when("status", ["adopted", "under-revision"], {"required": ["adoption"]})
    )

    id: Slug
    title: MultilingualText
    period: Period
    status: StrategyStatus
    adoption: Adoption | None = None
    languages: list[LanguageCode] = Field(default_factory=list)
    summary: MultilingualText | None = None
    wellbeing_criteria: list[WellbeingCriterion] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)
    own_resources: OwnResources | None = None
    donor_conditions: DonorConditions = Field(default_factory=DonorConditions)
    needs: list[Need] = Field(default_factory=list)

    @model_validator(mode="after")
    def _adoption_recorded(self) -> Strategy:
        if self.status in (StrategyStatus.ADOPTED, StrategyStatus.UNDER_REVISION) and (
            self.adoption is None
        ):
            raise ValueError(
                M_(
                    "a strategy with status {status} needs its adoption record "
                    "(body, date, participants, minutes)",
                    status=self.status.value,
                )
            )
        return self

    def need(self, need_id: str) -> Need | None:
        """The need with this id, if any."""
        return next((n for n in self.needs if n.id == need_id), None)
