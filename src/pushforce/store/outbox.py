"""The outbox: one ``push_jobs`` row per record waiting to be pushed (DESIGN.md §4).

* ``enqueue`` coalesces: a change while a job is pending updates that row (R17); a record that
  changed is retried, so its failed or held row goes (R18).
* ``claim`` moves due pending jobs to running under the team's lease epoch, children after their
  parents (a job waits while a job for its parent is pending or running).
* ``settle_*`` statements are fenced: they match only ``epoch = :epoch`` while the team's lease
  still has that epoch, so a drainer that lost its lease writes nothing (``LeaseLost``).
  Manual pushes hold a running row with ``epoch IS NULL`` and are fenced by that.
* A running job that stops (retry, failure, stale lease) while a newer pending job of the same
  record exists is merged into it: the running row goes, the pending one stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.store.dialect import insert_ignoring_conflicts, is_sqlite
from pushforce.store.outbox_upkeep import (  # re-exported: the outbox's whole API lives here
    due_teams,
    jobs_of,
    next_due,
    recover_stale,
    release_manual_slots,
)
from pushforce.store.push_schema import push_jobs, team_leases

TIERS = {"account": 0, "contact": 1, "deal": 2}
ACTIVITY_TIER = 3
CHUNK = 500  # ids per IN list
# When two triggers coalesce, the stronger one is kept (manual overrides eligibility, R11).
TRIGGER_STRENGTH = {"manual": 3, "push_all": 2, "created": 1, "imported": 1, "api": 1}


__all__ = [
    "Job",
    "LeaseLost",
    "claim",
    "drop_pending",
    "due_teams",
    "enqueue",
    "enqueue_new",
    "jobs_by_id",
    "jobs_of",
    "next_due",
    "recover_stale",
    "release_manual_slots",
    "settle_done",
    "settle_retry",
    "settle_stopped",
    "take_running_slot",
    "tier_of",
]


class LeaseLost(Exception):
    """A fenced statement matched nothing: another drainer holds the team's lease now."""


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    team_id: int
    kind: str
    record_id: int
    trigger: str
    actor: str | None
    attempts: int
    due_at: datetime
    epoch: int | None


def tier_of(kind: str) -> int:
    return TIERS.get(kind, ACTIVITY_TIER)


# ---- enqueue ---------------------------------------------------------------------------------


def enqueue(
    conn: Connection,
    team_id: int,
    kind: str,
    record_id: int,
    *,
    trigger: str,
    now: datetime,
    parent: tuple[str, int] | None = None,
    actor: str | None = None,
) -> None:
    """Make sure one pending job exists for the record, due now at the latest."""
    _forget_failure(conn, team_id, kind, record_id)
    if _coalesce(conn, team_id, kind, record_id, trigger, now, parent, actor):
        return
    row = _new_row(team_id, kind, record_id, trigger, now, parent, actor)
    inserted = conn.execute(insert_ignoring_conflicts(conn, push_jobs).values(row)).rowcount
    if inserted != 1:  # a concurrent writer inserted it first: coalesce into theirs
        _coalesce(conn, team_id, kind, record_id, trigger, now, parent, actor)


def _record(team_id: int, kind: str, record_id: int) -> Any:
    c = push_jobs.c
    return sa.and_(c.team_id == team_id, c.kind == kind, c.record_id == record_id)


def _forget_failure(conn: Connection, team_id: int, kind: str, record_id: int) -> None:
    stopped = push_jobs.c.state.in_(("failed", "held"))
    conn.execute(sa.delete(push_jobs).where(_record(team_id, kind, record_id), stopped))


def _coalesce(
    conn: Connection,
    team_id: int,
    kind: str,
    record_id: int,
    trigger: str,
    now: datetime,
    parent: tuple[str, int] | None,
    actor: str | None,
) -> bool:
    c = push_jobs.c
    stronger = _strength(c.trigger) < TRIGGER_STRENGTH.get(trigger, 0)
    values: dict[str, Any] = {
        "due_at": sa.case((c.due_at > now, now), else_=c.due_at),
        "trigger": sa.case((stronger, trigger), else_=c.trigger),
        "actor": sa.case((stronger, actor), else_=c.actor),
        "updated_at": now,
    }
    if parent is not None:
        values |= {"parent_kind": parent[0], "parent_id": parent[1]}
    statement = (
        sa.update(push_jobs)
        .where(_record(team_id, kind, record_id), c.state == "pending")
        .values(values)
    )
    return conn.execute(statement).rowcount == 1


