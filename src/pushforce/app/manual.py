"""Manual push (R11) and its preview (R22).

`push_now` pushes one record synchronously, overriding eligibility (enabled, toggles, stage
filters) but not how it is written, through the same plan → batch → gateway → settle path as
the drain (`run_batch`). It holds the record's running slot in the outbox, so it never runs
beside a drain push of the same record; the acting user is logged.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from pushforce.app.apply import JobFate
from pushforce.app.batch import BatchReport, load_and_plan, run_batch
from pushforce.app.ports import Clock, GatewayFor
from pushforce.core.decisions import (
    Create,
    Decision,
    Defer,
    MatchThenLinkOrCreate,
    PersonLookup,
    Skip,
    SkipReason,
    Update,
    execution_order,
)
from pushforce.core.planner import preview
from pushforce.core.records import RecordRef
from pushforce.core.settle import Done, Failed, Held, LinkRemoved, PauseTeam, Relinked, RetryAt
from pushforce.store import (
    connections,
    get_record,
    links,
    outbox,
    read_connection,
    write_transaction,
)
from pushforce.store.outbox import Job

SLOT_WAIT_SECONDS = 10.0  # how long a manual push waits for a drain push of the record to end
PUSHABLE_KINDS = frozenset({"account", "contact", "deal"})


@dataclass(frozen=True, slots=True)
class ManualResult:
    """The synchronous answer: `status` is pushed / unchanged / skipped / retrying / failed /
    held / busy / not_found / no_connection / paused."""

    status: str
    kind: str
    record_id: int
    operation: str | None = None  # created / updated / linked
    sobject: str | None = None
    sf_id: str | None = None
    url: str | None = None
    code: str | None = None
    message: str | None = None
    hint: str | None = None
    retry_at: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("pushed", "unchanged")


def push_now(
    engine: Any,
    gateway_for: GatewayFor,
    clock: Clock,
    team_id: int,
    kind: str,
    record_id: int,
    actor: str | None,
) -> ManualResult:
    with read_connection(engine) as conn:
        if get_record(conn, team_id, kind, record_id) is None:
            return ManualResult("not_found", kind, record_id, message=f"no {kind} {record_id}")
    sf = gateway_for(team_id)
    if sf is None:
        message = "this team has no Salesforce connection"
        hint = "Connect Salesforce first: pushforce connect, or Settings › Integrations."
        return ManualResult("no_connection", kind, record_id, message=message, hint=hint)
    job = _take_slot(engine, clock, team_id, kind, record_id, actor)
    if job is None:
        message = "another push of this record is running; try again in a moment"
        return ManualResult("busy", kind, record_id, message=message)
    report = run_batch(engine, lambda _team: sf, clock, team_id, [job])
    return _answer(engine, team_id, kind, record_id, report)


def _take_slot(
    engine: Any, clock: Clock, team_id: int, kind: str, record_id: int, actor: str | None
) -> Job | None:
    deadline = time.monotonic() + SLOT_WAIT_SECONDS
    while True:
        with write_transaction(engine) as conn:
            job = outbox.take_running_slot(conn, team_id, kind, record_id, actor, clock.now())
        if job is not None or time.monotonic() >= deadline:
            return job
        time.sleep(0.05)  # a drain push of this record is finishing (seconds at most)


def _answer(
    engine: Any, team_id: int, kind: str, record_id: int, report: BatchReport
) -> ManualResult:
    key = RecordRef(team_id, kind, record_id).external_id  # type: ignore[arg-type]
    fate = report.fates[0] if report.fates else None
    result = report.results.get(key)
    settlement = result.settlement if result else (fate.settlement if fate else None)
    base: dict[str, Any] = {"kind": kind, "record_id": record_id}
    if report.waiting:
        return ManualResult("waiting", **base, message="the org's daily API allocation is used up")
    if isinstance(settlement, Done):
        operation = result.operation if result else None
        created = (
            "created" if settlement.created else ("linked" if operation == "link" else "updated")
        )
        url = record_url(engine, team_id, settlement.sf_id)
        return ManualResult(
            "pushed",
            **base,
            operation=created,
            sobject=settlement.sobject,
            sf_id=settlement.sf_id,
            url=url,
        )
    if settlement is None:
        return _unchanged_or_skipped(engine, team_id, key, fate, base)
    return _problem(settlement, base)


def _unchanged_or_skipped(
    engine: Any, team_id: int, key: str, fate: JobFate | None, base: dict[str, Any]
) -> ManualResult:
    skip = fate.skipped if fate else None
    with read_connection(engine) as conn:
        own = links.links_of(conn, team_id, [(base["kind"], base["record_id"])])
    link = own[(base["kind"], base["record_id"])].get(key)
    if skip is not None and skip.reason is SkipReason.NOTHING_CHANGED and link is not None:
        sobject, sf_id = link.current
        return ManualResult(
            "unchanged",
            **base,
            sobject=sobject,
            sf_id=sf_id,
            url=record_url(engine, team_id, sf_id),
            message=skip.message,
        )
    message = skip.message if skip else "the record no longer exists"
    code = skip.reason.value if skip else None
    return ManualResult("skipped", **base, code=code, message=message)


def _problem(settlement: Any, base: dict[str, Any]) -> ManualResult:
    if isinstance(settlement, Failed):
        return ManualResult(
            "failed", **base, code=settlement.code, message=settlement.message, hint=settlement.hint
        )
    if isinstance(settlement, Held):
        return ManualResult(
            "held",
            **base,
            code="REVIEW",
            message=settlement.reason,
            hint="Candidates: " + ", ".join(settlement.candidates),
        )
    if isinstance(settlement, PauseTeam):
        return ManualResult(
            "paused", **base, code="AUTH", message=settlement.reason, hint=settlement.hint
        )
    if isinstance(settlement, LinkRemoved):
        return ManualResult(
            "failed",
            **base,
            code="DELETED_IN_SALESFORCE",
            message=settlement.reason,
            hint=settlement.hint,
        )
    retry = settlement.retry if isinstance(settlement, Relinked) else settlement
    assert isinstance(retry, RetryAt)
    outcome = retry.outcome
    return ManualResult(
        "retrying",
        **base,
        code=outcome.code if outcome else None,
        message=retry.reason,
        hint=outcome.hint if outcome else None,
        retry_at=retry.at.isoformat(),
    )


def record_url(engine: Any, team_id: int, sf_id: str) -> str | None:
    """The record's page in Salesforce: ``<instance URL>/<Id>``."""
    with read_connection(engine) as conn:
        row = connections.connection_for_team(conn, team_id)
    return f"{row.instance_url.rstrip('/')}/{sf_id}" if row is not None else None


