"""One batch of claimed jobs, start to end: load → plan → admit → call → settle (DESIGN.md §1).

Three short transactions around the Salesforce calls, never one across them: read what the
planner needs, run the calls with no transaction open, then store links, log and job fates.
The drain and the manual push both run their jobs through `run_batch`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pushforce.app import failpoints
from pushforce.app.apply import JobFate, Planned, apply_batch
from pushforce.app.budget import Admitted, admit_batch
from pushforce.app.context import ContextLoader
from pushforce.app.execute import WriteResult, execute
from pushforce.app.ports import Clock, GatewayFor
from pushforce.core.decisions import writes_of
from pushforce.core.planner import plan
from pushforce.core.records import RecordRef
from pushforce.core.settings import PushSettings
from pushforce.store import leases, outbox, read_connection, synclog, write_transaction
from pushforce.store.outbox import Job, LeaseLost
from pushforce.store.settings_repo import current_settings
from pushforce.store.synclog import LogEntry

NO_CONNECTION = "no Salesforce connection for this team; connect it (pushforce connect)"


@dataclass(frozen=True, slots=True)
class BatchReport:
    fates: list[JobFate] = field(default_factory=list)
    results: dict[str, WriteResult] = field(default_factory=dict)
    planned: list[Planned] = field(default_factory=list)
    waiting: int = 0  # jobs put back: over the API budget or no connection
    paused: bool = False


def load_and_plan(
    engine: Any, team_id: int, jobs: Sequence[Job], now: datetime
) -> tuple[PushSettings, list[Planned]]:
    """Read records, links and settings in one read transaction; plan each job (pure)."""
    with read_connection(engine) as conn:
        settings, _version = current_settings(conn, team_id)
        loader = ContextLoader(conn, team_id)
        loader.preload_links([(job.kind, job.record_id) for job in jobs])  # one read per kind
        records = [loader.record(job.kind, job.record_id) for job in jobs]
        loader.preload_people(records)
        planned = []
        for job, record in zip(jobs, records, strict=True):
            decision = None
            if record is not None:
                decision = plan(settings, record, job.trigger, loader.context(record), now)
            planned.append(Planned(job, decision))
    return settings, planned


def run_batch(
    engine: Any, gateway_for: GatewayFor, clock: Clock, team_id: int, jobs: Sequence[Job]
) -> BatchReport:
    now = clock.now()
    settings, planned = load_and_plan(engine, team_id, jobs, now)
    needs_calls = [p for p in planned if p.decision and any(writes_of(p.decision))]
    sf = gateway_for(team_id) if needs_calls else None
    if needs_calls and sf is None:
        return _put_back(engine, team_id, planned, needs_calls, now, NO_CONNECTION, clock)
    admitted = admit_batch(sf, settings, needs_calls, now) if sf else Admitted(needs_calls, [])
    running = _without(planned, admitted.waiting)
    attempts = {RecordRef(team_id, p.job.kind, p.job.record_id): p.job.attempts for p in planned}  # type: ignore[arg-type]
    results: dict[str, WriteResult] = {}
    if sf is not None and admitted.running:
        decisions = [p.decision for p in admitted.running if p.decision is not None]
        push_all = any(p.job.trigger == "push_all" for p in admitted.running)
        results = execute(sf, decisions, clock, lambda ref: attempts.get(ref, 0), push_all=push_all)
    failpoints.reach("after_response")
    done_at = clock.now()
    with write_transaction(engine) as conn:
        fates = apply_batch(conn, team_id, running, results, done_at)
        _wait(conn, team_id, admitted, done_at)
        paused = leases.pause_of(conn, team_id) is not None
    return BatchReport(fates, results, planned, len(admitted.waiting), paused)


def _wait(conn: Any, team_id: int, admitted: Admitted, now: datetime) -> None:
    """Jobs over the API budget wait, without counting an attempt, and resume by themselves."""
    entries = []
    for item, (at, reason) in zip(admitted.waiting, admitted.reasons, strict=True):
        job = item.job
        entries.append(
            LogEntry(
                now,
                job.trigger,
                job.actor,
                job.kind,
                job.record_id,
                "wait",
                "waiting",
                reason=reason,
            )
        )
        try:
            outbox.settle_retry(conn, job, at, now, counts=False)
        except LeaseLost:
            continue
    synclog.append(conn, team_id, entries)


def _put_back(
    engine: Any,
    team_id: int,
    planned: list[Planned],
    waiting: list[Planned],
    now: datetime,
    reason: str,
    clock: Clock,
) -> BatchReport:
    from pushforce.core.policy import RECHECK_AFTER

    admitted = Admitted([], waiting, [(now + RECHECK_AFTER, reason)] * len(waiting))
    running = _without(planned, waiting)
    with write_transaction(engine) as conn:
        fates = apply_batch(conn, team_id, running, {}, clock.now())
        _wait(conn, team_id, admitted, clock.now())
    return BatchReport(fates, {}, planned, len(waiting))


def _without(planned: list[Planned], waiting: list[Planned]) -> list[Planned]:
    """The planned jobs that are not waiting (by identity: a batch holds each once)."""
    gone = {id(item) for item in waiting}
    return [item for item in planned if id(item) not in gone]
