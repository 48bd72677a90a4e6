"""What the planner decided for one record: the pure values the engine executes (R1–R14).

A decision is one of

* `Skip`   — nothing is written; `reason` is a machine-readable `SkipReason`, `message` a sentence
  a user understands (shown in the sync log and previews).
* `Create` — create one Salesforce record (`sobject`, `payload`), pushed with `external_id`
  (`Pushforce_Id__c` upsert key where the org has it, R16).
* `MatchThenLinkOrCreate` — look the record up first (`lookup`: `PersonLookup` R6 or
  `AccountLookup` R5); none → create with `payload`; a match → link it and apply
  `on_match[<matched object>]` (a `Writes`).
* `Update` — write `writes` to an existing Salesforce record `sf_id`; `relink` set when the link
  must first move (merged master, converted lead, R14).
* `Defer`  — a parent must go first (`waiting_for`); the record is planned again after them.
* `Several` — one Salesforce write per person for an activity (R13): `parts` are the leaf
  decisions (Create / Update / Skip), each with its own `external_id`. An activity with a
  single write is planned as that write directly (no `Several` of one).

Every decision carries `record` (the Pushforce record it is for) and `dependents`: decisions that
must succeed BEFORE it (the account of R4, participants created under R13 — whose `because_of`
names the activity that caused them). Create / MatchThenLinkOrCreate / Update also carry
`followups`: writes made AFTER it succeeds (OpportunityContactRole for a deal's contacts,
ContentDocumentLink for a note). `execution_order()` flattens a decision in that order.

Payload values are JSON-ready (str, int, float, bool) or a `SalesforceIdOf(key)`: the Salesforce
Id of the write with that external id, resolved by the engine once that write succeeded.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, TypeAlias

from pushforce.core.records import RecordRef

Payload: TypeAlias = Mapping[str, object]


class Trigger(StrEnum):
    """Why a record is being planned (PRODUCT.md §4)."""

    CREATED = "created"
    IMPORTED = "imported"
    API = "api"
    UPDATED = "updated"
    PUSH_ALL = "push_all"
    MANUAL = "manual"


class SkipReason(StrEnum):
    """Machine-readable reasons a record (or one write of it) is not pushed."""

    DISABLED = "disabled"  # settings.enabled is off (R1, R2, R9, R10, R13)
    PUSH_NEW_OFF = "push_new_off"  # contacts/accounts/deals push_new is off
    STAGE_FILTERED = "stage_filtered"  # the stage is not in the stage filter (R2, R9)
    ACTIVITY_TYPE_OFF = "activity_type_off"  # the activity type's toggle is off (R13)
    NOTHING_CHANGED = "nothing_changed"  # no mapped field changed since the last push (R15)
    DELETED_IN_SALESFORCE = "deleted_in_salesforce"  # not re-created automatically (R14)
    PERSON_NOT_IN_SALESFORCE = "person_not_in_salesforce"  # activity with nobody linked (R13)
    DEAL_NOT_IN_SALESFORCE = "deal_not_in_salesforce"  # conversation whose deal is net new (R13)
    NO_PARTICIPANTS = "no_participants"  # activity with no known person at all
    NOTHING_TO_ATTACH = "nothing_to_attach"  # associate_with leaves no profile to attach to


@dataclass(frozen=True, slots=True)
class SalesforceIdOf:
    """Placeholder for the Salesforce Id of the write pushed with external id `key`."""

    key: str


@dataclass(frozen=True, slots=True)
class Writes:
    """Field values to write onto an existing Salesforce record (R15).

    `overwrite` is written as is; `fill_if_empty` only where Salesforce's current value is empty
    (the engine reads the current values — a look-up can select them — before writing).
    """

    overwrite: Payload = field(default_factory=dict)
    fill_if_empty: Payload = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.overwrite) or bool(self.fill_if_empty)

    def fields(self) -> frozenset[str]:
        return frozenset(self.overwrite) | frozenset(self.fill_if_empty)


NO_WRITES = Writes()

AccountTiebreak: TypeAlias = Literal["oldest", "most_recently_modified", "review"]


@dataclass(frozen=True, slots=True)
class PersonLookup:
    """R6: find a person by email in `objects` order (Leads: `IsConverted = false` only).

    Several matches in one object → the oldest (CreatedDate), logged.
    """

    email: str
    objects: tuple[Literal["Contact", "Lead"], ...]


@dataclass(frozen=True, slots=True)
class AccountLookup:
    """R5: find an Account by website `domain`, then by exact `name` (case-insensitive).

    None → create; one → link; several → `tiebreak` (`review` holds the record for a person).
    """

    domain: str | None
    name: str
    tiebreak: AccountTiebreak


Lookup: TypeAlias = PersonLookup | AccountLookup


@dataclass(frozen=True, slots=True)
class Relink:
    """R14: move the link to `sobject`/`sf_id` (merged master, or a converted Lead's Contact)."""

    reason: Literal["merged", "converted"]
    sobject: str
    sf_id: str
    account_id: str | None = None  # a converted Lead's Account


@dataclass(frozen=True, slots=True)
class Skip:
    """Nothing is written. `external_id` names the write it concerns when it concerns one
    (a linked record left unchanged or deleted in Salesforce, one person's Task); else ""."""

    record: RecordRef
    reason: SkipReason
    message: str
    external_id: str = ""
    dependents: tuple[Decision, ...] = ()


@dataclass(frozen=True, slots=True)
class Create:
    record: RecordRef
    sobject: str
    payload: Payload
    external_id: str
    dependents: tuple[Decision, ...] = ()
    followups: tuple[Decision, ...] = ()
    because_of: RecordRef | None = None


@dataclass(frozen=True, slots=True)
class MatchThenLinkOrCreate:
    record: RecordRef
    sobject: str
    lookup: Lookup
    payload: Payload
    external_id: str
    on_match: Mapping[str, Writes] = field(default_factory=dict)
    dependents: tuple[Decision, ...] = ()
    followups: tuple[Decision, ...] = ()
    because_of: RecordRef | None = None


@dataclass(frozen=True, slots=True)
class Update:
    record: RecordRef
    sobject: str
    sf_id: str
    writes: Writes
    external_id: str
    relink: Relink | None = None
    dependents: tuple[Decision, ...] = ()
    followups: tuple[Decision, ...] = ()


@dataclass(frozen=True, slots=True)
class Defer:
    """Plan the record again once `waiting_for` are pushed; `dependents` push them (R13)."""

    record: RecordRef
    waiting_for: tuple[RecordRef, ...]
    message: str
    dependents: tuple[Decision, ...] = ()


@dataclass(frozen=True, slots=True)
class Several:
    record: RecordRef
    parts: tuple[Decision, ...]
    dependents: tuple[Decision, ...] = ()


Decision: TypeAlias = Skip | Create | MatchThenLinkOrCreate | Update | Defer | Several
Write: TypeAlias = Create | MatchThenLinkOrCreate | Update


def execution_order(decision: Decision) -> Iterator[Decision]:
    """Every leaf decision in the order it must run: dependents, itself, then its followups.

    `Several` yields its parts (not itself); the other kinds yield themselves.
    """
    for dependent in decision.dependents:
        yield from execution_order(dependent)
    if isinstance(decision, Several):
        for part in decision.parts:
            yield from execution_order(part)
        return
    yield decision
    if isinstance(decision, Create | MatchThenLinkOrCreate | Update):
        for followup in decision.followups:
            yield from execution_order(followup)


def writes_of(decision: Decision) -> Iterator[Write]:
    """Only the leaves that write to Salesforce, in execution order."""
    for leaf in execution_order(decision):
        if isinstance(leaf, Create | MatchThenLinkOrCreate | Update):
            yield leaf
