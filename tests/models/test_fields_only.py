"""A record copied with a few of its fields: the rest cannot be read by mistake."""

from __future__ import annotations

import pytest

from solidarity_cli.models import Community
from solidarity_cli.models.base import with_fields_only
from solidarity_cli.privacy import text_values

RECORD = {
    "id": "c1",
    "name": "Community one",
    "kind": "village",
    "country": "BR",
    "subdivision": "BR-BA",
    "association": {"name": "A", "legal_form": "associação", "governance": {"decision_body": "AG"}},
    "languages": ["pt"],
    "description": {"pt": "ligue 912 345 678"},
}


def test_the_copy_holds_the_fields_named_and_no_default_for_the_others() -> None:
    record = Community.model_validate(RECORD)
    copy = with_fields_only(record, frozenset({"id", "country", "platforms"}))
    assert (copy.id, copy.country, copy.platforms) == ("c1", "BR", [])
    assert copy.__pydantic_fields_set__ == {"id", "country"}
    for name in ("name", "description", "maintainers"):
        with pytest.raises(AttributeError):
            getattr(copy, name)
    assert record.name == "Community one" and record.model_fields_set >= {"name", "description"}


def test_text_values_reads_the_fields_held() -> None:
    record = Community.model_validate(RECORD)
    copy = with_fields_only(record, frozenset({"id", "name"}))
    assert dict(text_values(copy)) == {("id",): "c1", ("name",): "Community one"}
    assert (("description", "pt"), "ligue 912 345 678") in list(text_values(record))


def test_a_copy_kept_to_the_same_fields_again_is_itself() -> None:
    """The records read beside a load come back kept already: keeping them again copies
    nothing, and a record still holding other fields is copied as before."""
    names = frozenset({"id", "country"})
    copy = with_fields_only(Community.model_validate(RECORD), names)
    assert with_fields_only(copy, names) is copy
    again = with_fields_only(copy, frozenset({"id"}))
    assert again is not copy and again.__dict__ == {"id": "c1"}
