"""Helpers of the push-engine tests: records written through the one write path."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from pushforce.inputs import KIND_MODELS
from pushforce.store import insert_record, update_record


def create(conn: Connection, team_id: int, kind: str, **values: Any) -> int:
    """Insert a record validated like the API validates it; returns its id."""
    model = KIND_MODELS[kind][0].model_validate(values)
    return int(insert_record(conn, team_id, kind, model.model_dump())["id"])


def change(conn: Connection, team_id: int, kind: str, record_id: int, **values: Any) -> None:
    model = KIND_MODELS[kind][1].model_validate(values)
    update_record(conn, team_id, kind, record_id, model.model_dump(exclude_unset=True))
