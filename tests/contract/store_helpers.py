"""Helpers shared by the store contract tests (and the API tests' team set-up)."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from record_samples import Refs, sample
from sqlalchemy.engine import Engine

from pushforce.inputs import KIND_MODELS
from pushforce.store import (
    create_team,
    create_user,
    get_record,
    insert_record,
    read_connection,
    write_transaction,
)
from pushforce.store.kinds import spec_for


def new_team(engine: Engine, name: str = "team") -> tuple[int, Refs]:
    """A team with one user, account, contact and deal to refer to."""
    with write_transaction(engine) as conn:
        team_id = create_team(conn, name)["id"]
        user = create_user(conn, team_id, f"{uuid.uuid4().hex[:10]}@pushforce.example.com", "Rep")
        refs = Refs(0, 0, 0, user["id"])
        for kind in ("account", "contact", "deal"):
            model = KIND_MODELS[kind][0].model_validate(sample(kind, refs))
            record = insert_record(conn, team_id, kind, model.model_dump())
            refs = Refs(**{**refs.__dict__, f"{kind}_id": record["id"]})
    return team_id, refs


def create_values(kind: str, refs: Refs, **overrides: Any) -> dict[str, Any]:
    return KIND_MODELS[kind][0].model_validate(sample(kind, refs, **overrides)).model_dump()


def patch_values(kind: str, changes: dict[str, Any]) -> dict[str, Any]:
    return KIND_MODELS[kind][1].model_validate(changes).model_dump(exclude_unset=True)


def insert(engine: Engine, team_id: int, kind: str, values: dict[str, Any]) -> dict[str, Any]:
    with write_transaction(engine) as conn:
        return insert_record(conn, team_id, kind, values)


def read(engine: Engine, team_id: int, kind: str, record_id: int) -> dict[str, Any] | None:
    with read_connection(engine) as conn:
        return get_record(conn, team_id, kind, record_id)


def count(engine: Engine, kind: str) -> int:
    with read_connection(engine) as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(spec_for(kind).table)).scalar()
