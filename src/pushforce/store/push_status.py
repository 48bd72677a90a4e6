"""Reads and retries behind ``status``, ``log`` and ``retry`` (PRODUCT.md §6, issue 5 item 7).

* the queue: jobs per kind and state, the oldest pending job, failures by error class (the
  Salesforce error code a failed job stopped with; ``REVIEW`` for a held R5 match);
* the sync log, filtered and paged newest first by a keyset cursor (the last id seen);
* retry: failed (and held) jobs back to pending, due now, by record, error class or all (R18).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.store.push_schema import push_jobs, sync_log

STOPPED = ("failed", "held")


def queue_depth(conn: Connection, team_id: int) -> dict[str, dict[str, int]]:
    """Jobs by kind, then by state (pending, running, failed, held)."""
    c = push_jobs.c
    query = (
        sa.select(c.kind, c.state, sa.func.count())
        .where(c.team_id == team_id)
        .group_by(c.kind, c.state)
    )
    depth: dict[str, dict[str, int]] = {}
    for kind, state, n in conn.execute(query):
        depth.setdefault(str(kind), {})[str(state)] = int(n)
    return depth


def oldest_pending(conn: Connection, team_id: int) -> datetime | None:
    """When the oldest job still waiting was queued (coalescing keeps the first time)."""
    c = push_jobs.c
    query = sa.select(sa.func.min(c.created_at)).where(c.team_id == team_id, c.state == "pending")
    value: datetime | None = conn.execute(query).scalar_one_or_none()
    return value


def failures_by_class(conn: Connection, team_id: int) -> dict[str, int]:
    c = push_jobs.c
    code = sa.func.coalesce(c.error_code, "UNKNOWN")
    query = (
        sa.select(code, sa.func.count())
        .where(c.team_id == team_id, c.state.in_(STOPPED))
        .group_by(code)
    )
    return {str(name): int(n) for name, n in conn.execute(query)}


def failed_jobs(conn: Connection, team_id: int, limit: int = 100) -> list[dict[str, Any]]:
    c = push_jobs.c
    query = (
        sa.select(push_jobs)
        .where(c.team_id == team_id, c.state.in_(STOPPED))
        .order_by(c.updated_at.desc(), c.id.desc())
        .limit(limit)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


# ---- the sync log ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LogFilter:
    kind: str | None = None
    record_id: int | None = None
    outcome: str | None = None
    error_code: str | None = None
    trigger: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _log_clauses(team_id: int, flt: LogFilter) -> list[Any]:
    c = sync_log.c
    clauses: list[Any] = [c.team_id == team_id]
    equal = {
        c.kind: flt.kind,
        c.record_id: flt.record_id,
        c.outcome: flt.outcome,
        c.error_code: flt.error_code,
        c.trigger: flt.trigger,
    }
    clauses += [column == value for column, value in equal.items() if value is not None]
    if flt.since is not None:
        clauses.append(c.at >= flt.since)
    if flt.until is not None:
        clauses.append(c.at < flt.until)
    return clauses


def log_page(
    conn: Connection, team_id: int, flt: LogFilter, *, before_id: int | None, limit: int
) -> tuple[list[dict[str, Any]], int | None]:
    """Up to ``limit`` entries newest first, below ``before_id``; and the next cursor."""
    c = sync_log.c
    query = sa.select(sync_log).where(*_log_clauses(team_id, flt))
    if before_id is not None:
        query = query.where(c.id < before_id)
    rows = [dict(r._mapping) for r in conn.execute(query.order_by(c.id.desc()).limit(limit + 1))]
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (int(rows[-1]["id"]) if more and rows else None)


# ---- retry (R18: on request) -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetrySelection:
    kind: str | None = None
    record_id: int | None = None
    error_code: str | None = None  # the error class; None with no record: every failed job


def _stopped(team_id: int, sel: RetrySelection) -> Any:
    c = push_jobs.c
    clauses = [c.team_id == team_id, c.state.in_(STOPPED)]
    if sel.kind is not None:
        clauses.append(c.kind == sel.kind)
    if sel.record_id is not None:
        clauses.append(c.record_id == sel.record_id)
    if sel.error_code is not None:
        clauses.append(c.error_code == sel.error_code)
    return sa.and_(*clauses)


def retry_stopped(conn: Connection, team_id: int, sel: RetrySelection, now: datetime) -> int:
    """Failed/held jobs of the selection → pending and due now (a record that already has a
    pending job keeps that one, R17); the number of records to be retried."""
    c, pending = push_jobs.c, push_jobs.alias("pending")
    superseded = sa.exists().where(
        pending.c.team_id == c.team_id,
        pending.c.kind == c.kind,
        pending.c.record_id == c.record_id,
        pending.c.state == "pending",
    )
    merged = conn.execute(sa.delete(push_jobs).where(_stopped(team_id, sel), superseded)).rowcount
    values = {
        "state": "pending",
        "due_at": now,
        "attempts": 0,
        "epoch": None,
        "error_code": None,
        "error_message": None,
        "error_hint": None,
        "updated_at": now,
    }
    moved = conn.execute(sa.update(push_jobs).where(_stopped(team_id, sel)).values(values))
    return int(merged + moved.rowcount)
