"""Read the database directly, so API tests assert state and not only status codes."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from pushforce.store import get_record, read_connection
from pushforce.store.kinds import spec_for
from pushforce.store.schema import deal_contacts


def stored(engine: Engine, team_id: int, kind: str, record_id: int) -> dict[str, Any] | None:
    with read_connection(engine) as conn:
        return get_record(conn, team_id, kind, record_id)


def row_count(engine: Engine, kind: str) -> int:
    table = deal_contacts if kind == "deal_contact" else spec_for(kind).table
    with read_connection(engine) as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def snapshot(engine: Engine) -> dict[str, int]:
    """Row counts of every record table (to prove a refused request wrote nothing)."""
    kinds = [
        "account",
        "contact",
        "deal",
        "deal_contact",
        "email",
        "note",
        "task",
        "call",
        "meeting",
        "conversation",
    ]
    return {kind: row_count(engine, kind) for kind in kinds}
