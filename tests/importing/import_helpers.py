"""Helpers shared by the import tests."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from pushforce.store import create_team, write_transaction


def new_team(engine: Engine) -> int:
    with write_transaction(engine) as conn:
        return int(create_team(conn, f"team-{uuid.uuid4().hex[:8]}")["id"])


def rows(engine: Engine, sql: str, **params: Any) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(sa.text(sql), params).mappings()]