def _strength(column: Any) -> Any:
    whens = [(column == name, value) for name, value in TRIGGER_STRENGTH.items()]
    return sa.case(*whens, else_=0)


def _new_row(
    team_id: int,
    kind: str,
    record_id: int,
    trigger: str,
    now: datetime,
    parent: tuple[str, int] | None,
    actor: str | None,
) -> dict[str, Any]:
    return {
        "team_id": team_id,
        "kind": kind,
        "record_id": record_id,
        "parent_kind": parent[0] if parent else None,
        "parent_id": parent[1] if parent else None,
        "tier": tier_of(kind),
        "state": "pending",
        "trigger": trigger,
        "actor": actor,
        "due_at": now,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }


def enqueue_new(
    conn: Connection,
    team_id: int,
    kind: str,
    items: Sequence[tuple[int, str, tuple[str, int] | None]],
    now: datetime,
) -> None:
    """Jobs for freshly inserted records (a bulk import): (record id, trigger, parent) each,
    in a few statements. A record that already has a pending job (an id reused after a
    delete) coalesces one by one."""
    ids = [record_id for record_id, _, _ in items]
    stopped = push_jobs.c.state.in_(("failed", "held"))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        conn.execute(
            sa.delete(push_jobs).where(
                push_jobs.c.team_id == team_id,
                push_jobs.c.kind == kind,
                push_jobs.c.record_id.in_(chunk),
                stopped,
            )
        )
    rows = [_new_row(team_id, kind, i, trigger, now, parent, None) for i, trigger, parent in items]
    # RETURNING, not rowcount: an executemany on psycopg reports a rowcount of -1.
    statement = insert_ignoring_conflicts(conn, push_jobs).returning(push_jobs.c.record_id)
    inserted = set(conn.execute(statement, rows).scalars())
    for record_id, trigger, parent in items:
        if record_id not in inserted:
            _coalesce(conn, team_id, kind, record_id, trigger, now, parent, None)


def drop_pending(conn: Connection, team_id: int, kind: str, record_id: int) -> None:
    """The record was deleted in Pushforce: nothing of it is left to push (R14)."""
    conn.execute(
        sa.delete(push_jobs).where(
            _record(team_id, kind, record_id), push_jobs.c.state.in_(("pending", "failed", "held"))
        )
    )


# ---- claim -----------------------------------------------------------------------------------


def claim(conn: Connection, team_id: int, epoch: int, now: datetime, limit: int) -> list[Job]:
    """Due pending jobs of the team → running under ``epoch`` (parents first, R17)."""
    ids = conn.execute(_claimable(team_id, now, limit)).scalars().all()
    if not ids:
        return []
    c = push_jobs.c
    statement = (
        sa.update(push_jobs)
        .where(c.id.in_(ids), c.state == "pending", _lease_is(team_id, epoch))
        .values(state="running", epoch=epoch, claimed_at=now, updated_at=now)
    )
    if is_sqlite(conn):  # writers are serialised (BEGIN IMMEDIATE): nobody took a slot since
        conn.execute(statement)
        return jobs_by_id(conn, ids, state="running", epoch=epoch)
    try:
        with conn.begin_nested():
            conn.execute(statement)
    except sa.exc.IntegrityError:
        return []  # a manual push took one of the records meanwhile; claim again next time
    return jobs_by_id(conn, ids, state="running", epoch=epoch)


def _claimable(team_id: int, now: datetime, limit: int) -> sa.Select[Any]:
    job = push_jobs
    busy = sa.or_(
        _exists_job(job.c.kind, job.c.record_id, "running"),
        _exists_job(job.c.parent_kind, job.c.parent_id, "pending"),
        _exists_job(job.c.parent_kind, job.c.parent_id, "running"),
    )
    return (
        sa.select(job.c.id)
        .where(job.c.team_id == team_id, job.c.state == "pending", job.c.due_at <= now, ~busy)
        .order_by(job.c.tier, job.c.due_at, job.c.id)
        .limit(limit)
    )


