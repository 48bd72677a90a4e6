"""Fenced team leases: one drainer per team at a time (DESIGN.md §4).

``acquire`` takes a free or expired lease (or renews one's own) and bumps the epoch; every
claim and settle of the outbox carries that epoch, so a drainer that lost its lease — paused
by the OS, partitioned, slow — can no longer write. A team can also be paused (authentication
failed, R18) until its connection is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.store.dialect import insert_ignoring_conflicts
from pushforce.store.push_schema import team_leases


@dataclass(frozen=True, slots=True)
class Pause:
    reason: str
    hint: str | None
    at: datetime | None


def acquire(
    conn: Connection, team_id: int, owner: str, now: datetime, ttl: timedelta
) -> int | None:
    """The new epoch when ``owner`` now holds the team's lease, else None."""
    conn.execute(insert_ignoring_conflicts(conn, team_leases).values(team_id=team_id, epoch=0))
    lease = team_leases.c
    free = sa.or_(lease.owner.is_(None), lease.until < now, lease.owner == owner)
    statement = (
        sa.update(team_leases)
        .where(lease.team_id == team_id, free)
        .values(owner=owner, until=now + ttl, epoch=lease.epoch + 1)
        .returning(lease.epoch)
    )
    epoch: int | None = conn.execute(statement).scalar_one_or_none()
    return epoch


def renew(
    conn: Connection, team_id: int, owner: str, epoch: int, now: datetime, ttl: timedelta
) -> bool:
    """Extend a held lease without changing its epoch; False when it was lost."""
    lease = team_leases.c
    statement = (
        sa.update(team_leases)
        .where(lease.team_id == team_id, lease.owner == owner, lease.epoch == epoch)
        .values(until=now + ttl)
    )
    return conn.execute(statement).rowcount == 1


def release(conn: Connection, team_id: int, owner: str, epoch: int) -> None:
    lease = team_leases.c
    statement = (
        sa.update(team_leases)
        .where(lease.team_id == team_id, lease.owner == owner, lease.epoch == epoch)
        .values(owner=None, until=None)
    )
    conn.execute(statement)


def reap_expired(conn: Connection, now: datetime) -> list[int]:
    """Teams whose drainer let its lease expire (crashed): free them and say which to wake."""
    lease = team_leases.c
    expired = sa.and_(lease.owner.is_not(None), lease.until < now)
    teams = list(conn.execute(sa.select(lease.team_id).where(expired)).scalars())
    if teams:
        conn.execute(
            sa.update(team_leases)
            .where(expired, lease.team_id.in_(teams))
            .values(owner=None, until=None)
        )
    return teams


def pause(conn: Connection, team_id: int, reason: str, hint: str | None, now: datetime) -> None:
    """Stop draining the team (authentication failed, R18); queued work stays queued."""
    conn.execute(insert_ignoring_conflicts(conn, team_leases).values(team_id=team_id, epoch=0))
    conn.execute(
        sa.update(team_leases)
        .where(team_leases.c.team_id == team_id)
        .values(paused_reason=reason, paused_hint=hint, paused_at=now)
    )


def resume(conn: Connection, team_id: int) -> None:
    """The connection was fixed: the team drains again."""
    conn.execute(
        sa.update(team_leases)
        .where(team_leases.c.team_id == team_id)
        .values(paused_reason=None, paused_hint=None, paused_at=None)
    )


def pause_of(conn: Connection, team_id: int) -> Pause | None:
    lease = team_leases.c
    query = sa.select(lease.paused_reason, lease.paused_hint, lease.paused_at)
    row = conn.execute(query.where(lease.team_id == team_id)).first()
    if row is None or row.paused_reason is None:
        return None
    return Pause(row.paused_reason, row.paused_hint, row.paused_at)


def epoch_of(conn: Connection, team_id: int) -> int | None:
    query = sa.select(team_leases.c.epoch).where(team_leases.c.team_id == team_id)
    epoch: int | None = conn.execute(query).scalar_one_or_none()
    return epoch
