"""Planning activities (R13): emails, tasks, calls and meetings become one Task or Event per
person in Salesforce (notes and call summaries: plan_notes)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from pushforce.core.activity_payloads import (
    call_fields,
    email_fields,
    event_fields,
    task_fields,
    template_values,
)
from pushforce.core.decisions import (
    Create,
    Decision,
    Defer,
    Payload,
    Several,
    Skip,
    SkipReason,
    Trigger,
    Update,
    Writes,
)
from pushforce.core.mapping import changed_fields
from pushforce.core.plan_common import is_forced, live, skip
from pushforce.core.plan_records import plan_contact
from pushforce.core.records import (
    Call,
    Email,
    Link,
    Meeting,
    Person,
    PlanContext,
    RecordRef,
    Task,
    ref_of,
)
from pushforce.core.settings import PushSettings

_CREATE_ONLY = frozenset({"TaskSubtype", "EventSubtype"})
_TOGGLE_NAMES = {
    "outgoing_sent_in_app": "outgoing emails sent in Pushforce",
    "outgoing_not_sent_in_app": "outgoing emails not sent in Pushforce",
    "incoming_replies_to_app_emails": "incoming replies to Pushforce emails",
    "incoming_other": "incoming emails from other sources",
}


def plan_activity(
    settings: PushSettings,
    record: Email | Meeting | Task | Call,
    trigger: Trigger,
    ctx: PlanContext,
    now: datetime,
) -> Decision:
    if isinstance(record, Email):
        return _plan_email(settings, record, trigger, ctx, now)
    if isinstance(record, Meeting):
        return _plan_meeting(settings, record, trigger, ctx)
    return _plan_single(settings, record, trigger, ctx, now)


def email_toggle(email: Email) -> str:
    """Which of the four email settings governs this email (R13)."""
    if email.direction == "outgoing":
        return "outgoing_sent_in_app" if email.sent_in_app else "outgoing_not_sent_in_app"
    return "incoming_replies_to_app_emails" if email.reply_to_app_email else "incoming_other"


def activity_gate(
    settings: PushSettings,
    ref: RecordRef,
    trigger: Trigger,
    ctx: PlanContext,
    allowed: bool,
    what: str,
) -> Skip | None:
    """R13 eligibility; R1: an activity already in Salesforce follows changes while enabled."""
    if is_forced(trigger):
        return None
    if not settings.enabled:
        return skip(ref, SkipReason.DISABLED)
    if allowed or any(link.is_live for link in ctx.own.values()):
        return None
    return skip(ref, SkipReason.ACTIVITY_TYPE_OFF, what=what)


# --- one write per person: emails and meetings ----------------------------------------------


def _addresses(addresses: Iterable[str | None]) -> list[str]:
    seen: dict[str, None] = {}
    for address in addresses:
        if address and address.strip():
            seen.setdefault(address.strip().lower(), None)
    return list(seen)


def _participants(
    ctx: PlanContext, addresses: list[str]
) -> tuple[list[Person], list[Person], list[Person]]:
    """(persons in Salesforce, persons that may be created, known persons not in Salesforce)
    among the addresses known to Pushforce."""
    linked: list[Person] = []
    creatable: list[Person] = []
    unlinked: list[Person] = []
    for address in addresses:
        person = ctx.people.get(address)
        if person is None:
            continue
        if live(person.link) is not None:
            linked.append(person)
            continue
        unlinked.append(person)
        # deleted in Salesforce: not re-created for an activity (R14); failed: do not wait on it
        if person.link is None and not person.push_failed:
            creatable.append(person)
    return linked, creatable, unlinked


def _plan_email(
    settings: PushSettings, email: Email, trigger: Trigger, ctx: PlanContext, now: datetime
) -> Decision:
    ref = ref_of(email)
    toggle = email_toggle(email)
    email_settings = settings.activities.emails
    gate = activity_gate(
        settings, ref, trigger, ctx, getattr(email_settings, toggle), _TOGGLE_NAMES[toggle]
    )
    if gate is not None:
        return gate
    addresses = _addresses([email.from_address, *email.to_addresses, *email.cc_addresses])
    linked, missing, unlinked = _participants(ctx, addresses)
    if missing and email_settings.push_when_participant_missing:
        return _create_people_first(settings, ref, trigger, missing, ctx)
    values = template_values(email, ctx, now)
    return _per_person(
        settings,
        ref,
        trigger,
        ctx,
        linked,
        unlinked,
        lambda person: email_fields(settings, email, person, values, now),
    )


def _plan_meeting(
    settings: PushSettings, meeting: Meeting, trigger: Trigger, ctx: PlanContext
) -> Decision:
    ref = ref_of(meeting)
    meetings = settings.activities.meetings
    linked, missing, unlinked = _participants(ctx, _addresses(meeting.participants))
    calendar_all = meeting.source == "calendar" and meetings.push_all_calendar_events
    allowed = meetings.push or calendar_all
    gate = activity_gate(settings, ref, trigger, ctx, allowed, "meetings")
    if gate is not None:
        return gate
    if missing and calendar_all:
        return _create_people_first(settings, ref, trigger, missing, ctx)
    return _per_person(
        settings,
        ref,
        trigger,
        ctx,
        linked,
        unlinked,
        lambda person: event_fields(meeting),
    )


def _create_people_first(
    settings: PushSettings,
    ref: RecordRef,
    trigger: Trigger,
    missing: list[Person],
    ctx: PlanContext,
) -> Decision:
    """R13: create the missing participants (as create_as says), then plan the activity again."""
    dependents = tuple(
        plan_contact(
            settings, person.contact, trigger, _person_context(person, ctx), because_of=ref
        )
        for person in missing
    )
    waiting = tuple(ref_of(person.contact) for person in missing)
    names = ", ".join(person.contact.email or str(person.contact.id) for person in missing)
    message = (
        f"Creating {names} in Salesforce first, as the activity settings ask; then it is pushed."
    )
    return Defer(ref, waiting, message, dependents)


def _person_context(person: Person, ctx: PlanContext) -> PlanContext:
    return PlanContext(
        account=person.account, account_link=person.account_link, stage_values=ctx.stage_values
    )


PersonFields = Callable[[Person], tuple[str, dict[str, object]]]


def _per_person(
    settings: PushSettings,
    ref: RecordRef,
    trigger: Trigger,
    ctx: PlanContext,
    linked: list[Person],
    missing: list[Person],
    fields_of: PersonFields,
) -> Decision:
    """R13: one Salesforce activity per person in Salesforce; the others are logged as skipped
    (their activity follows once they are linked: the backfill looks for that skip)."""
    if not linked:
        reason = SkipReason.PERSON_NOT_IN_SALESFORCE if missing else SkipReason.NO_PARTICIPANTS
        return skip(ref, reason)
    parts = tuple(_person_write(settings, ref, trigger, ctx, p, fields_of) for p in linked)
    return _collapse(ref, parts + tuple(_left_out(ref, person) for person in missing))


def _left_out(ref: RecordRef, person: Person) -> Skip:
    who = person.contact.email or f"contact {person.contact.id}"
    message = (
        f"{who} is not in Salesforce, so nothing is attached to them; "
        "it is pushed for them once they are linked."
    )
    key = f"{ref.external_id}-p{person.contact.id}"
    return Skip(ref, SkipReason.PERSON_NOT_IN_SALESFORCE, message, key)


def _person_write(
    settings: PushSettings,
    ref: RecordRef,
    trigger: Trigger,
    ctx: PlanContext,
    person: Person,
    fields_of: PersonFields,
) -> Decision:
    key = f"{ref.external_id}-p{person.contact.id}"
    attach = attachment(settings, person.link, live(person.account_link))
    if attach is None:
        return skip(ref, SkipReason.NOTHING_TO_ATTACH, key)
    sobject, fields = fields_of(person)
    return write_activity(ref, key, ctx.own.get(key), trigger, sobject, {**fields, **attach})


def attachment(
    settings: PushSettings, person_link: Link | None, account_link: Link | None
) -> dict[str, object] | None:
    """WhoId (the person) and WhatId (its account only when the person is a Contact, R13)."""
    associate = settings.activities.associate_with
    attach: dict[str, object] = {}
    if person_link is not None and "contact" in associate:
        attach["WhoId"] = person_link.current[1]
    person_is_contact = person_link is None or person_link.current[0] == "Contact"
    if account_link is not None and "account" in associate and person_is_contact:
        attach["WhatId"] = account_link.current[1]
    return attach or None


def write_activity(
    ref: RecordRef, key: str, link: Link | None, trigger: Trigger, sobject: str, payload: Payload
) -> Create | Update | Skip:
    """Create the activity, update what changed (R15), or respect a Salesforce delete (R14)."""
    if link is None or (not link.is_live and trigger is Trigger.MANUAL):
        return Create(ref, sobject, payload, key)
    if not link.is_live:
        return skip(ref, SkipReason.DELETED_IN_SALESFORCE, key)
    updatable = {name: value for name, value in payload.items() if name not in _CREATE_ONLY}
    changes = changed_fields(updatable, link)
    if not changes:
        return skip(ref, SkipReason.NOTHING_CHANGED, key)
    return Update(ref, link.sobject, link.sf_id, Writes(changes), key)


def _collapse(ref: RecordRef, parts: tuple[Decision, ...]) -> Decision:
    """One part → itself; all parts skipped for one reason → one Skip; else Several."""
    if len(parts) == 1:
        return parts[0]
    reasons = {part.reason for part in parts if isinstance(part, Skip)}
    if len(reasons) == 1 and all(isinstance(part, Skip) for part in parts):
        return skip(ref, reasons.pop())
    return Several(ref, parts)


# --- one write: tasks and calls -------------------------------------------------------------


def _plan_single(
    settings: PushSettings, record: Task | Call, trigger: Trigger, ctx: PlanContext, now: datetime
) -> Decision:
    ref = ref_of(record)
    activities = settings.activities
    allowed, what = (
        (activities.tasks.push, "tasks")
        if isinstance(record, Task)
        else (activities.calls.push, "calls")
    )
    gate = activity_gate(settings, ref, trigger, ctx, allowed, what)
    if gate is not None:
        return gate
    person = ctx.contacts.get(record.contact_id) if record.contact_id is not None else None
    person_link = live(person.link) if person is not None else None
    account_link = live(ctx.account_link)
    if person_link is None and (record.contact_id is not None or account_link is None):
        return skip(ref, SkipReason.PERSON_NOT_IN_SALESFORCE)
    attach = attachment(settings, person_link, account_link)
    if attach is None:
        return skip(ref, SkipReason.NOTHING_TO_ATTACH)
    if isinstance(record, Task):
        fields = task_fields(settings, record, ctx, person)
    else:
        fields = call_fields(settings, record, ctx, person, now)
    key = ref.external_id
    return write_activity(ref, key, ctx.own.get(key), trigger, "Task", {**fields, **attach})