def _exists_job(kind: Any, record_id: Any, state: str) -> Any:
    """A job of the record in ``state``; one EXISTS per state, with the state inlined, so each
    is answered by that state's partial unique index (an OR inside one EXISTS made the claim
    scan the team's jobs once per candidate: quadratic for a large push-all)."""
    other = push_jobs.alias(f"other_{state}")
    return sa.exists().where(
        other.c.team_id == push_jobs.c.team_id,
        other.c.kind == kind,
        other.c.record_id == record_id,
        other.c.state == sa.literal_column(f"'{state}'"),
    )


def jobs_by_id(conn: Connection, ids: Sequence[int], *, state: str, epoch: int | None) -> list[Job]:
    c = push_jobs.c
    query = sa.select(push_jobs).where(c.id.in_(ids), c.state == state, _epoch_is(epoch))
    return [_job(row) for row in conn.execute(query.order_by(c.tier, c.id))]


def _job(row: Any) -> Job:
    return Job(
        row.id,
        row.team_id,
        row.kind,
        row.record_id,
        row.trigger,
        row.actor,
        row.attempts,
        row.due_at,
        row.epoch,
    )


# ---- manual pushes hold the running slot ----------------------------------------------------


def take_running_slot(
    conn: Connection, team_id: int, kind: str, record_id: int, actor: str | None, now: datetime
) -> Job | None:
    """A running row for a manual push, or None while another push of the record runs."""
    row = _new_row(team_id, kind, record_id, "manual", now, None, actor)
    row |= {"state": "running", "claimed_at": now}
    statement = insert_ignoring_conflicts(conn, push_jobs).values(row).returning(push_jobs.c.id)
    job_id = conn.execute(statement).scalar_one_or_none()
    if job_id is None:
        return None
    return jobs_by_id(conn, [job_id], state="running", epoch=None)[0]


# ---- settle (fenced) -------------------------------------------------------------------------


def _epoch_is(epoch: int | None) -> Any:
    return push_jobs.c.epoch.is_(None) if epoch is None else push_jobs.c.epoch == epoch


def _lease_is(team_id: int, epoch: int | None) -> Any:
    if epoch is None:
        return sa.true()
    lease = team_leases.c
    return sa.exists().where(lease.team_id == team_id, lease.epoch == epoch)


def _fenced(job: Job) -> Any:
    c = push_jobs.c
    return sa.and_(
        c.id == job.id,
        c.state == "running",
        _epoch_is(job.epoch),
        _lease_is(job.team_id, job.epoch),
    )


def _must(rowcount: int, job: Job) -> None:
    if rowcount != 1:
        raise LeaseLost(
            f"job {job.id} of team {job.team_id} is no longer held by epoch {job.epoch}"
        )


def settle_done(conn: Connection, job: Job) -> None:
    """The push happened (or there was nothing to do): the job goes."""
    _must(conn.execute(sa.delete(push_jobs).where(_fenced(job))).rowcount, job)


def settle_retry(
    conn: Connection, job: Job, at: datetime, now: datetime, *, counts: bool = True
) -> None:
    """Back to pending, due at ``at`` — or merged into a newer pending job of the record."""
    if _merge_into_pending(conn, job):
        return
    values: dict[str, Any] = {"state": "pending", "due_at": at, "epoch": None, "updated_at": now}
    if counts:
        values["attempts"] = push_jobs.c.attempts + 1
    _must(conn.execute(sa.update(push_jobs).where(_fenced(job)).values(values)).rowcount, job)


def settle_stopped(
    conn: Connection,
    job: Job,
    state: str,
    now: datetime,
    *,
    code: str | None = None,
    message: str | None = None,
    hint: str | None = None,
) -> None:
    """``failed`` (R18) or ``held`` (R5 review) — unless a newer pending job supersedes it."""
    if _merge_into_pending(conn, job):
        return
    values = {
        "state": state,
        "epoch": None,
        "error_code": code,
        "error_message": message,
        "error_hint": hint,
        "attempts": push_jobs.c.attempts + 1,
        "updated_at": now,
    }
    _must(conn.execute(sa.update(push_jobs).where(_fenced(job)).values(values)).rowcount, job)


def _merge_into_pending(conn: Connection, job: Job) -> bool:
    pending = sa.select(push_jobs.c.id).where(
        _record(job.team_id, job.kind, job.record_id), push_jobs.c.state == "pending"
    )
    if conn.execute(pending).first() is None:
        return False
    _must(conn.execute(sa.delete(push_jobs).where(_fenced(job))).rowcount, job)
    return True
