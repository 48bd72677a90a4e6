"""What happened to one Salesforce write → what the engine does next (R14, R16, R18, R19).

`settle(attempt, result)` turns the gateway's answer for one write (`Success`, or a classified
`Outcome`) into a `Settlement`:

* `Done`        — store the link to the written record.
* `RetryAt`     — try again at `at` (transient errors with backoff; budget and relinks too).
* `VerifyThenRetry` — R16: a create without an external-id upsert may have happened; look for
  it (`verify`) before any retry, then call `settle_verification`.
* `Failed`      — permanent: Salesforce's code and message plus a fix hint; retried when the
  record or the settings change, or on request.
* `Relinked`    — the record moved (merged → master, converted Lead → Contact): move the link
  and write again.
* `LinkRemoved` — the linked record was deleted in Salesforce; never re-created automatically.
* `PauseTeam`   — authentication failed: pause the team's queue until it reconnects.
* `Held`        — a look-up found several accounts and the tie-break is `review` (R5).

`settle_job` folds the settlements of one job's writes into the one that decides the job.
Match results (R5, R6) are resolved by :mod:`pushforce.core.matches`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, TypeAlias

from pushforce.core.decisions import Create, MatchThenLinkOrCreate, Relink, Write
from pushforce.core.error_catalog import PERMANENT_HINTS, OutcomeKind
from pushforce.core.outcomes import Outcome, Success
from pushforce.core.policy import RECHECK_AFTER, Backoff, RandomSource

__all__ = [
    "RETRY_TRIGGERS",
    "Attempt",
    "Done",
    "Failed",
    "Held",
    "LinkRemoved",
    "PauseTeam",
    "Relinked",
    "RetryAt",
    "Settlement",
    "VerifyLookup",
    "VerifyThenRetry",
    "settle",
    "settle_job",
    "settle_verification",
]

RETRY_TRIGGERS = frozenset({"record_changed", "settings_changed", "requested"})
# CreatedDate is Salesforce's clock, `sent_at` ours: look back far enough to cover the skew.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try of one write. `number` is 1 for the first try; `sent_at` is when the call left;
    `upsert` says the org has the external-Id field so every write was an upsert on it."""

    write: Write
    number: int
    sent_at: datetime
    now: datetime
    upsert: bool
    backoff: Backoff = field(default_factory=Backoff)


@dataclass(frozen=True, slots=True)
class Done:
    sobject: str
    sf_id: str
    created: bool


@dataclass(frozen=True, slots=True)
class RetryAt:
    at: datetime
    reason: str
    outcome: Outcome | None = None
    counts_as_attempt: bool = True


@dataclass(frozen=True, slots=True)
class VerifyLookup:
    """Find a record this write may have created: `sobject` rows whose `match` fields equal the
    payload's and that were created at or after `created_since` (when the call left, less
    `CLOCK_SKEW`)."""

    sobject: str
    match: Mapping[str, object]
    created_since: datetime


@dataclass(frozen=True, slots=True)
class VerifyThenRetry:
    verify: VerifyLookup
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class Failed:
    code: str
    message: str
    hint: str
    retry_on: frozenset[str] = RETRY_TRIGGERS


@dataclass(frozen=True, slots=True)
class Relinked:
    relink: Relink
    retry: RetryAt


@dataclass(frozen=True, slots=True)
class LinkRemoved:
    reason: str
    hint: str


@dataclass(frozen=True, slots=True)
class PauseTeam:
    reason: str
    hint: str


@dataclass(frozen=True, slots=True)
class Held:
    reason: str
    candidates: tuple[str, ...]


Settlement: TypeAlias = (
    Done | RetryAt | VerifyThenRetry | Failed | Relinked | LinkRemoved | PauseTeam | Held
)

CARRIED_ID = "Pushforce_Id__c"  # sent as a plain field where the org cannot upsert on it
# Upserting again a Task or Event that exists is an update, which Salesforce refuses for their
# create-only TaskSubtype / EventSubtype: an ambiguous upsert of one is looked up first (R16).
LOOK_BEFORE_UPSERT = frozenset({"Task", "Event"})
# The fields that identify a record a timed-out create may have left behind (R16).
IDENTITY_FIELDS: Mapping[str, tuple[str, ...]] = {
    "Lead": ("Email", "LastName", "FirstName"),
    "Contact": ("Email", "LastName", "FirstName"),
    "Account": ("Name",),
    "Opportunity": ("Name", "AccountId", "CloseDate"),
    "OpportunityContactRole": ("OpportunityId", "ContactId"),
    "Task": ("Subject", "WhoId", "ActivityDate"),
    "Event": ("Subject", "WhoId", "StartDateTime"),
    "ContentNote": ("Title",),
    "ContentDocumentLink": ("ContentDocumentId", "LinkedEntityId"),
}


def settle(attempt: Attempt, result: Success | Outcome, random: RandomSource) -> Settlement:
    """The next step for one write after Salesforce answered (or did not)."""
    if isinstance(result, Success):
        return Done(result.sobject, result.sf_id, result.created)
    handler = _HANDLERS[result.kind]
    return handler(attempt, result, random)


