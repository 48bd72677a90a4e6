"""Execute a batch of decisions against one org: look-ups, then the stages of writes, then
`core.settle` for every write (DESIGN.md §1; docs/push-core.md).

Pure decisions go in; a `WriteResult` per Salesforce write comes out, keyed by the write's
external id. Nothing here touches the database: the caller holds no transaction while this
runs, and stores the results afterwards (`app.apply`). The drain and the manual push both
come through here (one code path).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from pushforce.app.activity_writes import carry_pushforce_ids, unclaimed_notes
from pushforce.app.failures import outcome_of
from pushforce.app.matching import LookupFailed, resolve_matches
from pushforce.app.ports import Clock, Salesforce
from pushforce.app.verify import verify_soql
from pushforce.core.batching import BulkJob, CollectionCall, WriteOp, plan_writes
from pushforce.core.decisions import (
    Create,
    Decision,
    MatchThenLinkOrCreate,
    SalesforceIdOf,
    Update,
    Write,
    Writes,
    writes_of,
)
from pushforce.core.matches import Matched, NoMatch
from pushforce.core.outcomes import Operation, Outcome, Success
from pushforce.core.policy import RECHECK_AFTER, Backoff, org_concurrency
from pushforce.core.records import RecordRef
from pushforce.core.settle import (
    Attempt,
    Done,
    Failed,
    Held,
    RetryAt,
    Settlement,
    VerifyThenRetry,
    settle,
    settle_verification,
)

AttemptsOf = Callable[[RecordRef], int]


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What happened to one Salesforce write of the batch."""

    write: Write  # as planned
    settlement: Settlement
    operation: str  # create / upsert / update / link / none (nothing was sent)
    sobject: str
    sent: Mapping[str, object]  # the field values sent (what the link remembers, R15)
    explanation: str | None = None  # how a look-up matched (R5, R6)


def unique_writes(decisions: Iterable[Decision]) -> dict[str, Write]:
    """Every write of the decisions once (a shared R4 account is pushed once), in order."""
    found: dict[str, Write] = {}
    for decision in decisions:
        for write in writes_of(decision):
            found.setdefault(write.external_id, write)
    return found


def execute(
    sf: Salesforce,
    decisions: Sequence[Decision],
    clock: Clock,
    attempts_of: AttemptsOf,
    *,
    push_all: bool = False,
) -> dict[str, WriteResult]:
    run = _Run(sf, clock, attempts_of)
    writes = unique_writes(decisions)
    matches = [w for w in writes.values() if isinstance(w, MatchThenLinkOrCreate)]
    resolutions = resolve_matches(sf, matches)
    to_send = [run.after_match(w, resolutions) for w in writes.values()]
    ready = run.with_current_values([w for w in to_send if w is not None])
    upserts = run.upsert_objects(ready)
    ready = carry_pushforce_ids(sf, ready, upserts)
    for stage in plan_writes(ready, upsert_objects=upserts, push_all=push_all):
        run.stage(stage.calls)
    return run.results


