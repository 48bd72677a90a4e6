"""The standard objects of a default org (reference §2.4 and §9.2), as field tables.

Picklist values are the defaults of a new org. Standard picklists are unrestricted unless
Salesforce restricts them (TaskSubtype, EventSubtype, ShareType, Visibility); the config can
restrict others (``restricted_picklists: ["Lead.LeadSource"]``).
"""

from __future__ import annotations

from typing import Any

from localforce.ids import KEY_PREFIXES
from localforce.schema import FieldSchema, ObjectSchema, make_field

LEAD_SOURCES = ("Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other")
LEAD_STATUSES = (
    "Open - Not Contacted",
    "Working - Contacted",
    "Closed - Converted",
    "Closed - Not Converted",
)
INDUSTRIES = (
    "Agriculture",
    "Apparel",
    "Banking",
    "Biotechnology",
    "Chemicals",
    "Communications",
    "Construction",
    "Consulting",
    "Education",
    "Electronics",
    "Energy",
    "Engineering",
    "Entertainment",
    "Environmental",
    "Finance",
    "Food & Beverage",
    "Government",
    "Healthcare",
    "Hospitality",
    "Insurance",
    "Machinery",
    "Manufacturing",
    "Media",
    "Not For Profit",
    "Recreation",
    "Retail",
    "Shipping",
    "Technology",
    "Telecommunications",
    "Transportation",
    "Utilities",
    "Other",
)
ACCOUNT_TYPES = (
    "Prospect",
    "Customer - Direct",
    "Customer - Channel",
    "Channel Partner / Reseller",
    "Installation Partner",
    "Technology Partner",
    "Other",
)
RATINGS = ("Hot", "Warm", "Cold")
SALUTATIONS = ("Mr.", "Ms.", "Mrs.", "Dr.", "Prof.")
# StageName → (probability, closed, won, forecast category)
OPPORTUNITY_STAGES: dict[str, tuple[int, bool, bool, str]] = {
    "Prospecting": (10, False, False, "Pipeline"),
    "Qualification": (10, False, False, "Pipeline"),
    "Needs Analysis": (20, False, False, "Pipeline"),
    "Value Proposition": (50, False, False, "Pipeline"),
    "Id. Decision Makers": (60, False, False, "Pipeline"),
    "Perception Analysis": (70, False, False, "Pipeline"),
    "Proposal/Price Quote": (75, False, False, "Pipeline"),
    "Negotiation/Review": (90, False, False, "Pipeline"),
    "Closed Won": (100, True, True, "Closed"),
    "Closed Lost": (0, True, False, "Omitted"),
}
OPPORTUNITY_TYPES = (
    "Existing Customer - Upgrade",
    "Existing Customer - Replacement",
    "Existing Customer - Downgrade",
    "New Customer",
)
CONTACT_ROLES = (
    "Business User",
    "Decision Maker",
    "Economic Buyer",
    "Economic Decision Maker",
    "Evaluator",
    "Executive Sponsor",
    "Influencer",
    "Technical Buyer",
    "Other",
)
TASK_STATUSES = ("Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred")
CLOSED_TASK_STATUSES = frozenset({"Completed"})
PRIORITIES = ("High", "Normal", "Low")
ACTIVITY_TYPES = ("Call", "Email", "Meeting", "Other")
TASK_SUBTYPES = ("Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn")


def _f(name: str, type_: str, **props: Any) -> FieldSchema:
    return make_field(name, type_, **props)


def text(name: str, length: int, **props: Any) -> FieldSchema:
    return _f(name, "string", length=length, **props)


def required(name: str, length: int, **props: Any) -> FieldSchema:
    return _f(name, props.pop("type", "string"), length=length, nillable=False, **props)


def readonly(name: str, type_: str, **props: Any) -> FieldSchema:
    return _f(name, type_, createable=False, updateable=False, **props)


def picklist(name: str, values: tuple[str, ...], **props: Any) -> FieldSchema:
    return _f(name, "picklist", length=255, picklist_values=values, **props)


def defaulted_picklist(name: str, values: tuple[str, ...], default: str, **p: Any) -> FieldSchema:
    return picklist(
        name, values, nillable=False, defaulted_on_create=True, default_value=default, **p
    )


def ref(name: str, *targets: str, **props: Any) -> FieldSchema:
    props.setdefault("relationship_name", name[:-2])
    return _f(name, "reference", length=18, reference_to=targets, **props)


def flag(name: str, default: bool = False, **props: Any) -> FieldSchema:
    return _f(
        name, "boolean", nillable=False, defaulted_on_create=True, default_value=default, **props
    )


