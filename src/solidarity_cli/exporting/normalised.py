"""The normalised dataset as one JSON document: every public record, keyed by kind and id."""

from __future__ import annotations

import json
from typing import Any

from solidarity_cli.exporting.public import ANONYMOUS, WITHHELD, Public
from solidarity_cli.privacy import text_may_be_personal

_DONOR_PUBLIC = ("kind", "country", "languages", "capacities", "preferences", "conditions")


def _safe(node: Any) -> Any:
    """Every text value made safe: one that may hold personal data is withheld."""
    if isinstance(node, str):
        return WITHHELD if text_may_be_personal(node) else node
    if isinstance(node, dict):
        return {k: _safe(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_safe(v) for v in node]
    return node


def _agreement(public: Public, data: dict[str, Any]) -> dict[str, Any]:
    data["donor"] = public.donor_ref(data["donor"])
    for who in data.get("participants", []):
        if who.get("donor"):
            who["donor"] = public.donor_ref(who["donor"])
    for condition in data.get("conditions", []):
        if condition.get("proposed_by"):
            condition["proposed_by"] = public.donor_ref(condition["proposed_by"])
    return data


def dataset(public: Public) -> dict[str, Any]:
    """The public records as plain JSON values."""
    ds = public.ds
    communities = {}
    for cid, c in sorted(ds.communities.items()):
        hidden = {f.value for f in c.private} | {"maintainers", "private"}
        communities[cid] = c.model_dump(mode="json", exclude_none=True, exclude=hidden)
    donors = {}
    for did, d in sorted(ds.donors.items()):
        ref = public.donor_ref(did)
        if d.is_anonymous:
            donors[ref] = {"id": ref, "name": ANONYMOUS} | d.model_dump(
                mode="json", exclude_none=True, include=set(_DONOR_PUBLIC)
            )
        else:
            donors[ref] = d.model_dump(mode="json", exclude_none=True, exclude={"consent"})
    reports: dict[str, dict[str, Any]] = {}
    for aid in sorted(ds.reports):
        for r in ds.reports_of(aid):
            data = r.model_dump(mode="json", exclude_none=True)
            data["submitted"].pop("by", None)
            reports.setdefault(aid, {})[r.id] = data
    out = {
        "settings": (
            ds.settings.model_dump(
                mode="json", exclude_none=True, include={"name", "base_currency"}
            )
            if ds.settings is not None
            else {}
        ),
        "as_of": public.as_of.isoformat(),
        "platforms": {
            k: v.model_dump(mode="json", exclude_none=True) for k, v in sorted(ds.platforms.items())
        },
        "communities": communities,
        "strategies": {
            k: v.model_dump(mode="json", exclude_none=True) | {"community": ds.strategy_owner[k]}
            for k, v in sorted(ds.strategies.items())
        },
        "donors": donors,
        "agreements": {
            k: _agreement(public, v.model_dump(mode="json", exclude_none=True))
            for k, v in sorted(ds.agreements.items())
        },
        "reports": reports,
    }
    return dict(_safe(out))


def dataset_json(public: Public) -> bytes:
    """The normalised dataset as UTF-8 JSON."""
    return (json.dumps(dataset(public), ensure_ascii=False, indent=2) + "\n").encode()
