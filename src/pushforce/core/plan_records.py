"""Planning accounts, contacts (Leads or Contacts) and deals (R1–R12, R14, R15)."""

from __future__ import annotations

from typing import Literal

from pushforce.core.decisions import (
    AccountLookup,
    Create,
    Decision,
    MatchThenLinkOrCreate,
    PersonLookup,
    Relink,
    SalesforceIdOf,
    Several,
    SkipReason,
    Trigger,
    Update,
    Writes,
)
from pushforce.core.lookups import website_domain
from pushforce.core.mapping import (
    NOT_PROVIDED,
    create_and_match,
    create_payload,
    is_blank,
    sources_of_account,
    sources_of_contact,
    sources_of_deal,
    update_writes,
)
from pushforce.core.plan_common import (
    linked_gate,
    live,
    new_record_gate,
    skip,
)
from pushforce.core.records import (
    Account,
    Contact,
    Deal,
    Link,
    PlanContext,
    RecordRef,
)
from pushforce.core.settings import PushSettings

_LINK_ORDER: dict[str, tuple[Literal["Contact", "Lead"], ...]] = {
    "contact_then_lead": ("Contact", "Lead"),
    "lead_then_contact": ("Lead", "Contact"),
    "contact_only": ("Contact",),
    "lead_only": ("Lead",),
}


# --- accounts (R5, R9) ----------------------------------------------------------------------


def plan_account(
    settings: PushSettings,
    account: Account,
    trigger: Trigger,
    ctx: PlanContext,
    *,
    comes_along: bool = False,
) -> Decision:
    """R9. `comes_along` is R4: the account of a contact or deal, pushed whatever its settings;
    its link is then `ctx.account_link` (the context is the contact's or deal's)."""
    ref = RecordRef(account.team_id, "account", account.id)
    link = ctx.account_link if comes_along else ctx.own.get(ref.external_id)
    if link is not None and link.is_live:
        return _update_account(settings, account, trigger, ctx, link, ref)
    gate = new_record_gate(
        ref,
        trigger,
        link,
        enabled=settings.enabled,
        push_new=settings.accounts.push_new,
        what="accounts",
        stage=account.stage,
        stage_filter=settings.accounts.stage_filter,
        exempt=comes_along,
    )
    if gate is not None:
        return gate
    sources = sources_of_account(account, ctx)
    payload, match_writes = create_and_match(sources, settings.fields.account)
    payload[settings.accounts.source_field] = settings.accounts.source_value  # R8
    domain = account.domain or domain_of(account.website)
    lookup = AccountLookup(domain, account.name, settings.matching.account_tiebreak)
    on_match = {"Account": match_writes}
    return MatchThenLinkOrCreate(ref, "Account", lookup, payload, ref.external_id, on_match)


def domain_of(website: str | None) -> str | None:
    """docs/records.md: the lower-cased host of the website, without `www.` (R5 look-ups)."""
    if is_blank(website):
        return None
    return website_domain(str(website)) or None


def _update_account(
    settings: PushSettings,
    account: Account,
    trigger: Trigger,
    ctx: PlanContext,
    link: Link,
    ref: RecordRef,
) -> Decision:
    gate = linked_gate(ref, settings.enabled, trigger)
    if gate is not None:
        return gate
    writes = update_writes(sources_of_account(account, ctx), settings.fields.account, link)
    return _update_or_unchanged(ref, link, writes)


def _update_or_unchanged(
    ref: RecordRef,
    link: Link,
    writes: Writes,
    followups: tuple[Decision, ...] = (),
) -> Decision:
    """R15 (nothing changed → no API call) and R14 (merged/converted → relink first)."""
    sobject, sf_id = link.current
    relink = _relink_of(link)
    if not writes and relink is None:
        if followups:
            return Several(ref, followups)
        return skip(ref, SkipReason.NOTHING_CHANGED, ref.external_id)
    return Update(ref, sobject, sf_id, writes, ref.external_id, relink, followups=followups)


def _relink_of(link: Link) -> Relink | None:
    if link.state == "merged" and link.successor_id:
        return Relink("merged", link.sobject, link.successor_id)
    if link.state == "converted" and link.successor_id:
        return Relink("converted", "Contact", link.successor_id, link.converted_account_id)
    return None


def _account_id(
    settings: PushSettings, trigger: Trigger, ctx: PlanContext
) -> tuple[object | None, tuple[Decision, ...]]:
    """R4: the account's Salesforce Id, or a reference to it plus the decision that pushes it."""
    account_link = live(ctx.account_link)
    if account_link is not None:
        return account_link.current[1], ()
    if ctx.account is None:
        return None, ()
    dependent = plan_account(settings, ctx.account, trigger, ctx, comes_along=True)
    if isinstance(dependent, MatchThenLinkOrCreate):
        return SalesforceIdOf(dependent.external_id), (dependent,)
    return None, (dependent,)


# --- contacts and leads (R2, R3, R6, R7, R8) ------------------------------------------------


def plan_contact(
    settings: PushSettings,
    contact: Contact,
    trigger: Trigger,
    ctx: PlanContext,
    *,
    because_of: RecordRef | None = None,
) -> Decision:
    """R2/R3/R6/R7; `because_of` marks a participant created for an activity (R13)."""
    ref = RecordRef(contact.team_id, "contact", contact.id)
    link = ctx.own.get(ref.external_id)
    if link is not None and link.is_live:
        return _update_person(settings, contact, trigger, ctx, link, ref)
    gate = new_record_gate(
        ref,
        trigger,
        link,
        enabled=settings.enabled,
        push_new=settings.contacts.push_new,
        what="contacts",
        stage=contact.stage,
        stage_filter=settings.contacts.stage_filter,
        exempt=because_of is not None,
    )
    if gate is not None:
        return gate
    return _create_person(settings, contact, trigger, ctx, ref, because_of)


