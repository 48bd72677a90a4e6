"""Push-all runs (R12): which records a run covers, their jobs, and the run's progress.

* ``page_of_ids`` pages through a kind's records by id (keyset), narrowed by stage and saved,
  so a million-record run never loads more than one page.
* ``enqueue_page`` puts one page into the outbox set-based: a pending job per record with
  trigger ``push_all`` (a pending job of the record keeps its row, R17; a failed or held one is
  replaced: push-all pushes every record again).
* Progress is read, not counted by the drain: ``remaining`` jobs of the run's kind, and the
  terminal outcomes the sync log recorded for ``push_all`` pushes since the run started.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.store.dialect import insert_ignoring_conflicts
from pushforce.store.kinds import spec_for
from pushforce.store.outbox import TRIGGER_STRENGTH, tier_of
from pushforce.store.push_schema import push_all_runs, push_jobs, sync_log
from pushforce.store.stages import resolve_stage

TRIGGER = "push_all"
TERMINAL_OUTCOMES = ("created", "linked", "updated", "skipped", "failed", "held")
# A pending job with one of these keeps its trigger (manual is stronger than push-all).
STRONGER_TRIGGERS = tuple(t for t, s in TRIGGER_STRENGTH.items() if s >= TRIGGER_STRENGTH[TRIGGER])
PARENT_FIELD = {"contact": "account_id", "deal": "account_id"}


class UnknownStage(ValueError):
    """The stage named by a push-all does not exist for the kind."""


@dataclass(frozen=True, slots=True)
class RecordFilter:
    team_id: int
    kind: str
    stage: str | None = None
    saved: bool | None = None


def _where(conn: Connection, flt: RecordFilter) -> list[Any]:
    table = spec_for(flt.kind).table
    clauses: list[Any] = [table.c.team_id == flt.team_id]
    if flt.stage is not None:
        stage_id = resolve_stage(conn, flt.team_id, flt.kind, flt.stage)
        if stage_id is None:
            raise UnknownStage(f"no {flt.kind} stage named {flt.stage!r}")
        clauses.append(table.c.stage_id == stage_id)
    if flt.saved is not None:
        clauses.append(table.c.saved == flt.saved)
    return clauses


def count_matching(conn: Connection, flt: RecordFilter) -> int:
    table = spec_for(flt.kind).table
    query = sa.select(sa.func.count()).select_from(table).where(*_where(conn, flt))
    return int(conn.execute(query).scalar_one())


def page_of_ids(conn: Connection, flt: RecordFilter, after_id: int, limit: int) -> list[int]:
    """The next ``limit`` matching record ids above ``after_id``, ascending."""
    table = spec_for(flt.kind).table
    query = (
        sa.select(table.c.id)
        .where(*_where(conn, flt), table.c.id > after_id)
        .order_by(table.c.id)
        .limit(limit)
    )
    return list(conn.execute(query).scalars())


def enqueue_page(
    conn: Connection, team_id: int, kind: str, ids: Sequence[int], now: datetime
) -> None:
    """One pending ``push_all`` job per record of ``ids`` (set-based, one page at a time)."""
    if not ids:
        return
    c = push_jobs.c
    of_page = sa.and_(c.team_id == team_id, c.kind == kind, c.record_id.in_(ids))
    conn.execute(sa.delete(push_jobs).where(of_page, c.state.in_(("failed", "held"))))
    weaker = c.trigger.not_in(STRONGER_TRIGGERS)
    conn.execute(
        sa.update(push_jobs)
        .where(of_page, c.state == "pending", weaker)
        .values(trigger=TRIGGER, actor=None, updated_at=now)
    )
    parents = _parents(conn, kind, ids)
    rows = [_job_row(team_id, kind, record_id, parent, now) for record_id, parent in parents]
    conn.execute(insert_ignoring_conflicts(conn, push_jobs), rows)


def _parents(conn: Connection, kind: str, ids: Sequence[int]) -> list[tuple[int, int | None]]:
    field = PARENT_FIELD.get(kind)
    table = spec_for(kind).table
    if field is None:
        return [(record_id, None) for record_id in ids]
    query = sa.select(table.c.id, table.c[field]).where(table.c.id.in_(ids))
    return [(row[0], row[1]) for row in conn.execute(query)]


def _job_row(
    team_id: int, kind: str, record_id: int, parent_id: int | None, now: datetime
) -> dict[str, Any]:
    return {
        "team_id": team_id,
        "kind": kind,
        "record_id": record_id,
        "parent_kind": "account" if parent_id is not None else None,
        "parent_id": parent_id,
        "tier": tier_of(kind),
        "state": "pending",
        "trigger": TRIGGER,
        "actor": None,
        "due_at": now,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }


# ---- runs ------------------------------------------------------------------------------------


def create_run(
    conn: Connection, flt: RecordFilter, actor: str | None, total: int, now: datetime
) -> int:
    counts = {"total": total, "saved": flt.saved}
    values = {
        "team_id": flt.team_id,
        "kind": flt.kind,
        "stage": flt.stage,
        "state": "starting",
        "actor": actor,
        "counts": counts,
        "created_at": now,
    }
    result = conn.execute(sa.insert(push_all_runs).values(values).returning(push_all_runs.c.id))
    return int(result.scalar_one())


def get_run(conn: Connection, team_id: int, run_id: int) -> dict[str, Any] | None:
    c = push_all_runs.c
    row = conn.execute(sa.select(push_all_runs).where(c.id == run_id, c.team_id == team_id)).first()
    return None if row is None else dict(row._mapping)


def active_run(conn: Connection, team_id: int, kind: str) -> dict[str, Any] | None:
    c = push_all_runs.c
    query = sa.select(push_all_runs).where(
        c.team_id == team_id, c.kind == kind, c.state.in_(("starting", "running"))
    )
    row = conn.execute(query.order_by(c.id.desc())).first()
    return None if row is None else dict(row._mapping)


def lock_run(conn: Connection, run_id: int) -> str | None:
    """The run's state, its row locked until the transaction ends (PostgreSQL; SQLite's write
    transactions are serial anyway): enqueueing a page and cancelling never interleave."""
    query = sa.select(push_all_runs.c.state).where(push_all_runs.c.id == run_id).with_for_update()
    state: str | None = conn.execute(query).scalar_one_or_none()
    return state


def set_state(
    conn: Connection,
    run_id: int,
    state: str,
    *,
    counts: dict[str, Any] | None = None,
    finished_at: datetime | None = None,
    only_if: Sequence[str] = ("starting", "running"),
) -> bool:
    """Move a run on; a finished or cancelled run stays so (compare-and-set on ``only_if``)."""
    values: dict[str, Any] = {"state": state}
    if counts is not None:
        values["counts"] = counts
    if finished_at is not None:
        values["finished_at"] = finished_at
    c = push_all_runs.c
    statement = sa.update(push_all_runs).where(c.id == run_id, c.state.in_(only_if))
    return conn.execute(statement.values(values)).rowcount == 1


def remaining(conn: Connection, team_id: int, kind: str) -> int:
    """Push-all jobs of the kind not yet settled (pending or running)."""
    c = push_jobs.c
    query = sa.select(sa.func.count()).where(
        c.team_id == team_id,
        c.kind == kind,
        c.trigger == TRIGGER,
        c.state.in_(("pending", "running")),
    )
    return int(conn.execute(query).scalar_one())


def outcome_counts(
    conn: Connection, team_id: int, kind: str, since: datetime, until: datetime | None
) -> dict[str, int]:
    """Terminal outcomes of push-all pushes of the kind logged in [since, until]."""
    c = sync_log.c
    query = (
        sa.select(c.outcome, sa.func.count())
        .where(
            c.team_id == team_id,
            c.kind == kind,
            c.trigger == TRIGGER,
            c.at >= since,
            c.outcome.in_(TERMINAL_OUTCOMES),
        )
        .group_by(c.outcome)
    )
    if until is not None:
        query = query.where(c.at <= until)
    return {str(outcome): int(n) for outcome, n in conn.execute(query)}


def cancel_pending(conn: Connection, team_id: int, kind: str) -> int:
    """Pending push-all jobs of the kind go; running ones finish their batch."""
    c = push_jobs.c
    statement = sa.delete(push_jobs).where(
        c.team_id == team_id, c.kind == kind, c.trigger == TRIGGER, c.state == "pending"
    )
    return conn.execute(statement).rowcount
