"""Decisions → the fewest Salesforce calls, in a safe order (R17, R20).

* Writes are grouped per object type and operation into sObject Collections of at most 200
  records; in push-all, a group above 2,000 records becomes Bulk API 2.0 ingest jobs.
* Groups run in stages: accounts, then people, then deals (and their contact roles), then
  activities (and their note links) — and never before a write whose Salesforce Id their
  payload needs (`SalesforceIdOf`). A write that several decisions share (the account of two
  contacts, R4) is sent once.
* Look-ups are planned by :mod:`pushforce.core.lookups`.

Pure: the engine executes a `BatchPlan` stage by stage, resolving `SalesforceIdOf`
placeholders from the results of earlier stages.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

from pushforce.core.decisions import (
    Decision,
    SalesforceIdOf,
    Update,
    Write,
    writes_of,
)
from pushforce.core.lookups import LookupQuery, plan_lookups

__all__ = [
    "BULK_THRESHOLD",
    "COLLECTION_LIMIT",
    "BatchPlan",
    "BulkJob",
    "CollectionCall",
    "Stage",
    "WriteOp",
    "batch",
    "plan_writes",
]

COLLECTION_LIMIT = 200  # sObject Collections: records per call (reference §3)
BULK_THRESHOLD = 2_000  # Salesforce: above ~2,000 records use Bulk API 2.0 (reference §6)
BULK_JOB_RECORDS = 100_000  # one ingest job per 100k rows keeps each CSV upload far under 100 MB
BULK_JOB_CALLS = 5  # create, upload, close, one poll, results
EXTERNAL_ID_FIELD = "Pushforce_Id__c"

# R17: accounts before people, people before deals, deals before activities.
TIERS: Mapping[str, int] = {
    "Account": 0,
    "Contact": 1,
    "Lead": 1,
    "Opportunity": 2,
    "OpportunityContactRole": 3,
    "Task": 4,
    "Event": 4,
    "ContentNote": 4,
    "ContentDocumentLink": 5,
}
KIND_TIERS: Mapping[str, int] = {"account": 0, "contact": 1, "deal": 2}
ACTIVITY_TIER = 4
PARENT_FIELDS = ("AccountId", "WhoId", "WhatId", "OpportunityId", "LinkedEntityId", "ParentId")


class WriteOp(StrEnum):
    CREATE = "create"  # POST /composite/sobjects           | Bulk "insert"
    UPSERT = "upsert"  # PATCH /composite/sobjects/X/Ext_Id | Bulk "upsert"
    UPDATE = "update"  # PATCH /composite/sobjects (by Id)  | Bulk "update"

    @property
    def bulk_operation(self) -> str:
        return "insert" if self is WriteOp.CREATE else self.value


@dataclass(frozen=True, slots=True)
class CollectionCall:
    """One sObject Collections request: ≤200 writes of one object type and operation.
    Results come back in the order of `writes`."""

    sobject: str
    operation: WriteOp
    writes: tuple[Write, ...]
    external_id_field: str | None = None
    estimated_calls: int = 1


@dataclass(frozen=True, slots=True)
class BulkJob:
    """One Bulk API 2.0 ingest job (push-all groups above 2,000 records)."""

    sobject: str
    operation: WriteOp
    writes: tuple[Write, ...]
    external_id_field: str | None = None
    estimated_calls: int = BULK_JOB_CALLS


Call: TypeAlias = CollectionCall | BulkJob


@dataclass(frozen=True, slots=True)
class Stage:
    """Calls that may run in any order (or in parallel); all of them finish before the next."""

    level: int
    calls: tuple[Call, ...]


@dataclass(frozen=True, slots=True)
class BatchPlan:
    lookups: tuple[LookupQuery, ...]
    stages: tuple[Stage, ...]

    @property
    def estimated_calls(self) -> int:
        """What executing the plan costs in API calls (R22 previews, R19 admission)."""
        lookups = sum(query.estimated_calls for query in self.lookups)
        return lookups + sum(call.estimated_calls for s in self.stages for call in s.calls)


def batch(
    decisions: Iterable[Decision],
    *,
    upsert_objects: Collection[str] = (),
    push_all: bool = False,
    org_counts: Mapping[str, int] | None = None,
) -> BatchPlan:
    """Look-ups and writes for a set of decisions, assuming no look-up finds a match (the most
    a push can cost — what a preview shows before anything is sent)."""
    decisions = tuple(decisions)
    lookups = plan_lookups(decisions, org_counts=org_counts)
    writes = [write for decision in decisions for write in writes_of(decision)]
    return BatchPlan(lookups, plan_writes(writes, upsert_objects=upsert_objects, push_all=push_all))


def plan_writes(
    writes: Iterable[Write],
    *,
    upsert_objects: Collection[str] = (),
    push_all: bool = False,
) -> tuple[Stage, ...]:
    """Group writes into stages of calls.

    ``upsert_objects`` — objects that have the unique ``Pushforce_Id__c`` field: creates on them
    are upserts on it (R16). A `MatchThenLinkOrCreate` is planned as its create; the engine
    passes the matched ones as `Update`s once the look-ups are done.
    """
    unique = _dedupe(writes)
    levels = _levels(unique)
    groups: dict[tuple[int, str, WriteOp], list[Write]] = {}
    for key, write in unique.items():
        group = (levels[key], write.sobject, _operation(write, upsert_objects))
        groups.setdefault(group, []).append(write)
    stages: dict[int, list[Call]] = {}
    for (level, sobject, operation), members in groups.items():
        calls = _calls(sobject, operation, _by_parent(members), push_all)
        stages.setdefault(level, []).extend(calls)
    return tuple(Stage(level, tuple(stages[level])) for level in sorted(stages))


def _dedupe(writes: Iterable[Write]) -> dict[str, Write]:
    unique: dict[str, Write] = {}
    for write in writes:
        unique.setdefault(write.external_id, write)
    return unique


def _operation(write: Write, upsert_objects: Collection[str]) -> WriteOp:
    if isinstance(write, Update):
        return WriteOp.UPDATE
    return WriteOp.UPSERT if write.sobject in upsert_objects else WriteOp.CREATE


def _levels(writes: Mapping[str, Write]) -> dict[str, int]:
    """Stage of each write: its R17 tier, but after every write its payload refers to."""
    levels: dict[str, int] = {}

    def level_of(key: str, seen: frozenset[str]) -> int:
        if key in levels:
            return levels[key]
        if key in seen:
            raise ValueError(f"writes refer to each other in a cycle through {key}")
        write = writes[key]
        refs = [ref for ref in _references(write) if ref in writes]
        after = [level_of(ref, seen | {key}) + 1 for ref in refs]
        levels[key] = max([_tier(write), *after])
        return levels[key]

    for key in writes:
        level_of(key, frozenset())
    return levels


def _tier(write: Write) -> int:
    tier = TIERS.get(write.sobject)
    return tier if tier is not None else KIND_TIERS.get(write.record.kind, ACTIVITY_TIER)


def _references(write: Write) -> list[str]:
    return [value.key for value in _values(write) if isinstance(value, SalesforceIdOf)]


def _values(write: Write) -> list[object]:
    if isinstance(write, Update):
        return [*write.writes.overwrite.values(), *write.writes.fill_if_empty.values()]
    return list(write.payload.values())


def _by_parent(writes: list[Write]) -> list[Write]:
    """Children of one parent side by side: fewer UNABLE_TO_LOCK_ROW when Salesforce processes
    a bulk job's batches in parallel (reliability §1.7). Stable, so otherwise in input order."""
    return sorted(writes, key=_parent_key)


def _parent_key(write: Write) -> str:
    values = write.writes.overwrite if isinstance(write, Update) else write.payload
    for name in PARENT_FIELDS:
        value = values.get(name)
        if value is not None:
            return value.key if isinstance(value, SalesforceIdOf) else str(value)
    return ""


def _calls(sobject: str, operation: WriteOp, writes: list[Write], push_all: bool) -> list[Call]:
    ext = EXTERNAL_ID_FIELD if operation is WriteOp.UPSERT else None
    if push_all and len(writes) > BULK_THRESHOLD:
        return [
            BulkJob(sobject, operation, tuple(chunk), ext)
            for chunk in _chunked(writes, BULK_JOB_RECORDS)
        ]
    return [
        CollectionCall(sobject, operation, tuple(chunk), ext)
        for chunk in _chunked(writes, COLLECTION_LIMIT)
    ]


def _chunked(writes: list[Write], size: int) -> list[list[Write]]:
    return [writes[start : start + size] for start in range(0, len(writes), size)]
