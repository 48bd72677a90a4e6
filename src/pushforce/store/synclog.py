"""The sync log: every push attempt (PRODUCT.md §6) — when, trigger, actor, record, decision
and reason, Salesforce operation, Id, outcome, error code, message and fix hint."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.store.push_schema import sync_log


@dataclass(frozen=True, slots=True)
class LogEntry:
    at: datetime
    trigger: str
    actor: str | None
    kind: str
    record_id: int
    decision: str  # create / match / update / skip / defer / link
    outcome: str  # done / created / linked / updated / skipped / retry / failed / held / …
    reason: str | None = None
    external_id: str | None = None
    operation: str | None = None
    sobject: str | None = None
    sf_id: str | None = None
    error_code: str | None = None
    message: str | None = None
    hint: str | None = None


def append(conn: Connection, team_id: int, entries: Sequence[LogEntry]) -> None:
    if entries:
        rows = [{"team_id": team_id, **asdict(entry)} for entry in entries]
        conn.execute(sa.insert(sync_log), rows)


def entries_of(
    conn: Connection,
    team_id: int,
    *,
    kind: str | None = None,
    record_id: int | None = None,
    outcome: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Newest first, filtered by record and outcome."""
    c = sync_log.c
    query = sa.select(sync_log).where(c.team_id == team_id)
    if kind is not None:
        query = query.where(c.kind == kind)
    if record_id is not None:
        query = query.where(c.record_id == record_id)
    if outcome is not None:
        query = query.where(c.outcome == outcome)
    rows = conn.execute(query.order_by(c.id.desc()).limit(limit))
    return [dict(row._mapping) for row in rows]
