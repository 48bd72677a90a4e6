"""Lead conversion and merge: what an admin or a sales rep does in a real org, so Pushforce meets
converted leads (ConvertedContactId, CANNOT_UPDATE_CONVERTED_LEAD on later updates) and merged
records (deleted losers with MasterRecordId, visible in queryAll) as it would in production.

The REST API has neither call, so they are reached through the control API (``lifecycle_routes``).
Both run in one org transaction: a failure leaves the org as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from localforce.errors import entity_is_deleted, fail

if TYPE_CHECKING:
    from localforce.org import Org

CONVERTED_STATUS = "Closed - Converted"
MERGEABLE = ("Account", "Contact", "Lead")
MAX_MERGED = 2  # a merge takes the master and at most two more records
FIRST_OPEN_STAGE = "Prospecting"

# Lead field → (Account field, Contact field), as the standard lead mapping copies them.
_ACCOUNT_FROM_LEAD = {
    "Company": "Name",
    "Website": "Website",
    "Phone": "Phone",
    "Industry": "Industry",
    "AnnualRevenue": "AnnualRevenue",
    "NumberOfEmployees": "NumberOfEmployees",
    "Rating": "Rating",
    "LeadSource": "AccountSource",
    "Street": "BillingStreet",
    "City": "BillingCity",
    "State": "BillingState",
    "PostalCode": "BillingPostalCode",
    "Country": "BillingCountry",
}
_CONTACT_FROM_LEAD = {
    "FirstName": "FirstName",
    "LastName": "LastName",
    "Salutation": "Salutation",
    "Title": "Title",
    "Email": "Email",
    "Phone": "Phone",
    "MobilePhone": "MobilePhone",
    "Fax": "Fax",
    "LeadSource": "LeadSource",
    "Description": "Description",
    "HasOptedOutOfEmail": "HasOptedOutOfEmail",
    "DoNotCall": "DoNotCall",
    "Street": "MailingStreet",
    "City": "MailingCity",
    "State": "MailingState",
    "PostalCode": "MailingPostalCode",
    "Country": "MailingCountry",
}
# Child records that point at a merged-away parent, by the loser's object.
_CHILD_REFERENCES = {
    "Account": (
        ("Contact", "AccountId"),
        ("Opportunity", "AccountId"),
        ("Task", "WhatId"),
        ("Event", "WhatId"),
        ("Account", "ParentId"),
    ),
    "Contact": (
        ("Task", "WhoId"),
        ("Event", "WhoId"),
        ("OpportunityContactRole", "ContactId"),
        ("Contact", "ReportsToId"),
    ),
    "Lead": (("Task", "WhoId"), ("Event", "WhoId")),
}


def register(app: Any, get_org: Callable[[], Any]) -> None:
    """Mount hook the app calls: ``/__localforce__/convert-lead`` and ``/merge``."""
    from localforce.lifecycle_routes import lifecycle_router

    app.include_router(lifecycle_router(get_org))


@dataclass(frozen=True)
class ConversionResult:
    lead_id: str
    account_id: str
    contact_id: str
    opportunity_id: str | None

    def body(self) -> dict[str, Any]:
        return {
            "leadId": self.lead_id,
            "accountId": self.account_id,
            "contactId": self.contact_id,
            "opportunityId": self.opportunity_id,
            "success": True,
            "errors": [],
        }


@dataclass(frozen=True)
class MergeResult:
    master_id: str
    merged_ids: list[str]
    updated_related_ids: list[str]

    def body(self) -> dict[str, Any]:
        return {
            "id": self.master_id,
            "mergedRecordIds": self.merged_ids,
            "updatedRelatedIds": self.updated_related_ids,
            "success": True,
            "errors": [],
        }


def _live(org: Org, record_id: Any, expected: str, role: str) -> dict[str, Any]:
    record = org.get(record_id) if isinstance(record_id, str) else None
    if record is None or org.object_of(record) != expected:
        raise fail("INVALID_CROSS_REFERENCE_KEY", f"invalid cross reference id: {role}", ())
    if record.get("IsDeleted"):
        raise entity_is_deleted()
    return record


def _copied(record: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    return {target: record[source] for source, target in mapping.items() if record.get(source)}


def convert_lead(
    org: Org,
    lead_id: str,
    account_id: str | None = None,
    contact_id: str | None = None,
    create_opportunity: bool = True,
    opportunity_name: str | None = None,
    converted_status: str = CONVERTED_STATUS,
) -> ConversionResult:
    with org.lock, org.transaction():
        lead = _live(org, lead_id, "Lead", "leadId")
        if lead.get("IsConverted"):
            raise fail("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead", ())
        account = _account_for(org, lead, account_id)
        contact = _contact_for(org, lead, account, contact_id)
        opportunity = None
        if create_opportunity:
            opportunity = _opportunity_for(org, lead, account, contact, opportunity_name)
        _move_lead_activities(org, lead["Id"], contact, opportunity or account)
        org.system_update(
            lead["Id"],
            {
                "IsConverted": True,
                "Status": converted_status,
                "ConvertedDate": org.now().date().isoformat(),
                "ConvertedAccountId": account,
                "ConvertedContactId": contact,
                "ConvertedOpportunityId": opportunity,
            },
        )
    return ConversionResult(lead["Id"], account, contact, opportunity)


def _account_for(org: Org, lead: dict[str, Any], account_id: str | None) -> str:
    if account_id:
        return str(_live(org, account_id, "Account", "accountId")["Id"])
    values = _copied(lead, _ACCOUNT_FROM_LEAD)
    values.setdefault("Name", lead.get("Name") or lead.get("LastName"))
    return org.system_insert("Account", values)


def _contact_for(org: Org, lead: dict[str, Any], account: str, contact_id: str | None) -> str:
    if contact_id:
        contact = _live(org, contact_id, "Contact", "contactId")
        if contact.get("AccountId") != account:
            org.system_update(contact["Id"], {"AccountId": account})
        return str(contact["Id"])
    return org.system_insert("Contact", {**_copied(lead, _CONTACT_FROM_LEAD), "AccountId": account})


def _opportunity_for(
    org: Org, lead: dict[str, Any], account: str, contact: str, name: str | None
) -> str:
    opportunity = org.system_insert(
        "Opportunity",
        {
            "Name": name or lead.get("Company") or lead.get("Name"),
            "AccountId": account,
            "StageName": FIRST_OPEN_STAGE,
            "CloseDate": org.now().date().isoformat(),
            "LeadSource": lead.get("LeadSource"),
        },
    )
    org.system_insert(
        "OpportunityContactRole",
        {"OpportunityId": opportunity, "ContactId": contact, "IsPrimary": True},
    )
    return opportunity


def _move_lead_activities(org: Org, lead_id: str, contact: str, what: str) -> None:
    for sobject in ("Task", "Event"):
        for activity in list(org.scan(sobject)):
            if activity.get("WhoId") == lead_id:
                org.system_update(activity["Id"], {"WhoId": contact, "WhatId": what})


def merge(
    org: Org, master_id: str, merged_ids: list[str], fields: dict[str, Any] | None = None
) -> MergeResult:
    with org.lock, org.transaction():
        master = org.get(master_id) if isinstance(master_id, str) else None
        sobject = org.object_of(master) if master is not None else None
        if master is None or sobject not in MERGEABLE:
            raise fail(
                "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id: masterRecordId", ()
            )
        if master.get("IsDeleted"):
            raise entity_is_deleted()
        losers = _losers(org, master, sobject, merged_ids)
        if fields:
            org.system_update(master["Id"], fields)
        related: list[str] = []
        for loser in losers:
            related.extend(_reparent_children(org, sobject, loser["Id"], master["Id"]))
            org.system_update(loser["Id"], {"IsDeleted": True, "MasterRecordId": master["Id"]})
    return MergeResult(master["Id"], [loser["Id"] for loser in losers], related)


def _losers(
    org: Org, master: dict[str, Any], sobject: str, merged_ids: list[str]
) -> list[dict[str, Any]]:
    if not merged_ids or len(merged_ids) > MAX_MERGED:
        raise fail(
            "LIMIT_EXCEEDED",
            f"A merge takes the master record and 1 to {MAX_MERGED} records to merge into it",
            (),
        )
    losers = [_live(org, record_id, sobject, "recordToMergeIds") for record_id in merged_ids]
    if any(loser["Id"] == master["Id"] for loser in losers):
        raise fail("INVALID_ID_FIELD", "The master record cannot be merged into itself", ())
    if sobject == "Lead" and any(loser.get("IsConverted") for loser in [master, *losers]):
        raise fail("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead", ())
    return losers


def _reparent_children(org: Org, sobject: str, loser_id: str, master_id: str) -> list[str]:
    moved: list[str] = []
    for child_object, field in _CHILD_REFERENCES[sobject]:
        for child in list(org.scan(child_object)):
            if child.get(field) == loser_id:
                org.system_update(child["Id"], {field: master_id})
                moved.append(child["Id"])
    return moved
