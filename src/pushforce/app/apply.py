"""Store what a batch did: links (R14, R15), the sync log, and each job's fate (DESIGN.md §4).

Links and log rows record facts about Salesforce, so they are written even when a job's
fenced settle finds the lease lost (the new lease holder repeats the push idempotently, R16,
and must see the link). Job settles are fenced: a lost lease skips that job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pushforce.app.backfill_on_link import enqueue_backfill
from pushforce.app.execute import WriteResult
from pushforce.core.decisions import (
    Create,
    Decision,
    Defer,
    MatchThenLinkOrCreate,
    Skip,
    Update,
    execution_order,
)
from pushforce.core.settle import (
    Done,
    Failed,
    Held,
    LinkRemoved,
    PauseTeam,
    Relinked,
    RetryAt,
    Settlement,
    VerifyThenRetry,
    settle_job,
)
from pushforce.store import connections, leases, links, outbox, synclog
from pushforce.store.outbox import Job, LeaseLost
from pushforce.store.synclog import LogEntry

DEFER_DELAY = timedelta(seconds=5)


@dataclass(frozen=True, slots=True)
class Planned:
    """One claimed job with its decision (None: the record no longer exists)."""

    job: Job
    decision: Decision | None


@dataclass(frozen=True, slots=True)
class JobFate:
    job: Job
    settlement: Settlement | None  # None: nothing to do (skipped, or record deleted)
    skipped: Skip | None = None


def apply_batch(
    conn: Any,
    team_id: int,
    planned: Sequence[Planned],
    results: Mapping[str, WriteResult],
    now: datetime,
) -> list[JobFate]:
    """Links and log rows for every write; then each job settled (fenced)."""
    _store_links(conn, team_id, results, now)
    enqueue_backfill(conn, team_id, results, now)  # R13: people linked for the first time
    entries: list[LogEntry] = []
    fates = [_fate(item, results, now, entries) for item in planned]
    synclog.append(conn, team_id, entries)
    for fate in fates:
        _settle_job(conn, team_id, fate, now)
    return fates


def _store_links(
    conn: Any, team_id: int, results: Mapping[str, WriteResult], now: datetime
) -> None:
    saves: list[links.LinkSave] = []
    for key, result in results.items():
        ref = result.write.record
        settlement = result.settlement
        if isinstance(settlement, Done):
            target = (settlement.sobject, settlement.sf_id)
            saves.append(((ref.kind, ref.id), key, target, result.sent))
        elif isinstance(settlement, Relinked):
            relink = settlement.relink
            links.move_link(conn, team_id, key, relink.reason, relink.sf_id, relink.account_id, now)
        elif isinstance(settlement, LinkRemoved):
            links.mark_deleted(conn, team_id, key, now)
    links.save_links(conn, team_id, saves, now)


def _fate(
    item: Planned, results: Mapping[str, WriteResult], now: datetime, entries: list[LogEntry]
) -> JobFate:
    job = item.job
    if item.decision is None:
        return JobFate(job, None)
    settlements: list[Settlement] = []
    first_skip: Skip | None = None
    for leaf in execution_order(item.decision):
        if isinstance(leaf, Skip):
            first_skip = first_skip or leaf
            entries.append(_skip_entry(job, leaf, now))
        elif isinstance(leaf, Defer):
            settlements.append(RetryAt(now + DEFER_DELAY, leaf.message, None, False))
            entries.append(_entry(job, leaf.record.kind, leaf.record.id, now, "defer", "deferred"))
        elif isinstance(leaf, Create | MatchThenLinkOrCreate | Update) and (
            result := results.get(leaf.external_id)
        ):
            settlements.append(result.settlement)
            entries.append(_write_entry(job, leaf, result, now))
    if not settlements:
        return JobFate(job, None, first_skip)
    return JobFate(job, settle_job(settlements), first_skip)


def _settle_job(conn: Any, team_id: int, fate: JobFate, now: datetime) -> None:
    job, settlement = fate.job, fate.settlement
    try:
        if settlement is None or isinstance(settlement, Done | LinkRemoved):
            outbox.settle_done(conn, job)
        elif isinstance(settlement, RetryAt):
            outbox.settle_retry(conn, job, settlement.at, now, counts=settlement.counts_as_attempt)
        elif isinstance(settlement, Relinked):
            outbox.settle_retry(conn, job, settlement.retry.at, now, counts=False)
        elif isinstance(settlement, PauseTeam):
            leases.pause(conn, team_id, settlement.reason, settlement.hint, now)
            connections.set_state(
                conn, team_id, connections.NEEDS_RECONNECT, settlement.reason, now
            )
            outbox.settle_retry(conn, job, now, now, counts=False)
        elif isinstance(settlement, Failed):
            outbox.settle_stopped(
                conn,
                job,
                "failed",
                now,
                code=settlement.code,
                message=settlement.message,
                hint=settlement.hint,
            )
        elif isinstance(settlement, Held):
            candidates = ", ".join(settlement.candidates)
            outbox.settle_stopped(
                conn, job, "held", now, code="REVIEW", message=settlement.reason, hint=candidates
            )
        elif isinstance(settlement, VerifyThenRetry):  # resolved by execute; never stored
            outbox.settle_retry(conn, job, now, now, counts=False)
    except LeaseLost:
        return  # the new lease holder recovers the job and pushes it again (R16)


# ---- sync log rows ---------------------------------------------------------------------------


def _entry(
    job: Job, kind: str, record_id: int, now: datetime, decision: str, outcome: str, **extra: Any
) -> LogEntry:
    return LogEntry(now, job.trigger, job.actor, kind, record_id, decision, outcome, **extra)


def _skip_entry(job: Job, skip: Skip, now: datetime) -> LogEntry:
    return _entry(
        job,
        skip.record.kind,
        skip.record.id,
        now,
        "skip",
        "skipped",
        reason=f"{skip.reason.value}: {skip.message}",
        external_id=skip.external_id or None,
    )


def _write_entry(job: Job, leaf: Decision, result: WriteResult, now: datetime) -> LogEntry:
    settlement = result.settlement
    outcome, code, message, hint, sf_id = _describe(settlement, result.operation)
    reason = result.explanation or _reason(settlement)
    because_of = getattr(leaf, "because_of", None)
    if because_of is not None:  # R13: a participant created so an activity can be attached
        cause = f"created because of {because_of.kind} {because_of.id} ({because_of.external_id})"
        reason = f"{cause}; {reason}" if reason else cause
    return _entry(
        job,
        leaf.record.kind,
        leaf.record.id,
        now,
        _decision_name(leaf),
        outcome,
        reason=reason,
        external_id=result.write.external_id,
        operation=result.operation,
        sobject=result.sobject,
        sf_id=sf_id,
        error_code=code,
        message=message,
        hint=hint,
    )


def _decision_name(leaf: Decision) -> str:
    if isinstance(leaf, MatchThenLinkOrCreate):
        return "match"
    if isinstance(leaf, Create):
        return "create"
    if isinstance(leaf, Update):
        return "update"
    return type(leaf).__name__.lower()


Described = tuple[str, str | None, str | None, str | None, str | None]


def _describe(settlement: Settlement, operation: str) -> Described:
    if isinstance(settlement, Done):
        outcome = (
            "created" if settlement.created else ("linked" if operation == "link" else "updated")
        )
        return outcome, None, None, None, settlement.sf_id
    if isinstance(settlement, RetryAt):
        o = settlement.outcome
        if o is None:
            return "retry", None, None, None, None
        return "retry", o.code, o.message, o.hint, None
    if isinstance(settlement, Failed):
        return "failed", settlement.code, settlement.message, settlement.hint, None
    if isinstance(settlement, Held):
        return "held", "REVIEW", settlement.reason, ", ".join(settlement.candidates), None
    if isinstance(settlement, Relinked):
        return "relinked", None, settlement.relink.reason, None, settlement.relink.sf_id
    if isinstance(settlement, LinkRemoved):
        return "link_removed", None, settlement.reason, settlement.hint, None
    if isinstance(settlement, PauseTeam):
        return "paused", None, settlement.reason, settlement.hint, None
    return "retry", None, None, None, None


def _reason(settlement: Settlement) -> str | None:
    if isinstance(settlement, RetryAt):
        return f"{settlement.reason}; next try at {settlement.at.isoformat()}"
    return None
