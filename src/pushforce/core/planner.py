"""The heart: `plan(settings, record, trigger, links, now) -> Decision` (R1–R14), and `preview`
(R22), which says what a list of decisions would do and cost without writing anything.

The rules live in plan_records (accounts, contacts, deals) and plan_activities (R13).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from math import ceil

from pushforce.core.decisions import (
    AccountLookup,
    Create,
    Decision,
    Defer,
    MatchThenLinkOrCreate,
    Skip,
    Trigger,
    Update,
    execution_order,
)
from pushforce.core.plan_activities import plan_activity
from pushforce.core.plan_notes import plan_conversation, plan_note
from pushforce.core.plan_records import plan_account, plan_contact, plan_deal
from pushforce.core.records import (
    Account,
    Contact,
    Conversation,
    Deal,
    Note,
    PlanContext,
    Record,
)
from pushforce.core.settings import PushSettings

COLLECTION_SIZE = 200  # sObject Collections take at most 200 records per call (R20)
LOOKUP_CHUNK = 200  # values per batched SOQL look-up
BULK_THRESHOLD = 2_000  # push-all batches above this go through Bulk API 2.0 (R20)
BULK_JOB_CALLS = 5  # create job, upload, close, poll, results


def plan(
    settings: PushSettings,
    record: Record,
    trigger: Trigger | str,
    links: PlanContext,
    now: datetime,
) -> Decision:
    """Decide what to do in Salesforce for `record` (pure: same inputs, same decision)."""
    trigger = Trigger(trigger)
    if isinstance(record, Account):
        return plan_account(settings, record, trigger, links)
    if isinstance(record, Contact):
        return plan_contact(settings, record, trigger, links)
    if isinstance(record, Deal):
        return plan_deal(settings, record, trigger, links)
    if isinstance(record, Note):
        return plan_note(settings, record, trigger, links)
    if isinstance(record, Conversation):
        return plan_conversation(settings, record, trigger, links)
    return plan_activity(settings, record, trigger, links, now)


@dataclass(frozen=True, slots=True)
class Preview:
    """R22: what the decisions would do. Counts are of Salesforce writes (leaves)."""

    created: int = 0
    matched_or_created: int = 0  # decided by a look-up: linked (and updated) or created
    updated: int = 0
    deferred: int = 0
    skipped: Mapping[str, int] = field(default_factory=dict)  # by SkipReason
    api_calls: int = 0  # estimate: look-ups and writes batched as the engine batches them

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


def preview(decisions: Iterable[Decision], *, bulk: bool = False) -> Preview:
    """Summarise decisions; `bulk` (push-all) counts a Bulk API 2.0 job above 2,000 writes."""
    kinds: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    writes: Counter[tuple[str, str]] = Counter()
    lookups: Counter[str] = Counter()
    for decision in decisions:
        for leaf in execution_order(decision):
            _count(leaf, kinds, skipped, writes, lookups)
    return Preview(
        created=kinds["create"],
        matched_or_created=kinds["match"],
        updated=kinds["update"],
        deferred=kinds["defer"],
        skipped=dict(skipped),
        api_calls=_api_calls(writes, lookups, bulk),
    )


def _count(
    leaf: Decision,
    kinds: Counter[str],
    skipped: Counter[str],
    writes: Counter[tuple[str, str]],
    lookups: Counter[str],
) -> None:
    if isinstance(leaf, Skip):
        skipped[leaf.reason.value] += 1
    elif isinstance(leaf, Defer):
        kinds["defer"] += 1
    elif isinstance(leaf, Create):
        kinds["create"] += 1
        writes["create", leaf.sobject] += 1
    elif isinstance(leaf, Update):
        kinds["update"] += 1
        writes["update", leaf.sobject] += 1
    elif isinstance(leaf, MatchThenLinkOrCreate):
        kinds["match"] += 1
        writes["create", leaf.sobject] += 1  # worst case: nothing matches
        if isinstance(leaf.lookup, AccountLookup):
            lookups["Account:domain"] += 1
            lookups["Account:name"] += 1
        else:
            for sobject in leaf.lookup.objects:
                lookups[sobject] += 1


def _api_calls(writes: Counter[tuple[str, str]], lookups: Counter[str], bulk: bool) -> int:
    calls = sum(ceil(count / LOOKUP_CHUNK) for count in lookups.values())
    for count in writes.values():
        if bulk and count > BULK_THRESHOLD:
            calls += BULK_JOB_CALLS
        else:
            calls += ceil(count / COLLECTION_SIZE)
    return calls
