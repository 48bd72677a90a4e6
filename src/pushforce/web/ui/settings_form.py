"""The settings form: which controls each tab holds, and form data ↔ settings document.

The form posts every control of every tab at once (tabs only hide panels), so an unchecked box
means ``false``. Settings without a control here (``fields`` mappings) are carried over from the
current document unchanged. Validation is the store's (``save_settings`` →
``core.settings.validate_settings``); this module only adds the one check a document cannot
express: a stage filter switched on with no stage chosen.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pushforce.core.settings import Problem

Control = Literal[
    "toggle", "choice", "radio", "stages", "checks", "text", "template", "number", "stage_map"
]

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
                    "Empty: the stage's own name.",
                    stage_object="contact",
                ),
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
                    "Empty: the stage's own name.",
                    stage_object="deal",
                ),
            ),
        ),
    ),
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


# ---- reading values ---------------------------------------------------------------------------


def value_at(document: Mapping[str, Any], path: str) -> Any:
    found: Any = document
    for part in path.split("."):
        if not isinstance(found, Mapping) or part not in found:
            return None
        found = found[part]
    return found


def _put(document: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    target = document
    for part in parents:
        child = target.get(part)
        if not isinstance(child, dict):
            child = target[part] = {}
        target = child
    target[last] = value


# ---- form → document ---------------------------------------------------------------------------


@dataclass
class Submitted:
    document: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


def document_from_form(
    form: Any, current: Mapping[str, Any], stages: Mapping[str, Sequence[str]]
) -> Submitted:
    """The whole settings document the form describes, over ``current`` (for what it lacks)."""
    submitted = Submitted(copy.deepcopy(dict(current)))
    for setting in ALL_SETTINGS:
        _read(setting, form, stages.get(setting.stage_object or "", ()), submitted)
    _put(submitted.document, "enabled", bool(current.get("enabled", False)))
    return submitted


def _read(setting: Setting, form: Any, stages: Sequence[str], submitted: Submitted) -> None:
    path, document = setting.path, submitted.document
    if setting.control == "toggle":
        _put(document, path, form.get(path) == "on")
    elif setting.control in ("choice", "radio", "text", "template", "number"):
        _put(
            document,
            path,
            str(form.get(path, "")).strip()
            if setting.control != "template"
            else str(form.get(path, "")),
        )
    elif setting.control == "checks":
        _put(document, path, [str(v) for v in form.getlist(path)])
    elif setting.control == "stages":
        _read_stage_filter(setting, form, submitted)
    elif setting.control == "stage_map":
        _put(document, path, _stage_map(path, form, stages))


def _read_stage_filter(setting: Setting, form: Any, submitted: Submitted) -> None:
    chosen = [str(v) for v in form.getlist(setting.path)]
    switched_on = form.get(f"{setting.path}.on") == "on"
    if switched_on and not chosen:
        submitted.problems.append(
            Problem(setting.path, "choose at least one stage, or switch the filter off")
        )
    _put(submitted.document, setting.path, chosen if switched_on else [])


def _stage_map(path: str, form: Any, stages: Sequence[str]) -> dict[str, str]:
    mapped = {}
    for index, name in enumerate(stages):
        value = str(form.get(f"{path}[{index}]", "")).strip()
        if value:
            mapped[name] = value
    return mapped


# ---- problems → controls ----------------------------------------------------------------------


def errors_by_setting(problems: Sequence[Problem]) -> tuple[dict[str, list[str]], list[str]]:
    """Problems keyed by the control they belong to; the rest (no control) as general lines."""
    by_setting: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        owner = _owner(problem.path)
        if owner is None:
            general.append(str(problem))
        else:
            by_setting.setdefault(owner, []).append(problem.message)
    return by_setting, general


def _owner(path: str) -> str | None:
    for setting in ALL_SETTINGS:
        if path == setting.path or path.startswith((f"{setting.path}[", f"{setting.path}.")):
            return setting.path
    return None


def tabs_with_errors(errors: Mapping[str, list[str]]) -> set[str]:
    return {tab.key for tab in TABS for s in tab.all_settings() if s.path in errors}
