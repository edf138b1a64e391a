"""Editable code lists kept by the network, such as the well-being dimensions."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from solidarity_cli.models.base import Model, MultilingualText, Slug


class Term(Model):
    """One entry of a vocabulary."""

    id: Slug
    label: MultilingualText
    description: MultilingualText | None = None


class Vocabulary(Model):
    """A code list in ``data/vocabularies/<id>.yaml``."""

    id: Slug
    title: MultilingualText
    description: MultilingualText | None = None
    terms: Annotated[list[Term], Field(min_length=1)]

    def term_ids(self) -> frozenset[str]:
        """The identifiers of every term."""
        return frozenset(t.id for t in self.terms)
