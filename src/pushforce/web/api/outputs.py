"""Response models for the OpenAPI document, derived from the input models of each kind.

Routes return JSON themselves (exact decimals as strings, UTC timestamps); these models
describe that JSON at ``/docs``.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from pydantic import BaseModel, create_model

from pushforce.inputs import KIND_MODELS


def _out_fields(create: type[BaseModel]) -> dict[str, Any]:
    fields: dict[str, Any] = {"id": (int, ...)}
    for name, info in create.model_fields.items():
        fields[name] = (info.annotation | None, None)  # type: ignore[operator]
    fields["created_at"] = (datetime, ...)
    fields["updated_at"] = (datetime, ...)
    return fields


@cache
def output_models(kind: str) -> tuple[type[BaseModel], type[BaseModel]]:
    create, _patch = KIND_MODELS[kind]
    name = create.__name__.removesuffix("In")
    out: Any = create_model(f"{name}Out", **_out_fields(create))
    page = create_model(f"{name}Page", items=(list[out], ...), next_cursor=(str | None, None))
    return out, page
