"""Monitoring reports on a partnership, one file each."""

from __future__ import annotations

import enum

from pydantic import Field

from solidarity_cli.models.base import (
    Date,
    DocumentLink,
    Model,
    Money,
    MultilingualText,
    Number,
    Period,
    Slug,
    Text,
)


class ReportKind(enum.StrEnum):
    """What a report is."""

    PROGRESS = "progress"
    FINANCIAL = "financial"
    FINAL = "final"
    CO_EVALUATION = "co-evaluation"


class Submission(Model):
    """Who submitted the report and when."""

    by: Text
    on: Date


class Validation(Model):
    """The community's validation of the report."""

    body: Text
    on: Date


class IndicatorValue(Model):
    """A value measured for an indicator of the agreement."""

    result: Slug
    indicator: Slug
    period: Period
    value: Number
    comment: MultilingualText | None = None


class Expenditure(Model):
    """Money spent during the reporting period."""

    date: Date
    value: Money
    description: MultilingualText


class GaveForward(Model):
    """What the community passed on to others: a link in a solidarity chain."""

    to_community: Slug | None = None
    to: Text | None = None
    what: MultilingualText
    value: Money | None = None
    date: Date


class Report(Model):
    """A record in ``data/partnerships/<agreement>/reports/<id>.yaml``."""

    id: Slug
    partnership: Slug
    kind: ReportKind
    period: Period
    submitted: Submission
    validated: Validation | None = None
    indicator_values: list[IndicatorValue] = Field(default_factory=list)
    expenditures: list[Expenditure] = Field(default_factory=list)
    narrative: MultilingualText | None = None
    lessons: list[MultilingualText] = Field(default_factory=list)
    documents: list[DocumentLink] = Field(default_factory=list)
    gave_forward: list[GaveForward] = Field(default_factory=list)