def phone(name: str, **props: Any) -> FieldSchema:
    return _f(name, "phone", length=40, **props)


def email(name: str = "Email", **props: Any) -> FieldSchema:
    return _f(name, "email", length=80, id_lookup=True, **props)


def long_text(name: str = "Description", length: int = 32000, **props: Any) -> FieldSchema:
    return _f(name, "textarea", length=length, **props)


def address(prefix: str) -> list[FieldSchema]:
    return [
        long_text(f"{prefix}Street", 255),
        text(f"{prefix}City", 40),
        text(f"{prefix}State", 80),
        text(f"{prefix}PostalCode", 20),
        text(f"{prefix}Country", 80),
    ]


def system_fields(owned: bool = True) -> list[FieldSchema]:
    fields = [
        _f(
            "Id",
            "id",
            length=18,
            nillable=False,
            createable=False,
            updateable=False,
            defaulted_on_create=True,
            id_lookup=True,
            unique=True,
        ),
        readonly("IsDeleted", "boolean", nillable=False, defaulted_on_create=True),
        readonly("CreatedDate", "datetime", nillable=False, defaulted_on_create=True),
        ref(
            "CreatedById",
            "User",
            nillable=False,
            createable=False,
            updateable=False,
            defaulted_on_create=True,
            relationship_name="CreatedBy",
        ),
        readonly("LastModifiedDate", "datetime", nillable=False, defaulted_on_create=True),
        ref(
            "LastModifiedById",
            "User",
            nillable=False,
            createable=False,
            updateable=False,
            defaulted_on_create=True,
            relationship_name="LastModifiedBy",
        ),
        readonly("SystemModstamp", "datetime", nillable=False, defaulted_on_create=True),
    ]
    if owned:
        fields.append(
            ref(
                "OwnerId",
                "User",
                nillable=False,
                defaulted_on_create=True,
                relationship_name="Owner",
            )
        )
    return fields


def master_record(object_name: str) -> FieldSchema:
    """Set on the losers of a merge (they are deleted and point at the winner)."""
    return ref(
        "MasterRecordId",
        object_name,
        createable=False,
        updateable=False,
        relationship_name="MasterRecord",
    )


def full_name() -> FieldSchema:
    return readonly("Name", "string", length=121, label="Full Name")


def obj(name: str, fields: list[FieldSchema], plural: str, **props: Any) -> ObjectSchema:
    return ObjectSchema(
        name=name,
        key_prefix=KEY_PREFIXES[name],
        fields={f.name.lower(): f for f in fields},
        label=props.pop("label", name),
        label_plural=plural,
        **props,
    )


def account() -> ObjectSchema:
    return obj(
        "Account",
        [
            *system_fields(),
            required("Name", 255, label="Account Name"),
            picklist("Type", ACCOUNT_TYPES, label="Account Type"),
            ref("ParentId", "Account"),
            *address("Billing"),
            *address("Shipping"),
            phone("Phone"),
            phone("Fax"),
            text("AccountNumber", 40),
            _f("Website", "url", length=255),
            text("Sic", 20),
            picklist("Industry", INDUSTRIES),
            _f("AnnualRevenue", "currency", precision=18, scale=0),
            _f("NumberOfEmployees", "int", precision=8, label="Employees"),
            picklist("Ownership", ("Public", "Private", "Subsidiary", "Other")),
            text("TickerSymbol", 20),
            long_text(),
            picklist("Rating", RATINGS, label="Account Rating"),
            text("Site", 80, label="Account Site"),
            picklist("AccountSource", LEAD_SOURCES),
            readonly("LastActivityDate", "date"),
            master_record("Account"),
        ],
        "Accounts",
    )


def contact() -> ObjectSchema:
    return obj(
        "Contact",
        [
            *system_fields(),
            ref("AccountId", "Account"),
            required("LastName", 80),
            text("FirstName", 40),
            picklist("Salutation", SALUTATIONS),
            full_name(),
            *address("Other"),
            *address("Mailing"),
            phone("Phone", label="Business Phone"),
            phone("Fax", label="Business Fax"),
            phone("MobilePhone"),
            phone("HomePhone"),
            phone("OtherPhone"),
            phone("AssistantPhone", label="Asst. Phone"),
            ref("ReportsToId", "Contact", relationship_name="ReportsTo"),
            email(),
            text("Title", 128),
            text("Department", 80),
            text("AssistantName", 40, label="Assistant's Name"),
            picklist("LeadSource", LEAD_SOURCES),
            _f("Birthdate", "date"),
            long_text(),
            flag("HasOptedOutOfEmail", label="Email Opt Out"),
            flag("DoNotCall"),
            readonly("LastActivityDate", "date"),
            master_record("Contact"),
        ],
        "Contacts",
    )


