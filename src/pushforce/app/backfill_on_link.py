"""R13 backfill on link: when a person is first linked to Salesforce, their activities of the
last 30 days that were skipped because nobody of theirs was in Salesforce are queued again.

Runs inside the transaction that stores the batch's links (``app.apply``), so a link and the
backfill it causes commit together; the queued activities are planned like any other job.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from pushforce.app.context import to_core
from pushforce.app.execute import WriteResult
from pushforce.core.backfill import BACKFILL_DAYS, in_backfill_window
from pushforce.core.decisions import Create, MatchThenLinkOrCreate
from pushforce.core.records import Activity, Email
from pushforce.core.settle import Done
from pushforce.store import outbox, synclog
from pushforce.store.activity_backfill import (
    any_skipped_for_person,
    contact_emails,
    skipped_activities_of,
)
from pushforce.store.synclog import LogEntry

BACKFILL_TRIGGER = "updated"


def first_linked_contacts(results: Mapping[str, WriteResult]) -> list[int]:
    """Contacts this batch linked for the first time: a create or a match, never an update."""
    return [
        result.write.record.id
        for key, result in results.items()
        if result.write.record.kind == "contact"
        and key == result.write.record.external_id
        and isinstance(result.write, Create | MatchThenLinkOrCreate)
        and isinstance(result.settlement, Done)
    ]


def enqueue_backfill(
    conn: Any, team_id: int, results: Mapping[str, WriteResult], now: datetime
) -> int:
    """Queue the skipped recent activities of the newly linked people; how many were queued."""
    contact_ids = first_linked_contacts(results)
    since = now - timedelta(days=BACKFILL_DAYS)
    if not contact_ids or not any_skipped_for_person(conn, team_id, since):
        return 0
    emails = contact_emails(conn, team_id, contact_ids)
    entries = []
    for kind, row in skipped_activities_of(conn, team_id, contact_ids, emails.values(), since):
        record = to_core(kind, row)
        if not isinstance(record, Activity) or not in_backfill_window(record, now):
            continue
        outbox.enqueue(conn, team_id, kind, record.id, trigger=BACKFILL_TRIGGER, now=now)
        entries.append(_entry(record, now, emails))
    synclog.append(conn, team_id, entries)
    return len(entries)


def _entry(record: Activity, now: datetime, emails: dict[int, str]) -> LogEntry:
    reason = (
        f"backfill: {', '.join(_involved(record, emails))} now in Salesforce; its activities of "
        f"the last {BACKFILL_DAYS} days skipped for that reason are pushed (R13)"
    )
    kind, record_id = record.kind, record.id
    return LogEntry(now, BACKFILL_TRIGGER, None, kind, record_id, "backfill", "queued", reason)


def _involved(record: Activity, emails: dict[int, str]) -> list[str]:
    contact_id = getattr(record, "contact_id", None)
    if contact_id is not None:
        return [emails.get(contact_id, f"contact {contact_id}")]
    named = {a.lower() for a in _addresses(record)}
    return sorted(email for email in emails.values() if email in named)


def _addresses(record: Activity) -> list[str]:
    if isinstance(record, Email):
        return [record.from_address or "", *record.to_addresses, *record.cc_addresses]
    return list(getattr(record, "participants", ()))
