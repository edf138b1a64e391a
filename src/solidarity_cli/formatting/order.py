"""Key order from the schema: the pydantic models' field order, nested models too."""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Any, Union

from pydantic import BaseModel


def _models_in(annotation: Any) -> tuple[type[BaseModel], ...]:
    """Every model an annotation can hold: ``X``, ``X | None``, ``list[X]``, ``dict[str, X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return (annotation,)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType, list, tuple, set, frozenset, dict):
        args = typing.get_args(annotation)
        if origin is dict:
            args = args[1:]
        found: list[type[BaseModel]] = []
        for arg in args:
            found.extend(m for m in _models_in(arg) if m not in found)
        return tuple(found)
    return ()


@cache
def field_order(model: type[BaseModel]) -> dict[str, int]:
    """Each key of ``model`` (as written in files) and its place."""
    return {(f.alias or name): i for i, (name, f) in enumerate(model.model_fields.items())}


@cache
def child_models(model: type[BaseModel], key: str) -> tuple[type[BaseModel], ...]:
    """The models that the value under ``key`` may hold (itself, its items or its values)."""
    for name, f in model.model_fields.items():
        if (f.alias or name) == key:
            return _models_in(f.annotation)
    return ()


def best_model(candidates: tuple[type[BaseModel], ...], keys: list[str]) -> type[BaseModel] | None:
    """The candidate whose fields cover most of ``keys`` (the first one on a tie)."""
    best, score = None, -1
    for model in candidates:
        fields = field_order(model)
        hits = sum(k in fields for k in keys)
        if hits > score:
            best, score = model, hits
    return best


def is_dict_of_models(model: type[BaseModel], key: str) -> bool:
    """Whether ``key`` holds a mapping whose values (not keys) are records."""
    for name, f in model.model_fields.items():
        if (f.alias or name) == key:
            annotation = f.annotation
            while typing.get_origin(annotation) is typing.Annotated:
                annotation = typing.get_args(annotation)[0]
            if typing.get_origin(annotation) in (Union, types.UnionType):
                args = [a for a in typing.get_args(annotation) if a is not type(None)]
                annotation = args[0] if len(args) == 1 else annotation
            return typing.get_origin(annotation) is dict
    return False