def lead() -> ObjectSchema:
    return obj(
        "Lead",
        [
            *system_fields(),
            required("LastName", 80),
            text("FirstName", 40),
            picklist("Salutation", SALUTATIONS),
            full_name(),
            text("Title", 128),
            required("Company", 255),
            *address(""),
            phone("Phone"),
            phone("MobilePhone"),
            phone("Fax"),
            email(),
            _f("Website", "url", length=255),
            long_text(),
            picklist("LeadSource", LEAD_SOURCES),
            defaulted_picklist(
                "Status", LEAD_STATUSES, "Open - Not Contacted", label="Lead Status"
            ),
            picklist("Industry", INDUSTRIES),
            picklist("Rating", RATINGS),
            _f("AnnualRevenue", "currency", precision=18, scale=0),
            _f("NumberOfEmployees", "int", precision=8, label="Employees"),
            flag("HasOptedOutOfEmail", label="Email Opt Out"),
            flag("DoNotCall"),
            readonly(
                "IsConverted",
                "boolean",
                nillable=False,
                defaulted_on_create=True,
                label="Converted",
            ),
            readonly("ConvertedDate", "date"),
            ref("ConvertedAccountId", "Account", createable=False, updateable=False),
            ref("ConvertedContactId", "Contact", createable=False, updateable=False),
            ref("ConvertedOpportunityId", "Opportunity", createable=False, updateable=False),
            flag("IsUnreadByOwner", label="Unread By Owner"),
            readonly("LastActivityDate", "date"),
            master_record("Lead"),
        ],
        "Leads",
    )


def opportunity() -> ObjectSchema:
    return obj(
        "Opportunity",
        [
            *system_fields(),
            ref("AccountId", "Account"),
            required("Name", 120),
            long_text(),
            picklist("StageName", tuple(OPPORTUNITY_STAGES), nillable=False, label="Stage"),
            _f("Amount", "currency", precision=18, scale=2),
            _f(
                "Probability",
                "percent",
                precision=3,
                defaulted_on_create=True,
                label="Probability (%)",
            ),
            readonly("ExpectedRevenue", "currency", precision=18, scale=2),
            _f("CloseDate", "date", nillable=False),
            picklist("Type", OPPORTUNITY_TYPES, label="Opportunity Type"),
            text("NextStep", 255),
            picklist("LeadSource", LEAD_SOURCES),
            readonly(
                "IsClosed", "boolean", nillable=False, defaulted_on_create=True, label="Closed"
            ),
            readonly("IsWon", "boolean", nillable=False, defaulted_on_create=True, label="Won"),
            picklist(
                "ForecastCategoryName",
                ("Omitted", "Pipeline", "Best Case", "Commit", "Closed"),
                defaulted_on_create=True,
                label="Forecast Category",
            ),
            ref("ContactId", "Contact"),
            flag("IsPrivate", label="Private"),
            readonly("HasOpportunityLineItem", "boolean", nillable=False, defaulted_on_create=True),
            readonly("LastActivityDate", "date"),
        ],
        "Opportunities",
    )


def opportunity_contact_role() -> ObjectSchema:
    return obj(
        "OpportunityContactRole",
        [
            *system_fields(owned=False),
            ref("OpportunityId", "Opportunity", nillable=False, updateable=False),
            ref("ContactId", "Contact", nillable=False),
            picklist("Role", CONTACT_ROLES),
            flag("IsPrimary", label="Primary"),
        ],
        "Opportunity Contact Role",
        label="Opportunity Contact Role",
    )


def _activity_common() -> list[FieldSchema]:
    return [
        *system_fields(),
        ref("WhoId", "Contact", "Lead", relationship_name="Who", label="Name ID"),
        ref("WhatId", "Account", "Opportunity", relationship_name="What", label="Related To ID"),
        _f("Subject", "combobox", length=255),
        long_text(),
        picklist("Type", ACTIVITY_TYPES),
        ref("AccountId", "Account", createable=False, updateable=False),
        flag("IsReminderSet", label="Reminder Set"),
        _f("ReminderDateTime", "datetime"),
        readonly("IsArchived", "boolean", nillable=False, defaulted_on_create=True),
    ]


