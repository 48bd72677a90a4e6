"""What every planner shares: the eligibility gates (R1, R2, R9–R11, R13) and skip sentences."""

from __future__ import annotations

from collections.abc import Sequence

from pushforce.core.decisions import Skip, SkipReason, Trigger
from pushforce.core.records import Link, RecordRef

FORCED = frozenset({Trigger.MANUAL, Trigger.PUSH_ALL})

MESSAGES: dict[SkipReason, str] = {
    SkipReason.DISABLED: (
        "Automatic pushing is off for this team (push settings: enabled is off); "
        "push it by hand to send it now."
    ),
    SkipReason.PUSH_NEW_OFF: "Pushing new {what} to Salesforce is turned off in the push settings.",
    SkipReason.STAGE_FILTERED: (
        "Its stage ({stage}) is not one of the stages the push settings allow for new {what}."
    ),
    SkipReason.ACTIVITY_TYPE_OFF: "Pushing {what} to Salesforce is turned off in the settings.",
    SkipReason.NOTHING_CHANGED: "Nothing changed since the last push, so there is nothing to send.",
    SkipReason.DELETED_IN_SALESFORCE: (
        "It was deleted in Salesforce, so it is not re-created automatically; "
        "push it by hand to re-create it."
    ),
    SkipReason.PERSON_NOT_IN_SALESFORCE: (
        "None of its people is in Salesforce yet; it will be pushed once one of them is."
    ),
    SkipReason.DEAL_NOT_IN_SALESFORCE: (
        "Its deal is not in Salesforce yet, so the call summary has no Opportunity to go on."
    ),
    SkipReason.NO_PARTICIPANTS: "None of its addresses belongs to a person in Pushforce.",
    SkipReason.NOTHING_TO_ATTACH: (
        "The activity settings (associate_with) leave no Salesforce profile to attach it to."
    ),
}


def skip(ref: RecordRef, reason: SkipReason, external_id: str = "", **details: str) -> Skip:
    return Skip(ref, reason, MESSAGES[reason].format(**details), external_id)


def is_forced(trigger: Trigger) -> bool:
    """R11/R12: manual pushes and push-all override eligibility (not how records are written)."""
    return trigger in FORCED


def deleted_gate(ref: RecordRef, link: Link | None, trigger: Trigger) -> Skip | None:
    """R14: a record deleted in Salesforce is re-created only by a manual push."""
    if link is not None and not link.is_live and trigger is not Trigger.MANUAL:
        return skip(ref, SkipReason.DELETED_IN_SALESFORCE, ref.external_id)
    return None


def linked_gate(ref: RecordRef, enabled: bool, trigger: Trigger) -> Skip | None:
    """R1: a record in Salesforce follows every change while `enabled` (or by hand)."""
    if enabled or is_forced(trigger):
        return None
    return skip(ref, SkipReason.DISABLED)


def new_record_gate(
    ref: RecordRef,
    trigger: Trigger,
    link: Link | None,
    *,
    enabled: bool,
    push_new: bool,
    what: str,
    stage: str | None = None,
    stage_filter: Sequence[str] = (),
    exempt: bool = False,
) -> Skip | None:
    """R2, R9, R10: net new records need enabled, push_new and a stage inside the filter.

    R14 first: a record deleted in Salesforce (`link` is its tombstone) is re-created only by
    hand. `exempt` records are pushed whatever their own settings (R4's account, R13's people).
    """
    deleted = deleted_gate(ref, link, trigger)
    if deleted is not None or exempt or is_forced(trigger):
        return deleted
    if not enabled:
        return skip(ref, SkipReason.DISABLED)
    if not push_new:
        return skip(ref, SkipReason.PUSH_NEW_OFF, what=what)
    if stage_filter and stage not in stage_filter:
        return skip(ref, SkipReason.STAGE_FILTERED, what=what, stage=stage or "no stage")
    return None


def live(link: Link | None) -> Link | None:
    return link if link is not None and link.is_live else None
