"""R13 backfill: when a person is first linked to Salesforce, their activities of the last
30 days that were skipped because nobody was in Salesforce are pushed. This says which qualify."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pushforce.core.records import Activity, Call, Conversation, Email, Meeting, Note

BACKFILL_DAYS = 30


def activity_time(record: Activity) -> datetime | None:
    """When the activity happened, for the backfill window (tasks have no time: None)."""
    if isinstance(record, Email):
        return record.sent_at
    if isinstance(record, Call):
        return record.started_at
    if isinstance(record, Meeting):
        return record.starts_at
    if isinstance(record, Note):
        return record.created_at
    if isinstance(record, Conversation):
        return record.occurred_at
    return None


def in_backfill_window(record: Activity, now: datetime) -> bool:
    """R13: when a person is first linked, their skipped activities of the last 30 days go.

    An activity without a time (a task) always qualifies; naive times are taken as UTC.
    """
    moment = activity_time(record)
    if moment is None:
        return True
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return now - moment <= timedelta(days=BACKFILL_DAYS)
