"""The controls of Settings › Integrations › Salesforce: which setting each tab holds, with its
label, help, control kind and the seed's warning on the risky ones (PRODUCT.md §3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pushforce.core.settings import AccountField, ContactField, LeadField, OpportunityField

Control = Literal[
    "toggle",
    "choice",
    "radio",
    "stages",
    "checks",
    "text",
    "template",
    "number",
    "stage_map",
    "field_map",
]
WRITE_MODES = (
    ("overwrite", "Overwrite"),
    ("fill_if_empty", "Fill if empty"),
    ("create_only", "On create only"),
    ("never", "Never"),
)

CAREFUL = (
    "Careful with that click: this may create contacts or leads in Salesforce that you do not "
    "expect to see."
)


@dataclass(frozen=True)
class Setting:
    path: str
    label: str
    control: Control
    help: str = ""
    careful: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    stage_object: str | None = None

    @property
    def dom_id(self) -> str:
        return "s-" + self.path.replace(".", "-").replace("_", "-")


@dataclass(frozen=True)
class Group:
    heading: str
    settings: tuple[Setting, ...]
    advanced: tuple[Setting, ...] = ()


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    groups: tuple[Group, ...]
    push_all: str | None = None  # the kind "Push all" pushes from this tab

    def all_settings(self) -> list[Setting]:
        return [s for g in self.groups for s in (*g.settings, *g.advanced)]


def _template(path: str, what: str) -> Setting:
    return Setting(
        path,
        f"Title template for {what}",
        "template",
        "Placeholders such as {{subject}}; unknown names are refused.",
        careful=True,
    )


def _fields(sobject: str, sources: frozenset[str]) -> Setting:
    """A field map: Pushforce field → Salesforce field with a write mode (R15); a row whose
    two names are cleared is removed, the blank last row adds one."""
    return Setting(
        f"fields.{sobject.lower()}",
        f"{sobject} fields",
        "field_map",
        "Custom fields as custom.<key>. Blank Pushforce values never blank Salesforce.",
        choices=tuple((name, name) for name in sorted(sources)),
    )


CONTACTS = Tab(
    "contacts",
    "Contacts/Leads",
    (
        Group(
            "Push",
            (
                Setting(
                    "contacts.push_new",
                    "Push new Pushforce contacts to Salesforce",
                    "toggle",
                    "Net-new contacts saved or imported. Updates to contacts already in Salesforce "
                    "are pushed whatever this says (R1).",
                ),
                Setting(
                    "contacts.create_as",
                    "Create new people in Salesforce as",
                    "radio",
                    "Leads cannot be associated with accounts.",
                    choices=(("contact", "Contacts"), ("lead", "Leads")),
                ),
                Setting(
                    "contacts.stage_filter",
                    "Only create contacts in Salesforce if at certain stages",
                    "stages",
                    stage_object="contact",
                ),
                Setting(
                    "contacts.source_value",
                    "Source",
                    "text",
                    "Written to LeadSource when a Lead or Contact is created.",
                ),
                Setting(
                    "contacts.push_guessed_emails",
                    "Push guessed emails to Salesforce",
                    "toggle",
                    "Off: contacts with a guessed email are pushed without it.",
                ),
            ),
        ),
        Group(
            "Matching",
            (
                Setting(
                    "matching.person_link_order",
                    "Look for existing people in Salesforce",
                    "choice",
                    choices=(
                        ("contact_then_lead", "Contacts, then leads"),
                        ("lead_then_contact", "Leads, then contacts"),
                        ("contact_only", "Contacts only"),
                        ("lead_only", "Leads only"),
                    ),
                ),
                Setting(
                    "stages.contact",
                    "Lead Status for each contact stage",
                    "stage_map",
                    "Empty: the stage's own Salesforce value (shown greyed).",
                    stage_object="contact",
                ),
            ),
        ),
        Group(
            "Fields",
            (),
            advanced=(
                _fields("Contact", ContactField.SOURCES),
                _fields("Lead", LeadField.SOURCES),
            ),
        ),
    ),
    push_all="contact",
)

ACCOUNTS = Tab(
    "accounts",
    "Accounts",
    (
        Group(
            "Push",
            (
                Setting("accounts.push_new", "Push new Pushforce accounts to Salesforce", "toggle"),
                Setting(
                    "accounts.stage_filter",
                    "Push accounts based on their Pushforce stage",
                    "stages",
                    stage_object="account",
                ),
                Setting(
                    "accounts.source_field",
                    "Account field for the source",
                    "text",
                    "Salesforce accounts have no standard source field; any Account field, custom "
                    "ones included (e.g. AccountSource, Source__c).",
                ),
                Setting("accounts.source_value", "Source value", "text"),
            ),
        ),
        Group(
            "Matching",
            (
                Setting(
                    "matching.account_tiebreak",
                    "When several Salesforce accounts match",
                    "choice",
                    choices=(
                        ("oldest", "Link the oldest"),
                        ("most_recently_modified", "Link the most recently modified"),
                        ("review", "Hold for a person to choose"),
                    ),
                ),
            ),
        ),
        Group("Fields", (), advanced=(_fields("Account", AccountField.SOURCES),)),
    ),
    push_all="account",
)

DEALS = Tab(
    "deals",
    "Deals",
    (
        Group(
            "Push",
            (
                Setting(
                    "deals.push_new",
                    "Push new Pushforce deals to Salesforce as opportunities",
                    "toggle",
                ),
                Setting(
                    "stages.deal",
                    "Opportunity stage for each deal stage",
                    "stage_map",
                    "Empty: the stage's own Salesforce value (shown greyed).",
                    stage_object="deal",
                ),
            ),
        ),
        Group("Fields", (), advanced=(_fields("Opportunity", OpportunityField.SOURCES),)),
    ),
    push_all="deal",
)

ACTIVITIES = Tab(
    "activities",
    "Activities",
    (
        Group(
            "Association",
            (
                Setting(
                    "activities.associate_with",
                    "Attach activities to",
                    "checks",
                    "Never to an account when the person is a Lead.",
                    choices=(
                        ("contact", "Contact or lead profiles"),
                        ("account", "Account profiles"),
                    ),
                ),
            ),
        ),
        Group(
            "Emails",
            (
                Setting(
                    "activities.emails.outgoing_sent_in_app",
                    "Push outgoing emails sent within Pushforce",
                    "toggle",
                ),
                Setting(
                    "activities.emails.outgoing_not_sent_in_app",
                    "Push outgoing emails not sent within Pushforce",
                    "toggle",
                ),
                Setting(
                    "activities.emails.incoming_replies_to_app_emails",
                    "Push incoming emails that are replies to emails sent within Pushforce",
                    "toggle",
                ),
                Setting(
                    "activities.emails.incoming_other",
                    "Push incoming emails from all other sources",
                    "toggle",
                ),
                Setting(
                    "activities.emails.push_when_participant_missing",
                    "Push emails even if the sender or recipient doesn't exist in Salesforce",
                    "toggle",
                    "Missing people are created as the Contacts/Leads tab says.",
                    careful=True,
                ),
            ),
            advanced=(_template("activities.emails.title_template", "emails"),),
        ),
        Group(
            "Notes and tasks",
            (
                Setting("activities.notes.push", "Push notes to Salesforce", "toggle"),
                Setting("activities.tasks.push", "Push tasks to Salesforce", "toggle"),
            ),
            advanced=(_template("activities.tasks.title_template", "tasks"),),
        ),
        Group(
            "Calls",
            (Setting("activities.calls.push", "Push calls to Salesforce", "toggle"),),
            advanced=(_template("activities.calls.title_template", "calls"),),
        ),
        Group(
            "Meetings / Events",
            (
                Setting(
                    "activities.meetings.push",
                    "Push meetings to Salesforce",
                    "toggle",
                    "Meetings scheduled in Pushforce.",
                ),
                Setting(
                    "activities.meetings.push_all_calendar_events",
                    "Push all calendar events",
                    "toggle",
                    "Also events whose participants are not in Salesforce; creates them.",
                    careful=True,
                ),
            ),
        ),
        Group(
            "Conversations",
            (
                Setting(
                    "activities.conversations.push_call_summaries",
                    "Push all call summaries to Salesforce",
                    "toggle",
                    "As a note on the deal's opportunity.",
                ),
            ),
        ),
    ),
)

BUDGET = Setting(
    "limits.api_budget_percent",
    "API budget (% of the org's daily API calls)",
    "number",
    "Over budget, everything but manual pushes waits (R19).",
)

TABS: tuple[Tab, ...] = (CONTACTS, ACCOUNTS, DEALS, ACTIVITIES)
ALL_SETTINGS: tuple[Setting, ...] = (*(s for t in TABS for s in t.all_settings()), BUDGET)