def settle_verification(
    attempt: Attempt, found: Sequence[str], outcome: Outcome, random: RandomSource
) -> Settlement:
    """R16: after an ambiguous create, the verify look-up found `found` (oldest first): link
    it, or — nothing was created — retry the create with backoff like any transient error."""
    if found:
        return Done(attempt.write.sobject, found[0], created=True)
    return _transient(attempt, outcome, random)


def settle_job(settlements: Sequence[Settlement]) -> Settlement:
    """One job may make several writes (R4 account, R13 one activity per person, R10 roles);
    the most urgent settlement decides what happens to the job."""
    if not settlements:
        raise ValueError("a job settles at least one write")
    return min(settlements, key=_urgency)


def _transient(attempt: Attempt, outcome: Outcome, random: RandomSource) -> Settlement:
    at = attempt.backoff.retry_at(attempt.number, attempt.now, random, outcome.retry_after_seconds)
    if at is None:
        return _exhausted(attempt, outcome)
    return RetryAt(at, f"{outcome.code}: retry {attempt.number + 1}", outcome)


def _exhausted(attempt: Attempt, outcome: Outcome) -> Failed:
    message = f"gave up after {attempt.number} attempts; last error {outcome.code}: "
    return Failed(
        "RETRIES_EXHAUSTED", message + outcome.message, PERMANENT_HINTS["RETRIES_EXHAUSTED"]
    )


def _ambiguous(attempt: Attempt, outcome: Outcome, random: RandomSource) -> Settlement:
    """Upserts and updates are idempotent, so they simply retry; a plain create may have been
    applied, so it is looked for before it is sent again (R16)."""
    write = attempt.write
    if not isinstance(write, Create | MatchThenLinkOrCreate):
        return _transient(attempt, outcome, random)
    if attempt.upsert and write.sobject not in LOOK_BEFORE_UPSERT:
        return _transient(attempt, outcome, random)
    return VerifyThenRetry(_verify_lookup(write, attempt.sent_at, attempt.upsert), outcome)


def _verify_lookup(
    write: Create | MatchThenLinkOrCreate, since: datetime, upsert: bool = False
) -> VerifyLookup:
    if upsert:
        return VerifyLookup(write.sobject, {CARRIED_ID: write.external_id}, since - CLOCK_SKEW)
    names = IDENTITY_FIELDS.get(write.sobject, ())
    if write.payload.get(CARRIED_ID) is not None:  # a plain Pushforce_Id__c was sent with it
        names = (CARRIED_ID,)
    match = {name: write.payload[name] for name in names if write.payload.get(name) is not None}
    return VerifyLookup(write.sobject, match, since - CLOCK_SKEW)


def _permanent(attempt: Attempt, outcome: Outcome, random: RandomSource) -> Settlement:
    return Failed(outcome.code, outcome.message, outcome.hint)


def _auth(attempt: Attempt, outcome: Outcome, random: RandomSource) -> Settlement:
    return PauseTeam(f"{outcome.code}: {outcome.message}".rstrip(": "), outcome.hint)


def _limit(attempt: Attempt, outcome: Outcome, random: RandomSource) -> Settlement:
    at = attempt.now + RECHECK_AFTER
    return RetryAt(at, "the org's daily API allocation is used up", outcome, False)


def _deleted(attempt: Attempt, outcome: Outcome, random: RandomSource) -> Settlement:
    if isinstance(attempt.write, Create | MatchThenLinkOrCreate):
        # A create cannot hit its own deleted record: a record it refers to was deleted.
        hint = "A related Salesforce record was deleted. Push the related record again, then retry."
        return Failed(outcome.code, outcome.message, hint)
    return LinkRemoved(f"{outcome.code}: {outcome.message}".rstrip(": "), outcome.hint)


def _moved(attempt: Attempt, outcome: Outcome, random: RandomSource) -> Settlement:
    successor = outcome.successor
    if successor is None:
        hint = "Salesforce moved the record but did not say where. Push the record by hand."
        return Failed(outcome.code, outcome.message, hint)
    reason: Literal["merged", "converted"] = (
        "merged" if outcome.kind is OutcomeKind.MERGED else "converted"
    )
    relink = Relink(reason, successor.sobject, successor.sf_id, successor.account_id)
    return Relinked(relink, _retry_now(attempt, f"the record was {reason}; write again"))


def _retry_now(attempt: Attempt, reason: str) -> RetryAt:
    return RetryAt(attempt.now, reason, counts_as_attempt=False)


_HANDLERS = {
    OutcomeKind.TRANSIENT: _transient,
    OutcomeKind.AMBIGUOUS: _ambiguous,
    OutcomeKind.PERMANENT: _permanent,
    OutcomeKind.AUTH: _auth,
    OutcomeKind.LIMIT_EXCEEDED: _limit,
    OutcomeKind.DELETED: _deleted,
    OutcomeKind.MERGED: _moved,
    OutcomeKind.CONVERTED: _moved,
}

_URGENCY: Mapping[type, int] = {
    PauseTeam: 0,
    VerifyThenRetry: 1,
    Relinked: 2,
    RetryAt: 3,
    Held: 4,
    Failed: 5,
    LinkRemoved: 6,
    Done: 7,
}


def _urgency(settlement: Settlement) -> tuple[int, float]:
    at = settlement.at.timestamp() if isinstance(settlement, RetryAt) else 0.0
    return _URGENCY[type(settlement)], at