class _Run:
    def __init__(self, sf: Salesforce, clock: Clock, attempts_of: AttemptsOf) -> None:
        self.sf = sf
        self.clock = clock
        self.attempts_of = attempts_of
        self.results: dict[str, WriteResult] = {}
        self.ids: dict[str, str] = {}
        self.explanations: dict[str, str] = {}
        self.planned: dict[str, Write] = {}
        self.base_values: dict[str, Mapping[str, object]] = {}

    # ---- look-ups (R5, R6) ------------------------------------------------------------------

    def after_match(self, write: Write, resolutions: Mapping[str, object]) -> Write | None:
        """The write to send for `write` once look-ups answered, or None when it is settled
        already (linked with nothing to write, held, or its look-up failed)."""
        self.planned[write.external_id] = write
        if not isinstance(write, MatchThenLinkOrCreate):
            return write
        resolution = resolutions[write.external_id]
        if isinstance(resolution, LookupFailed):
            self.settle(write, resolution.outcome, Operation.QUERY.value)
            return None
        if isinstance(resolution, Held):
            self.record(write, resolution, "none", {})
            return None
        if isinstance(resolution, NoMatch):
            self.explanations[write.external_id] = resolution.explanation
            return Create(write.record, write.sobject, write.payload, write.external_id)
        assert isinstance(resolution, Matched)
        return self._linked(write, resolution)

    def _linked(self, write: MatchThenLinkOrCreate, matched: Matched) -> Write | None:
        chosen = matched.chosen
        key = write.external_id
        self.explanations[key] = matched.explanation
        self.base_values[key] = write.payload
        writes = write.on_match.get(chosen.sobject, Writes())
        values = dict(writes.overwrite)
        for name, value in writes.fill_if_empty.items():
            if chosen.values.get(name) in (None, ""):
                values[name] = value
        if not values:
            self.ids[key] = chosen.sf_id
            self.record(
                write, Done(chosen.sobject, chosen.sf_id, False), "link", {}, chosen.sobject
            )
            return None
        return Update(write.record, chosen.sobject, chosen.sf_id, Writes(values), key)

    # ---- fill_if_empty on linked records (R15) ----------------------------------------------

    def with_current_values(self, writes: list[Write]) -> list[Write]:
        needing = [w for w in writes if isinstance(w, Update) and w.writes.fill_if_empty]
        if not needing:
            return writes
        current = self._current_values(needing)
        return [self._filled(w, current) if w in needing else w for w in writes]

    def _current_values(self, updates: Sequence[Update]) -> dict[str, Mapping[str, Any]] | None:
        found: dict[str, Mapping[str, Any]] = {}
        by_object: dict[str, list[Update]] = {}
        for update in updates:
            by_object.setdefault(update.sobject, []).append(update)
        for sobject, group in by_object.items():
            columns = sorted({name for u in group for name in u.writes.fill_if_empty})
            ids = ", ".join(f"'{u.sf_id}'" for u in group if u.sf_id.isalnum())
            soql = f"SELECT Id, {', '.join(columns)} FROM {sobject} WHERE Id IN ({ids})"
            try:
                rows = self.sf.query(soql)
            except Exception:
                return None
            found |= {str(row["Id"])[:15]: row for row in rows}
        return found

    def _filled(self, update: Update, current: Mapping[str, Mapping[str, Any]] | None) -> Update:
        row = (current or {}).get(update.sf_id[:15], {})
        values = dict(update.writes.overwrite)
        if current is not None:
            for name, value in update.writes.fill_if_empty.items():
                if row.get(name) in (None, ""):
                    values[name] = value
        return dataclasses.replace(update, writes=Writes(values))

    # ---- calls --------------------------------------------------------------------------------

    def upsert_objects(self, writes: Iterable[Write]) -> set[str]:
        """Objects whose creates are upserts on Pushforce_Id__c (R16)."""
        objects = {w.sobject for w in writes if not isinstance(w, Update)}
        found: set[str] = set()
        for sobject in objects:
            try:
                if self.sf.describe(sobject).has_pushforce_id:
                    found.add(sobject)
            except Exception:
                continue
        return found

    def stage(self, calls: Sequence[CollectionCall | BulkJob]) -> None:
        """The calls of one stage, in parallel up to the org's cap (R20); settled in order."""
        prepared = [ready for call in calls if (ready := self._prepared(call)) is not None]
        sent_at = self.clock.now()
        if len(prepared) > 1:
            workers = min(len(prepared), org_concurrency())
            with ThreadPoolExecutor(workers, thread_name_prefix="pushforce-call") as pool:
                answers = list(pool.map(self._send, prepared))
        else:
            answers = [self._send(call) for call in prepared]
        for call, results in zip(prepared, answers, strict=True):
            for write, result in zip(call.writes, results, strict=True):
                self.settle(write, result, call.operation.value, sent_at=sent_at)

    def _prepared(self, call: CollectionCall | BulkJob) -> CollectionCall | BulkJob | None:
        ready = [resolved for w in call.writes if (resolved := self._resolved(w)) is not None]
        return dataclasses.replace(call, writes=tuple(ready)) if ready else None

    def _send(self, call: CollectionCall | BulkJob) -> list[Success | Outcome]:
        try:
            if isinstance(call, BulkJob):
                return self.sf.run_bulk(call)
            return self.sf.run_collection(call)
        except Exception as error:
            return [outcome_of(error, _operation(call.operation))] * len(call.writes)

    def _resolved(self, write: Write) -> Write | None:
        """`SalesforceIdOf` placeholders replaced by the Ids earlier stages returned."""
        missing = [ref.key for ref in _placeholders(write) if ref.key not in self.ids]
        if missing:
            self._blocked(write, missing[0])
            return None
        if isinstance(write, Update):
            overwrite = self._resolve_values(write.writes.overwrite)
            fill = self._resolve_values(write.writes.fill_if_empty)
            return dataclasses.replace(write, writes=Writes(overwrite, fill))
        assert isinstance(write, Create | MatchThenLinkOrCreate)
        return dataclasses.replace(write, payload=self._resolve_values(write.payload))

    def _resolve_values(self, values: Mapping[str, object]) -> dict[str, object]:
        return {
            name: self.ids[value.key] if isinstance(value, SalesforceIdOf) else value
            for name, value in values.items()
        }

    def _blocked(self, write: Write, key: str) -> None:
        """A write whose parent has no Salesforce Id: failed with it, or retried after it."""
        parent = self.results.get(key)
        if parent is not None and isinstance(parent.settlement, Failed | Held):
            reason = parent.settlement
            message = f"not pushed: {key} it refers to was not pushed"
            hint = reason.hint if isinstance(reason, Failed) else reason.reason
            self.record(write, Failed("DEPENDENCY_FAILED", message, hint), "none", {})
            return
        number = self.attempts_of(write.record) + 1
        at = Backoff().retry_at(number, self.clock.now(), self.clock.random)
        settlement = RetryAt(at or self.clock.now(), f"waiting for {key}")
        self.record(write, settlement, "none", {})

    def settle(
        self, write: Write, result: Success | Outcome, operation: str, *, sent_at: Any = None
    ) -> None:
        now = self.clock.now()
        number = self.attempts_of(write.record) + 1
        upsert = operation == WriteOp.UPSERT.value
        attempt = Attempt(write, number, sent_at or now, now, upsert)
        settlement = settle(attempt, result, self.clock.random)
        if isinstance(settlement, VerifyThenRetry):
            settlement = self._verified(attempt, settlement)
        if isinstance(settlement, Done):
            self.ids[write.external_id] = settlement.sf_id
        self.record(write, settlement, operation, _sent_values(write))

    def _verified(self, attempt: Attempt, pending: VerifyThenRetry) -> Settlement:
        """R16: look for the record an ambiguous create may have made before retrying it."""
        try:
            rows = self.sf.query(verify_soql(pending.verify))
            found = [str(row["Id"]) for row in rows]
            if pending.verify.sobject == "ContentNote":
                found = unclaimed_notes(self.sf, found, self.ids.values())
        except Exception as error:
            outcome = outcome_of(error, Operation.QUERY)
            at = attempt.backoff.retry_at(attempt.number, attempt.now, self.clock.random)
            return RetryAt(at or attempt.now + RECHECK_AFTER, "verify look-up failed", outcome)
        return settle_verification(attempt, found, pending.outcome, self.clock.random)

    def record(
        self,
        write: Write,
        settlement: Settlement,
        operation: str,
        sent: Mapping[str, object],
        sobject: str | None = None,
    ) -> None:
        key = write.external_id
        base = self.base_values.get(key, {})
        self.results[key] = WriteResult(
            write=self.planned.get(key, write),
            settlement=settlement,
            operation=operation,
            sobject=sobject or write.sobject,
            sent={**base, **sent},
            explanation=self.explanations.get(key),
        )


def _placeholders(write: Write) -> list[SalesforceIdOf]:
    if isinstance(write, Update):
        values = [*write.writes.overwrite.values(), *write.writes.fill_if_empty.values()]
    else:
        values = list(write.payload.values())
    return [value for value in values if isinstance(value, SalesforceIdOf)]


def _sent_values(write: Write) -> dict[str, object]:
    if isinstance(write, Update):
        return {**write.writes.fill_if_empty, **write.writes.overwrite}
    return dict(write.payload)


def _operation(op: WriteOp) -> Operation:
    return {WriteOp.CREATE: Operation.CREATE, WriteOp.UPSERT: Operation.UPSERT}.get(
        op, Operation.UPDATE
    )
