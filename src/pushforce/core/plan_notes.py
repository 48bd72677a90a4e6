"""Planning ContentNotes (R13): a note, linked to its person, account and deal; a call
summary, linked to its deal's Opportunity. Links are ContentDocumentLinks made after the note."""

from __future__ import annotations

from dataclasses import replace

from pushforce.core.activity_payloads import note_fields, note_of
from pushforce.core.decisions import (
    Create,
    Decision,
    SalesforceIdOf,
    Several,
    SkipReason,
    Trigger,
    Update,
)
from pushforce.core.plan_activities import activity_gate, write_activity
from pushforce.core.plan_common import live, skip
from pushforce.core.records import Conversation, Note, PlanContext, RecordRef, ref_of
from pushforce.core.settings import PushSettings


def plan_note(settings: PushSettings, note: Note, trigger: Trigger, ctx: PlanContext) -> Decision:
    ref = ref_of(note)
    gate = activity_gate(settings, ref, trigger, ctx, settings.activities.notes.push, "notes")
    if gate is not None:
        return gate
    associate = settings.activities.associate_with
    person = ctx.contacts.get(note.contact_id) if note.contact_id is not None else None
    person_link = live(person.link) if person is not None else None
    # R13: the account goes with a Contact (or a note of the account alone), never with a Lead
    with_account = "account" in associate and (
        person_link is None or person_link.current[0] == "Contact"
    )
    targets = [
        link.current[1]
        for link, wanted in (
            (person_link, "contact" in associate),
            (live(ctx.account_link), with_account),
            (live(ctx.deal_link), True),
        )
        if link is not None and wanted
    ]
    return _content_note(
        ref, trigger, ctx, note_of(note), targets, SkipReason.PERSON_NOT_IN_SALESFORCE
    )


def plan_conversation(
    settings: PushSettings, conversation: Conversation, trigger: Trigger, ctx: PlanContext
) -> Decision:
    ref = ref_of(conversation)
    allowed = settings.activities.conversations.push_call_summaries
    gate = activity_gate(settings, ref, trigger, ctx, allowed, "call summaries")
    if gate is not None:
        return gate
    deal_link = live(ctx.deal_link)
    if deal_link is None or deal_link.current[0] != "Opportunity":
        return skip(ref, SkipReason.DEAL_NOT_IN_SALESFORCE)
    fields = note_fields(conversation.title, conversation.summary, "Call summary")
    return _content_note(
        ref, trigger, ctx, fields, [deal_link.current[1]], SkipReason.DEAL_NOT_IN_SALESFORCE
    )


def _content_note(
    ref: RecordRef,
    trigger: Trigger,
    ctx: PlanContext,
    fields: dict[str, object],
    targets: list[str],
    no_target: SkipReason,
) -> Decision:
    """A ContentNote, then a ContentDocumentLink per target not linked yet (R13)."""
    key = ref.external_id
    link = ctx.own.get(key)
    if not targets and live(link) is None:
        return skip(ref, no_target)
    decision = write_activity(ref, key, link, trigger, "ContentNote", fields)
    note_id: object = SalesforceIdOf(key) if isinstance(decision, Create) else link and link.sf_id
    links = tuple(
        Create(ref, "ContentDocumentLink", _document_link(note_id, target), f"{key}-cdl-{target}")
        for target in dict.fromkeys(targets)
        if isinstance(decision, Create) or f"{key}-cdl-{target}" not in ctx.own
    )
    if isinstance(decision, Create | Update):
        return replace(decision, followups=links)
    if links and decision.reason is SkipReason.NOTHING_CHANGED:
        return Several(ref, links)
    return decision


def _document_link(note_id: object, target: str) -> dict[str, object]:
    return {
        "ContentDocumentId": note_id,
        "LinkedEntityId": target,
        "ShareType": "V",
        "Visibility": "AllUsers",
    }
