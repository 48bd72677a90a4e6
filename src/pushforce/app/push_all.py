"""Push-all (R12): preview first (R22), then a background run with progress and cancel.

A run is a row of ``push_all_runs`` plus one outbox job per record (trigger ``push_all``,
the lowest budget priority, R19). The records are paged through by id, so a million-record
run holds one page in memory. The jobs are pushed by the one drain (`drain_team`), here with
a large batch so that more than 2,000 writes of one object go through Bulk API 2.0 (R20,
`core.batching` decides); a runner or worker that drains the team meanwhile pushes the same
jobs in its own batches. Progress is read back from the outbox and the sync log.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pushforce.app.batch import load_and_plan
from pushforce.app.drain import Drainer, drain_team
from pushforce.app.ports import Clock, GatewayFor
from pushforce.core.batching import batch
from pushforce.core.decisions import (
    Create,
    Decision,
    Defer,
    MatchThenLinkOrCreate,
    Skip,
    Update,
    execution_order,
)
from pushforce.store import push_all_runs as runs
from pushforce.store import read_connection, write_transaction
from pushforce.store.outbox import Job
from pushforce.store.push_all_runs import RecordFilter

PUSH_ALL_BATCH = 10_000  # jobs per drain batch: a Bulk API 2.0 job per object above 2,000
ENQUEUE_PAGE = 5_000  # records enqueued per transaction
IDLE_SECONDS = 30.0  # with nothing due for this long the driver leaves the rest to the runner
POLL_SECONDS = 0.2
LEAF_NAMES: dict[type, str] = {
    Create: "create",
    MatchThenLinkOrCreate: "match_then_link_or_create",
    Update: "update",
    Defer: "deferred",
}
KINDS = {"contacts": "contact", "accounts": "account", "deals": "deal"}
ACTIVE = ("starting", "running")

Progress = dict[str, Any]


class PushAllError(ValueError):
    """A push-all request that cannot run; ``field`` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class PushAllBusy(PushAllError):
    """A push-all of the same kind is already running for the team."""