def _create_person(
    settings: PushSettings,
    contact: Contact,
    trigger: Trigger,
    ctx: PlanContext,
    ref: RecordRef,
    because_of: RecordRef | None,
) -> Decision:
    sources = sources_of_contact(contact, settings, ctx)
    as_lead = settings.contacts.create_as == "lead"
    payload = create_payload(sources, settings.fields.lead if as_lead else settings.fields.contact)
    if settings.contacts.source_value:
        payload["LeadSource"] = settings.contacts.source_value  # R8: on create only
    dependents: tuple[Decision, ...] = ()
    account_link = live(ctx.account_link)
    match_account_id: object | None = account_link.current[1] if account_link else None
    if as_lead:  # R3: no Account is touched; Company is required
        if is_blank(payload.get("Company")):
            payload["Company"] = (
                ctx.account.name if ctx.account and ctx.account.name else NOT_PROVIDED
            )
    else:
        account_id, dependents = _account_id(settings, trigger, ctx)
        if account_id is not None:
            payload["AccountId"] = match_account_id = account_id
    sobject = "Lead" if as_lead else "Contact"
    if contact.email_status == "unavailable" or is_blank(contact.email):
        return Create(ref, sobject, payload, ref.external_id, dependents, because_of=because_of)
    lookup = PersonLookup(
        str(contact.email).strip().lower(),
        _LINK_ORDER[settings.matching.person_link_order],
    )
    on_match = _person_match_writes(settings, sources, match_account_id)
    return MatchThenLinkOrCreate(
        ref, sobject, lookup, payload, ref.external_id, on_match, dependents, because_of=because_of
    )


def _person_match_writes(
    settings: PushSettings, sources: dict[str, object], account_id: object | None
) -> dict[str, Writes]:
    """R6: a matched person is linked and updated (never its source, R8)."""
    contact_writes = update_writes(sources, settings.fields.contact, None)
    if account_id is not None:
        contact_writes = Writes(
            contact_writes.overwrite, {**contact_writes.fill_if_empty, "AccountId": account_id}
        )
    return {"Contact": contact_writes, "Lead": update_writes(sources, settings.fields.lead, None)}


def _update_person(
    settings: PushSettings,
    contact: Contact,
    trigger: Trigger,
    ctx: PlanContext,
    link: Link,
    ref: RecordRef,
) -> Decision:
    gate = linked_gate(ref, settings.enabled, trigger)
    if gate is not None:
        return gate
    sobject = link.current[0]
    field_map = settings.fields.lead if sobject == "Lead" else settings.fields.contact
    writes = update_writes(sources_of_contact(contact, settings, ctx), field_map, link)
    account_link = live(ctx.account_link)
    if sobject == "Contact" and account_link is not None:
        account_id = account_link.current[1]
        if link.pushed_values.get("AccountId") != account_id:
            writes = Writes({**writes.overwrite, "AccountId": account_id}, writes.fill_if_empty)
    return _update_or_unchanged(ref, link, writes)


# --- deals (R10) ----------------------------------------------------------------------------


def plan_deal(settings: PushSettings, deal: Deal, trigger: Trigger, ctx: PlanContext) -> Decision:
    ref = RecordRef(deal.team_id, "deal", deal.id)
    link = ctx.own.get(ref.external_id)
    if link is not None and link.is_live:
        return _update_deal(settings, deal, trigger, ctx, link, ref)
    gate = new_record_gate(
        ref, trigger, link, enabled=settings.enabled, push_new=settings.deals.push_new, what="deals"
    )
    if gate is not None:
        return gate
    payload = create_payload(sources_of_deal(deal, settings, ctx), settings.fields.opportunity)
    account_id, dependents = _account_id(settings, trigger, ctx)
    if account_id is not None:
        payload["AccountId"] = account_id
    roles = _contact_roles(deal, ctx, ref, SalesforceIdOf(ref.external_id))
    return Create(ref, "Opportunity", payload, ref.external_id, dependents, roles)


def _update_deal(
    settings: PushSettings,
    deal: Deal,
    trigger: Trigger,
    ctx: PlanContext,
    link: Link,
    ref: RecordRef,
) -> Decision:
    gate = linked_gate(ref, settings.enabled, trigger)
    if gate is not None:
        return gate
    sources = sources_of_deal(deal, settings, ctx)
    writes = update_writes(sources, settings.fields.opportunity, link)
    account_link = live(ctx.account_link)
    if account_link is not None and link.pushed_values.get("AccountId") != account_link.current[1]:
        writes = Writes(
            {**writes.overwrite, "AccountId": account_link.current[1]}, writes.fill_if_empty
        )
    roles = _contact_roles(deal, ctx, ref, link.current[1])
    return _update_or_unchanged(ref, link, writes, roles)


def _contact_roles(
    deal: Deal, ctx: PlanContext, ref: RecordRef, opportunity_id: object
) -> tuple[Decision, ...]:
    """R10: an OpportunityContactRole for each deal contact in Salesforce as a Contact."""
    roles: list[Decision] = []
    for deal_contact in deal.contacts:
        person = ctx.contacts.get(deal_contact.contact_id)
        person_link = live(person.link) if person is not None else None
        key = f"{ref.external_id}-ocr-{deal_contact.contact_id}"
        if person_link is None or person_link.current[0] != "Contact" or key in ctx.own:
            continue
        payload: dict[str, object] = {
            "OpportunityId": opportunity_id,
            "ContactId": person_link.current[1],
        }
        if not is_blank(deal_contact.role):
            payload["Role"] = deal_contact.role
        roles.append(Create(ref, "OpportunityContactRole", payload, key))
    return tuple(roles)
