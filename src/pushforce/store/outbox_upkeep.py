"""Upkeep and reads of the outbox: recovery of a dead drainer's jobs, stale manual slots, the
teams the sweep wakes, and job listings (re-exported by ``store.outbox``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.store.push_schema import push_jobs, team_leases


def recover_stale(conn: Connection, team_id: int, epoch: int, now: datetime) -> int:
    """Running jobs of an older epoch (their drainer lost the lease or died) go back to pending,
    merged into a newer pending job of the same record where there is one."""
    c, newer = push_jobs.c, push_jobs.alias("newer")
    stale = sa.and_(
        c.team_id == team_id, c.state == "running", c.epoch.is_not(None), c.epoch < epoch
    )
    has_pending = sa.exists().where(
        newer.c.team_id == c.team_id,
        newer.c.kind == c.kind,
        newer.c.record_id == c.record_id,
        newer.c.state == "pending",
    )
    merged = conn.execute(sa.delete(push_jobs).where(stale, has_pending)).rowcount
    back = {"state": "pending", "epoch": None, "updated_at": now}
    requeued = conn.execute(sa.update(push_jobs).where(stale).values(back)).rowcount
    return merged + requeued


def release_manual_slots(conn: Connection, older_than: datetime) -> int:
    """Running rows of manual pushes whose process died (older than any push may take)."""
    c = push_jobs.c
    stale = sa.and_(c.state == "running", c.epoch.is_(None), c.claimed_at < older_than)
    return conn.execute(sa.delete(push_jobs).where(stale)).rowcount


def due_teams(conn: Connection, now: datetime) -> list[int]:
    """Teams with a due pending job and no pause (the sweep wakes them)."""
    c, lease = push_jobs.c, team_leases.c
    paused = sa.exists().where(lease.team_id == c.team_id, lease.paused_reason.is_not(None))
    query = sa.select(c.team_id).where(c.state == "pending", c.due_at <= now, ~paused).distinct()
    return list(conn.execute(query).scalars())


def next_due(conn: Connection, team_id: int) -> datetime | None:
    c = push_jobs.c
    query = sa.select(sa.func.min(c.due_at)).where(c.team_id == team_id, c.state == "pending")
    value: datetime | None = conn.execute(query).scalar_one_or_none()
    return value


def jobs_of(conn: Connection, team_id: int) -> list[dict[str, Any]]:
    """Every job row of a team (status pages, tests)."""
    query = sa.select(push_jobs).where(push_jobs.c.team_id == team_id).order_by(push_jobs.c.id)
    return [dict(row._mapping) for row in conn.execute(query)]