@dataclass(frozen=True, slots=True)
class PushAllRequest:
    kind: str  # contact / account / deal (the plural is accepted)
    stage: str | None = None
    saved: bool | None = None

    def record_filter(self, team_id: int) -> RecordFilter:
        kind = KINDS.get(self.kind, self.kind)
        if kind not in KINDS.values():
            raise PushAllError("kind", f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if kind == "deal" and self.saved is not None:
            raise PushAllError("saved", "deals have no saved flag; leave 'saved' out")
        return RecordFilter(team_id, kind, self.stage, self.saved)


def _pages(engine: Any, flt: RecordFilter, size: int) -> Any:
    """Matching record ids, one page (one short read) at a time."""
    after = 0
    while True:
        with read_connection(engine) as conn:
            try:
                ids = runs.page_of_ids(conn, flt, after, size)
            except runs.UnknownStage as error:
                raise PushAllError("stage", str(error)) from error
        if not ids:
            return
        yield ids
        after = ids[-1]


# ---- R22 preview ------------------------------------------------------------------------------


def preview_push_all(
    engine: Any, clock: Clock, team_id: int, request: PushAllRequest
) -> dict[str, Any]:
    """What the run would create, link, update and skip (with reasons), and its API calls —
    planned exactly as the run plans, page by page; nothing is written or called."""
    flt = request.record_filter(team_id)
    totals: dict[str, Any] = {"records": 0, "create": 0, "match_then_link_or_create": 0}
    totals |= {"update": 0, "deferred": 0, "skipped": {}, "api_calls": 0}
    for ids in _pages(engine, flt, PUSH_ALL_BATCH):
        now = clock.now()
        jobs = [Job(0, team_id, flt.kind, i, runs.TRIGGER, None, 0, now, None) for i in ids]
        _settings, planned = load_and_plan(engine, team_id, jobs, now)
        decisions = [p.decision for p in planned if p.decision is not None]
        _add_page(totals, decisions, len(ids))
    return {"kind": flt.kind, "stage": flt.stage, "saved": flt.saved, **totals}


def _add_page(totals: dict[str, Any], decisions: list[Decision], records: int) -> None:
    totals["records"] += records
    for leaf in _unique_leaves(decisions):
        if isinstance(leaf, Skip):
            reason = leaf.reason.value
            totals["skipped"][reason] = totals["skipped"].get(reason, 0) + 1
        else:
            totals[LEAF_NAMES[type(leaf)]] += 1
    totals["api_calls"] += batch(decisions, push_all=True).estimated_calls


def _unique_leaves(decisions: list[Decision]) -> list[Decision]:
    """Each leaf once: an account shared by many contacts (R4) is pushed once."""
    found: dict[str, Decision] = {}
    for decision in decisions:
        for leaf in execution_order(decision):
            key = getattr(leaf, "external_id", "") or f"{leaf.record}:{type(leaf).__name__}"
            found.setdefault(key, leaf)
    return list(found.values())


# ---- start, drive, cancel --------------------------------------------------------------------


def start_push_all(
    engine: Any, clock: Clock, team_id: int, request: PushAllRequest, actor: str | None
) -> int:
    """The run's id; its jobs are enqueued by `run_push_all` (in the background)."""
    flt = request.record_filter(team_id)
    with write_transaction(engine) as conn:
        if runs.active_run(conn, team_id, flt.kind) is not None:
            raise PushAllBusy("kind", f"a push-all of {flt.kind}s is already running")
        try:
            total = runs.count_matching(conn, flt)
        except runs.UnknownStage as error:
            raise PushAllError("stage", str(error)) from error
        return runs.create_run(conn, flt, actor, total, clock.now())


def run_push_all(
    engine: Any,
    gateway_for: GatewayFor,
    clock: Clock,
    team_id: int,
    run_id: int,
    *,
    owner: str,
    batch_size: int = PUSH_ALL_BATCH,
    on_progress: Callable[[Progress], None] | None = None,
    idle_seconds: float = IDLE_SECONDS,
) -> Progress:
    """Enqueue the run's records page by page, then drain the team until the run is done,
    cancelled, or nothing has been due for ``idle_seconds`` (the runner finishes it then)."""
    run = _run(engine, team_id, run_id)
    flt = RecordFilter(team_id, run["kind"], run["stage"], run["counts"].get("saved"))
    if run["state"] == "starting" and not _enqueue_all(engine, clock, flt, run_id):
        return push_all_progress(engine, clock, team_id, run_id)
    drainer = Drainer(engine, gateway_for, clock, owner, batch_size=batch_size)
    idle_since = time.monotonic()
    while True:
        report = drain_team(drainer, team_id, max_batches=1)
        progress = push_all_progress(engine, clock, team_id, run_id)
        if on_progress is not None:
            on_progress(progress)
        if progress["state"] not in ACTIVE:
            return progress
        if report.jobs:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since > idle_seconds:
            return progress
        else:
            time.sleep(POLL_SECONDS)  # retries not yet due, a pause, or another drainer's lease


def _enqueue_all(engine: Any, clock: Clock, flt: RecordFilter, run_id: int) -> bool:
    """Every page into the outbox; False when the run was cancelled meanwhile."""
    for ids in _pages(engine, flt, ENQUEUE_PAGE):
        with write_transaction(engine) as conn:
            if runs.lock_run(conn, run_id) not in ACTIVE:
                return False
            runs.enqueue_page(conn, flt.team_id, flt.kind, ids, clock.now())
    with write_transaction(engine) as conn:
        return runs.set_state(conn, run_id, "running")


def cancel_push_all(engine: Any, clock: Clock, team_id: int, run_id: int) -> Progress:
    """Stop the run: no more records are enqueued, pending jobs go; running batches finish."""
    run = _run(engine, team_id, run_id)
    with write_transaction(engine) as conn:
        runs.lock_run(conn, run_id)
        if runs.set_state(conn, run_id, "cancelled", finished_at=clock.now()):
            runs.cancel_pending(conn, team_id, run["kind"])
    return push_all_progress(engine, clock, team_id, run_id)


def _run(engine: Any, team_id: int, run_id: int) -> dict[str, Any]:
    with read_connection(engine) as conn:
        run = runs.get_run(conn, team_id, run_id)
    if run is None:
        raise PushAllError("id", f"no push-all run {run_id} for this team")
    return run


# ---- progress ----------------------------------------------------------------------------------


def push_all_progress(engine: Any, clock: Clock, team_id: int, run_id: int) -> Progress:
    """done, created, linked, updated, skipped, failed; a run whose jobs are all settled is
    finished here (whoever drained them)."""
    run = _run(engine, team_id, run_id)
    with read_connection(engine) as conn:
        left = runs.remaining(conn, team_id, run["kind"]) if run["state"] in ACTIVE else 0
        counts = runs.outcome_counts(
            conn, team_id, run["kind"], run["created_at"], run["finished_at"]
        )
    if run["state"] == "running" and left == 0:
        run = _finish(engine, clock, run)
    return _progress(run, counts, left)


def _finish(engine: Any, clock: Clock, run: dict[str, Any]) -> dict[str, Any]:
    with write_transaction(engine) as conn:
        runs.set_state(conn, run["id"], "finished", finished_at=clock.now(), only_if=("running",))
        found = runs.get_run(conn, run["team_id"], run["id"])
    assert found is not None
    return found


def _progress(run: dict[str, Any], counts: dict[str, int], left: int) -> Progress:
    total = int(run["counts"].get("total", 0))
    done = min(total, sum(counts.values()))
    if run["state"] == "finished":
        done = total
    return {
        "id": run["id"],
        "kind": run["kind"],
        "stage": run["stage"],
        "saved": run["counts"].get("saved"),
        "state": run["state"],
        "actor": run["actor"],
        "total": total,
        "done": done,
        "remaining": left,
        "percent": round(100.0 * done / total, 1) if total else 100.0,
        "created": counts.get("created", 0),
        "linked": counts.get("linked", 0),
        "updated": counts.get("updated", 0),
        "skipped": counts.get("skipped", 0),
        "failed": counts.get("failed", 0) + counts.get("held", 0),
        "started_at": _iso(run["created_at"]),
        "finished_at": _iso(run["finished_at"]),
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def start_in_background(
    engine: Any, gateway_for: GatewayFor, clock: Clock, team_id: int, run_id: int, owner: str
) -> threading.Thread:
    """Embedded mode: the run drives itself in a daemon thread of this process."""
    thread = threading.Thread(
        target=run_push_all,
        args=(engine, gateway_for, clock, team_id, run_id),
        kwargs={"owner": owner},
        name=f"push-all-{run_id}",
        daemon=True,
    )
    thread.start()
    return thread


__all__ = [
    "PushAllBusy",
    "PushAllError",
    "PushAllRequest",
    "cancel_push_all",
    "preview_push_all",
    "push_all_progress",
    "run_push_all",
    "start_in_background",
    "start_push_all",
]
