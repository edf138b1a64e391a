"""The normalised dataset as one JSON document: every public record, keyed by kind and id.

Records are serialised by pydantic itself (in Rust) from the withheld copy of the dataset; only
those that need an edit (a private field, an anonymous donor) go through Python values first.
The document is put together as bytes, the way pydantic gives each record.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring
from typing import Any

from pydantic import BaseModel

from solidarity_cli.exporting.public import ANONYMOUS, Public

_DONOR_PUBLIC = {"kind", "country", "languages", "capacities", "preferences", "conditions"}
Edit = Callable[[dict[str, Any]], dict[str, Any]]


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


class _Writer:
    def __init__(self, public: Public) -> None:
        self.p = public

    def record(
        self,
        model: BaseModel,
        *,
        exclude: Any = None,
        include: Any = None,
        edit: Edit | None = None,
        first: dict[str, str] | None = None,
    ) -> bytes:
        """One record as JSON, with ``first`` keys put before its own."""
        if edit is None:
            # model_dump_json without its wrapper, which only decodes the bytes.
            text = model.__pydantic_serializer__.to_json(
                model, exclude_none=True, exclude=exclude, include=include
            )
            if first:
                text = _dumps(first)[:-1] + (b"," + text[1:] if text != b"{}" else b"}")
            return text
        data = model.model_dump(mode="json", exclude_none=True, exclude=exclude, include=include)
        if first:
            data = first | data
        return _dumps(edit(data))

    def agreement_edit(self, model: Any) -> Edit | None:
        p = self.p
        donors = {model.donor, *(w.donor for w in model.participants if w.donor)} | {
            c.proposed_by for c in model.conditions if c.proposed_by
        }
        if not any(p.anonymous(d) for d in donors):
            return None

        def edit(data: dict[str, Any]) -> dict[str, Any]:
            data["donor"] = p.donor_ref(data["donor"])
            for who in data.get("participants", []):
                if who.get("donor"):
                    who["donor"] = p.donor_ref(who["donor"])
            for condition in data.get("conditions", []):
                if condition.get("proposed_by"):
                    condition["proposed_by"] = p.donor_ref(condition["proposed_by"])
            return data

        return edit


Pieces = list[bytes]
"""A JSON text as the pieces to join: records are joined once, at the end, not at each level."""


def _object(items: Iterable[tuple[str, bytes | Pieces]]) -> Pieces:
    pieces = [b"{"]
    comma = b""
    for k, v in items:
        # encode_basestring is what json.dumps uses for a text with ensure_ascii=False.
        pieces += (comma, encode_basestring(k).encode(), b":")
        if isinstance(v, bytes):
            pieces.append(v)
        else:
            pieces += v
        comma = b","
    pieces.append(b"}")
    return pieces


def dataset_json(public: Public) -> bytes:
    """The normalised dataset as UTF-8 JSON (one line; ``jq .`` shows it indented)."""
    p, ds, w = public, public.ds, _Writer(public)
    parts: list[tuple[str, bytes | Pieces]] = []
    settings = ds.settings
    parts.append(
        (
            "settings",
            _dumps(
                {
                    "name": dict(settings.name),
                    "base_currency": settings.base_currency,
                }
            )
            if settings is not None
            else b"{}",
        )
    )
    parts.append(("as_of", _dumps(p.as_of.isoformat())))
    parts.append(
        (
            "platforms",
            _object((k, w.record(v)) for k, v in sorted(ds.platforms.items())),
        )
    )
    parts.append(
        (
            "communities",
            _object(
                (
                    k,
                    w.record(
                        c,
                        exclude={f.value for f in c.private} | {"maintainers", "private"},
                    ),
                )
                for k, c in sorted(ds.communities.items())
            ),
        )
    )

    parts.append(
        (
            "strategies",
            _object(
                (
                    k,
                    w.record(s, first={"community": ds.strategy_owner[k]}),
                )
                for k, s in sorted(ds.strategies.items())
            ),
        )
    )
    donors: list[tuple[str, bytes]] = []
    for did, d in sorted(ds.donors.items()):
        ref = p.donor_ref(did)
        if d.is_anonymous:

            def anonymous(data: dict[str, Any], ref: str = ref) -> dict[str, Any]:
                return {"id": ref, "name": ANONYMOUS} | data

            text = w.record(d, include=_DONOR_PUBLIC, edit=anonymous)
        else:
            text = w.record(d, exclude={"consent"})
        donors.append((ref, text))
    parts.append(("donors", _object(sorted(donors))))
    parts.append(
        (
            "agreements",
            _object(
                (k, w.record(a, edit=w.agreement_edit(a))) for k, a in sorted(ds.agreements.items())
            ),
        )
    )
    parts.append(
        (
            "reports",
            _object(
                (
                    aid,
                    _object(
                        (
                            r.id,
                            w.record(
                                r,
                                exclude={"submitted": {"by"}},
                            ),
                        )
                        for r in ds.reports_of(aid)
                    ),
                )
                for aid in sorted(ds.reports)
            ),
        )
    )
    return b"".join([*_object(parts), b"\n"])