def task() -> ObjectSchema:
    return obj(
        "Task",
        [
            *_activity_common(),
            _f("ActivityDate", "date", label="Due Date Only"),
            defaulted_picklist("Status", TASK_STATUSES, "Not Started"),
            defaulted_picklist("Priority", PRIORITIES, "Normal"),
            readonly("IsHighPriority", "boolean", nillable=False, defaulted_on_create=True),
            readonly(
                "IsClosed", "boolean", nillable=False, defaulted_on_create=True, label="Closed"
            ),
            readonly("CompletedDateTime", "datetime"),
            _f("CallDurationInSeconds", "int", precision=8, label="Call Duration"),
            picklist("CallType", ("Internal", "Inbound", "Outbound")),
            text("CallDisposition", 255, label="Call Result"),
            text("CallObject", 255, label="Call Object Identifier"),
            picklist("TaskSubtype", TASK_SUBTYPES, restricted_picklist=True, updateable=False),
        ],
        "Tasks",
    )


def event() -> ObjectSchema:
    return obj(
        "Event",
        [
            *_activity_common(),
            text("Location", 255),
            flag("IsAllDayEvent", label="All-Day Event"),
            _f("ActivityDateTime", "datetime", label="Due Date Time"),
            _f("ActivityDate", "date", label="Due Date Only"),
            _f("DurationInMinutes", "int", precision=8, label="Duration"),
            _f("StartDateTime", "datetime", label="Start Date Time"),
            _f("EndDateTime", "datetime", label="End Date Time"),
            flag("IsPrivate", label="Private"),
            picklist("ShowAs", ("Busy", "OutOfOffice", "Free"), label="Show Time As"),
            picklist("EventSubtype", ("Event",), restricted_picklist=True, updateable=False),
        ],
        "Events",
    )


def content_note() -> ObjectSchema:
    return obj(
        "ContentNote",
        [
            *system_fields(),
            required("Title", 255),
            _f("Content", "base64", length=5242880),
            readonly("FileType", "string", length=20),
            readonly("TextPreview", "string", length=255),
            readonly("ContentSize", "int"),
            readonly("IsReadOnly", "boolean", nillable=False, defaulted_on_create=True),
        ],
        "Notes",
        label="Note",
    )


def content_document_link() -> ObjectSchema:
    return obj(
        "ContentDocumentLink",
        [
            *[
                f
                for f in system_fields(owned=False)
                if f.name in {"Id", "IsDeleted", "SystemModstamp"}
            ],
            ref("ContentDocumentId", "ContentDocument", nillable=False, updateable=False),
            ref(
                "LinkedEntityId",
                "Account",
                "Contact",
                "Lead",
                "Opportunity",
                "User",
                nillable=False,
                updateable=False,
                relationship_name="LinkedEntity",
            ),
            defaulted_picklist("ShareType", ("V", "C", "I"), "V", restricted_picklist=True),
            defaulted_picklist(
                "Visibility",
                ("AllUsers", "InternalUsers", "SharedUsers"),
                "AllUsers",
                restricted_picklist=True,
            ),
        ],
        "Content Document Link",
        label="Content Document Link",
    )


def user() -> ObjectSchema:
    return obj(
        "User",
        [
            *[f for f in system_fields(owned=False)],
            required("Username", 80),
            required("LastName", 80),
            text("FirstName", 40),
            full_name(),
            required("Alias", 8),
            required("Email", 128, type="email"),
            flag("IsActive", True, label="Active"),
            text("Title", 80),
            phone("Phone"),
            text("TimeZoneSidKey", 40, label="Time Zone"),
            text("LocaleSidKey", 40, label="Locale"),
            text("LanguageLocaleKey", 40, label="Language"),
            text("EmailEncodingKey", 40),
        ],
        "Users",
    )


def organization() -> ObjectSchema:
    return obj(
        "Organization",
        [
            *[
                readonly(
                    f.name,
                    f.type,
                    reference_to=f.reference_to,
                    relationship_name=f.relationship_name,
                    nillable=f.nillable,
                    length=f.length,
                )
                for f in system_fields(owned=False)
            ],
            readonly("Name", "string", length=80),
            readonly("OrganizationType", "string", length=40, label="Edition"),
            readonly("IsSandbox", "boolean", nillable=False),
            readonly("InstanceName", "string", length=5),
            readonly("NamespacePrefix", "string", length=15),
            readonly("DefaultLocaleSidKey", "string", length=40),
            readonly("TimeZoneSidKey", "string", length=40),
            readonly("LanguageLocaleKey", "string", length=40),
        ],
        "Organizations",
        createable=False,
        updateable=False,
        deletable=False,
    )


def standard_objects() -> list[ObjectSchema]:
    return [
        account(),
        contact(),
        lead(),
        opportunity(),
        opportunity_contact_role(),
        task(),
        event(),
        content_note(),
        content_document_link(),
        user(),
        organization(),
    ]
