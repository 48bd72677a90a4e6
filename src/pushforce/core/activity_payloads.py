"""The Salesforce fields of each activity kind (R13): Task for emails, tasks and calls, Event for
meetings, ContentNote for notes and call summaries; subjects from the title templates."""

from __future__ import annotations

from datetime import datetime

from pushforce.core.mapping import clip, is_blank, note_content, salesforce_value
from pushforce.core.records import Call, Email, Meeting, Note, Person, PlanContext, Task
from pushforce.core.settings import PushSettings
from pushforce.core.templates import SUBJECT_MAX, compiled, one_line, render

Fields = dict[str, object]

TASK_TYPE_LABELS = {
    "call": "Call",
    "email": "Email",
    "action_item": "Action item",
    "other": "Other",
}
TASK_STATUS = {"open": "Not Started", "completed": "Completed"}
TASK_PRIORITY = {"high": "High", "normal": "Normal", "low": "Low"}
DEFAULT_EVENT_MINUTES = 30  # Event needs an end or a duration; a meeting without an end gets this
TITLE_MAX = 255


def _present(fields: Fields) -> Fields:
    """Blank values are left out: an activity never blanks a Salesforce field (R15)."""
    return {name: value for name, value in fields.items() if not is_blank(value)}


def _person_name(ctx: PlanContext, address: str | None) -> str | None:
    person = ctx.people.get(address.strip().lower()) if address else None
    return person.contact.full_name if person is not None else address


def _person_values(person: Person) -> dict[str, object]:
    return {
        "contact_name": person.contact.full_name,
        "account_name": person.account.name if person.account is not None else None,
    }


def template_values(email: Email, ctx: PlanContext, now: datetime) -> dict[str, object]:
    """The email's template variables that do not depend on the person it is attached to."""
    owner = ctx.names.get(email.owner_id) if email.owner_id is not None else None
    sender = _person_name(ctx, email.from_address)
    if email.direction == "outgoing" and owner:
        sender = owner
    recipients = email.to_addresses or email.cc_addresses
    return {
        "subject": email.subject,
        "direction": email.direction,
        "sender_name": sender,
        "sender_email": email.from_address,
        "recipient_name": _person_name(ctx, recipients[0]) if recipients else None,
        "date": (email.sent_at or now).date().isoformat(),
        "owner_name": owner,
    }


def email_fields(
    settings: PushSettings, email: Email, person: Person, values: dict[str, object], now: datetime
) -> tuple[str, Fields]:
    template = compiled(settings.activities.emails.title_template)
    subject = render(template, {**values, **_person_values(person)})
    return "Task", _present(
        {
            "TaskSubtype": "Email",
            "Type": "Email",
            "Status": "Completed",
            "Subject": subject,
            "Description": clip(email.body),
            "ActivityDate": salesforce_value((email.sent_at or now).date()),
        }
    )


def task_fields(
    settings: PushSettings, task: Task, ctx: PlanContext, person: Person | None
) -> Fields:
    values = {
        "task_type": TASK_TYPE_LABELS[task.task_type],
        "task_title": task.title,
        "date": task.due_date.isoformat() if task.due_date else None,
        "owner_name": ctx.names.get(task.owner_id) if task.owner_id is not None else None,
        "account_name": ctx.account.name if ctx.account is not None else None,
        **(_person_values(person) if person is not None else {}),
    }
    return _present(
        {
            "TaskSubtype": "Task",
            "Subject": render(compiled(settings.activities.tasks.title_template), values),
            "Status": TASK_STATUS[task.status],
            "Priority": TASK_PRIORITY[task.priority],
            "ActivityDate": salesforce_value(task.due_date),
            "Description": clip(task.description),
        }
    )


def duration_text(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    return f"{seconds // 60}m {seconds % 60:02d}s"


def call_fields(
    settings: PushSettings, call: Call, ctx: PlanContext, person: Person | None, now: datetime
) -> Fields:
    values = {
        "call_disposition": call.disposition,
        "call_purpose": call.purpose,
        "direction": call.direction,
        "duration": duration_text(call.duration_seconds),
        "date": (call.started_at or now).date().isoformat(),
        "owner_name": ctx.names.get(call.owner_id) if call.owner_id is not None else None,
        **(_person_values(person) if person is not None else {}),
    }
    return _present(
        {
            "TaskSubtype": "Call",
            "Type": "Call",
            "Status": "Completed",
            "Subject": render(compiled(settings.activities.calls.title_template), values),
            "CallType": "Outbound" if call.direction == "outbound" else "Inbound",
            "CallDurationInSeconds": call.duration_seconds,
            "CallDisposition": clip(call.disposition, TITLE_MAX),
            "Description": clip(call.notes),
            "ActivityDate": salesforce_value((call.started_at or now).date()),
        }
    )


def event_fields(meeting: Meeting) -> tuple[str, Fields]:
    fields: Fields = {
        "Subject": one_line(meeting.title or "")[:SUBJECT_MAX],
        "StartDateTime": salesforce_value(meeting.starts_at),
        "Location": clip(meeting.location, TITLE_MAX),
        "Description": clip(meeting.description),
    }
    if meeting.ends_at is not None:
        fields["EndDateTime"] = salesforce_value(meeting.ends_at)
    else:
        fields["DurationInMinutes"] = DEFAULT_EVENT_MINUTES
    return "Event", _present(fields)


def note_fields(title: str | None, text: str | None, fallback: str) -> Fields:
    """ContentNote: a one-line Title (required) and base64 Content."""
    first_line = one_line(text or "")
    heading = one_line(title or "") or first_line[:80] or fallback
    return {"Title": heading[:TITLE_MAX], "Content": note_content(text)}


def note_of(note: Note) -> Fields:
    return note_fields(note.title, note.body, "Note")