# ---- R22 preview ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PreviewStep:
    action: str  # create / match_then_link_or_create / update / skip / defer
    kind: str
    record_id: int
    sobject: str | None = None
    fields: dict[str, object] = field(default_factory=dict)
    reason: str | None = None


def preview_push(
    engine: Any, clock: Clock, team_id: int, kind: str, record_id: int
) -> dict[str, Any] | None:
    """What a manual push would do and cost, writing nothing and calling nothing (R22)."""
    job = Job(0, team_id, kind, record_id, "manual", None, 0, clock.now(), None)
    with read_connection(engine) as conn:
        if get_record(conn, team_id, kind, record_id) is None:
            return None
    _settings, planned = load_and_plan(engine, team_id, [job], clock.now())
    decision = planned[0].decision
    assert decision is not None
    summary = preview([decision])
    return {
        "created": summary.created,
        "matched_or_created": summary.matched_or_created,
        "updated": summary.updated,
        "deferred": summary.deferred,
        "skipped": dict(summary.skipped),
        "api_calls": summary.api_calls,
        "steps": [
            _step(leaf).__dict__ if False else _step_dict(leaf)
            for leaf in execution_order(decision)
        ],
    }


def _step(leaf: Decision) -> PreviewStep:
    ref = leaf.record
    if isinstance(leaf, Skip):
        return PreviewStep("skip", ref.kind, ref.id, reason=f"{leaf.reason.value}: {leaf.message}")
    if isinstance(leaf, Defer):
        return PreviewStep("defer", ref.kind, ref.id, reason=leaf.message)
    if isinstance(leaf, MatchThenLinkOrCreate):
        return PreviewStep(
            "match_then_link_or_create",
            ref.kind,
            ref.id,
            leaf.sobject,
            _plain(leaf.payload),
            reason=_lookup_text(leaf),
        )
    if isinstance(leaf, Create):
        return PreviewStep("create", ref.kind, ref.id, leaf.sobject, _plain(leaf.payload))
    assert isinstance(leaf, Update)
    values = {**leaf.writes.fill_if_empty, **leaf.writes.overwrite}
    return PreviewStep(
        "update",
        ref.kind,
        ref.id,
        leaf.sobject,
        _plain(values),
        reason=f"{leaf.sobject} {leaf.sf_id}",
    )


def _step_dict(leaf: Decision) -> dict[str, Any]:
    step = _step(leaf)
    return {name: getattr(step, name) for name in PreviewStep.__slots__}


def _plain(values: Any) -> dict[str, object]:
    return {
        name: getattr(value, "key", value)
        if not isinstance(value, str | int | float | bool)
        else value
        for name, value in values.items()
    }


def _lookup_text(leaf: MatchThenLinkOrCreate) -> str:
    lookup = leaf.lookup
    if isinstance(lookup, PersonLookup):
        return f"look up {' then '.join(lookup.objects)} by email {lookup.email}"
    return f"look up Account by domain {lookup.domain}, then by name {lookup.name}"


__all__ = ["ManualResult", "PreviewStep", "preview_push", "push_now", "record_url"]
