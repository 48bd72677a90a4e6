"""The standard objects of a default org (reference §2.4 and §9.2), as field tables.

Picklist values are the defaults of a new org. Standard picklists are unrestricted unless
Salesforce restricts them (TaskSubtype, EventSubtype, ShareType, Visibility); the config can
restrict others (``restricted_picklists: ["Lead.LeadSource"]``).
"""

from __future__ import annotations

from localforce.schema import FieldSchema, ObjectSchema
from localforce.schema_fields import (
    address,
    defaulted_picklist,
    email,
    field_of,
    flag,
    full_name,
    long_text,
    master_record,
    obj,
    phone,
    picklist,
    readonly,
    ref,
    required,
    system_fields,
    text,
)
from localforce.schema_picklists import (
    ACCOUNT_TYPES,
    ACTIVITY_TYPES,
    CONTACT_ROLES,
    INDUSTRIES,
    LEAD_SOURCES,
    LEAD_STATUSES,
    OPPORTUNITY_STAGES,
    OPPORTUNITY_TYPES,
    PRIORITIES,
    RATINGS,
    SALUTATIONS,
    TASK_STATUSES,
    TASK_SUBTYPES,
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
            field_of("Website", "url", length=255),
            text("Sic", 20),
            picklist("Industry", INDUSTRIES),
            field_of("AnnualRevenue", "currency", precision=18, scale=0),
            field_of("NumberOfEmployees", "int", precision=8, label="Employees"),
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
            field_of("Birthdate", "date"),
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
            field_of("Website", "url", length=255),
            long_text(),
            picklist("LeadSource", LEAD_SOURCES),
            defaulted_picklist(
                "Status", LEAD_STATUSES, "Open - Not Contacted", label="Lead Status"
            ),
            picklist("Industry", INDUSTRIES),
            picklist("Rating", RATINGS),
            field_of("AnnualRevenue", "currency", precision=18, scale=0),
            field_of("NumberOfEmployees", "int", precision=8, label="Employees"),
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
            field_of("Amount", "currency", precision=18, scale=2),
            field_of(
                "Probability",
                "percent",
                precision=3,
                defaulted_on_create=True,
                label="Probability (%)",
            ),
            readonly("ExpectedRevenue", "currency", precision=18, scale=2),
            field_of("CloseDate", "date", nillable=False),
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
            ref("ContactId", "Contact", updateable=False),
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
        field_of("Subject", "combobox", length=255),
        long_text(),
        picklist("Type", ACTIVITY_TYPES),
        ref("AccountId", "Account", createable=False, updateable=False),
        flag("IsReminderSet", label="Reminder Set"),
        field_of("ReminderDateTime", "datetime"),
        readonly("IsArchived", "boolean", nillable=False, defaulted_on_create=True),
    ]


def task() -> ObjectSchema:
    return obj(
        "Task",
        [
            *_activity_common(),
            field_of("ActivityDate", "date", label="Due Date Only"),
            defaulted_picklist("Status", TASK_STATUSES, "Not Started"),
            defaulted_picklist("Priority", PRIORITIES, "Normal"),
            readonly("IsHighPriority", "boolean", nillable=False, defaulted_on_create=True),
            readonly(
                "IsClosed", "boolean", nillable=False, defaulted_on_create=True, label="Closed"
            ),
            readonly("CompletedDateTime", "datetime"),
            field_of("CallDurationInSeconds", "int", precision=8, label="Call Duration"),
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
            field_of("ActivityDateTime", "datetime", label="Due Date Time"),
            field_of("ActivityDate", "date", label="Due Date Only"),
            field_of("DurationInMinutes", "int", precision=8, label="Duration"),
            field_of("StartDateTime", "datetime", label="Start Date Time"),
            field_of("EndDateTime", "datetime", label="End Date Time"),
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
            field_of("Content", "base64", length=5242880),
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
