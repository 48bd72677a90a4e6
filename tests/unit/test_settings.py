"""The push-settings document: every default of PRODUCT.md §3, validation with paths, diff."""

from __future__ import annotations

from typing import Any

import pytest

from pushforce.core.settings import (
    Change,
    PushSettings,
    SettingsContext,
    SettingsError,
    diff,
    path_of,
    validate_settings,
)

NO_CONTEXT = SettingsContext()
TEAM_CONTEXT = SettingsContext(
    stages={
        "contact": frozenset({"Cold", "Warm"}),
        "account": frozenset({"Target"}),
        "deal": frozenset({"Open", "Won"}),
    },
    describe={
        "Contact": frozenset({"FirstName", "LastName", "Email", "Title", "Phone", "MobilePhone"}),
        "Account": frozenset(
            {
                "Name",
                "Website",
                "Phone",
                "Industry",
                "NumberOfEmployees",
                "AccountSource",
                "Rating__c",
            }
        ),
    },
)


def _get(settings: PushSettings, path: str) -> object:
    node: object = settings
    for part in path.split("."):
        node = getattr(node, part)
    return node


@pytest.mark.parametrize(
    ("path", "default"),
    [
        ("enabled", False),
        ("contacts.push_new", True),
        ("contacts.create_as", "contact"),
        ("contacts.stage_filter", []),
        ("contacts.source_value", "Pushforce"),
        ("contacts.push_guessed_emails", False),
        ("accounts.push_new", True),
        ("accounts.stage_filter", []),
        ("accounts.source_field", "AccountSource"),
        ("accounts.source_value", "Pushforce"),
        ("deals.push_new", True),
        ("activities.associate_with", ["contact", "account"]),
        ("activities.emails.outgoing_sent_in_app", True),
        ("activities.emails.outgoing_not_sent_in_app", False),
        ("activities.emails.incoming_replies_to_app_emails", True),
        ("activities.emails.incoming_other", False),
        ("activities.emails.push_when_participant_missing", False),
        ("activities.emails.title_template", "Email: {{subject}}"),
        ("activities.notes.push", True),
        ("activities.tasks.push", True),
        ("activities.tasks.title_template", "{{task_type}}: {{task_title}}"),
        ("activities.calls.push", True),
        ("activities.calls.title_template", "Call: {{call_disposition}} ({{direction}})"),
        ("activities.meetings.push", True),
        ("activities.meetings.push_all_calendar_events", False),
        ("activities.conversations.push_call_summaries", False),
        ("matching.account_tiebreak", "oldest"),
        ("matching.person_link_order", "contact_then_lead"),
        ("stages.contact", {}),
        ("stages.deal", {}),
        ("limits.api_budget_percent", 50),
    ],
)
def test_every_default_of_the_product_table(path: str, default: object) -> None:
    assert _get(PushSettings(), path) == default
    assert _get(validate_settings({}, TEAM_CONTEXT), path) == default


def test_default_field_maps() -> None:
    fields = PushSettings().fields

    def pairs(mappings: list[Any]) -> list[tuple[str, str, str]]:
        return [(m.field, m.salesforce_field, m.mode) for m in mappings]

    person = [
        ("first_name", "FirstName", "overwrite"),
        ("last_name", "LastName", "overwrite"),
        ("title", "Title", "overwrite"),
        ("email", "Email", "overwrite"),
        ("phone", "Phone", "overwrite"),
        ("mobile_phone", "MobilePhone", "overwrite"),
    ]
    assert pairs(fields.contact) == person
    assert pairs(fields.lead) == [
        *person,
        ("account_name", "Company", "overwrite"),
        ("stage", "Status", "overwrite"),
    ]
    assert [m.salesforce_field for m in fields.account] == [
        "Name",
        "Website",
        "Phone",
        "Industry",
        "NumberOfEmployees",
    ]
    assert [m.salesforce_field for m in fields.opportunity] == [
        "Name",
        "Amount",
        "CloseDate",
        "StageName",
    ]


def test_a_valid_document_round_trips() -> None:
    document = {
        "enabled": True,
        "contacts": {"create_as": "lead", "stage_filter": ["Warm"]},
        "accounts": {"source_field": "Rating__c"},
        "fields": {"contact": [{"field": "custom.score", "salesforce_field": "Title"}]},
        "stages": {"contact": {"Warm": "Working - Contacted"}, "deal": {"Won": "Closed Won"}},
    }
    settings = validate_settings(document, TEAM_CONTEXT)
    assert settings.contacts.stage_filter == ["Warm"]
    assert settings.fields.contact[0].field == "custom.score"
    assert validate_settings(settings.model_dump(mode="json"), TEAM_CONTEXT) == settings


def _problems(document: dict[str, Any], context: SettingsContext = TEAM_CONTEXT) -> dict[str, str]:
    with pytest.raises(SettingsError) as error:
        validate_settings(document, context)
    assert str(len(error.value.problems)) in str(error.value)
    return {problem.path: problem.message for problem in error.value.problems}


def test_every_problem_is_listed_with_its_path() -> None:
    problems = _problems(
        {
            "enabledd": True,
            "enabled": "maybe",
            "contacts": {"stage_filter": ["Cold", "Hot"], "create_as": "person", "extra": 1},
            "accounts": {"stage_filter": ["Nope"], "source_field": "Bogus__c"},
            "activities": {
                "emails": {"title_template": "{{subject|upper}}"},
                "calls": {"title_template": "{{nope}}"},
                "associate_with": ["deal"],
            },
            "fields": {
                "contact": [
                    {"field": "first_name", "salesforce_field": "FirstName"},
                    {"field": "shoe_size", "salesforce_field": "Shoe__c", "mode": "sometimes"},
                    {"field": "title", "salesforce_field": "not a name"},
                ]
            },
            "stages": {"contact": {"Ice": "Open"}, "deal": {"Won": 3}},
            "limits": {"api_budget_percent": 500},
            "matching": "oldest",
        }
    )
    assert problems == {
        "enabledd": "unknown setting (not part of the push settings)",
        "enabled": "must be true or false",
        "contacts.stage_filter[1]": "no contact stage named 'Hot' (the team has: Cold, Warm)",
        "contacts.create_as": "must be one of 'contact' or 'lead'",
        "contacts.extra": "unknown setting (not part of the push settings)",
        "accounts.stage_filter[0]": "no account stage named 'Nope' (the team has: Target)",
        "accounts.source_field": "Account has no field 'Bogus__c' in this org",
        "activities.emails.title_template": (
            "'{{subject|upper}}' is not a plain placeholder: only {{name}} is allowed"
            " (no expressions, filters or attributes)"
        ),
        "activities.calls.title_template": problems["activities.calls.title_template"],
        "activities.associate_with[0]": "must be one of 'contact' or 'account'",
        "fields.contact[1].field": problems["fields.contact[1].field"],
        "fields.contact[1].salesforce_field": "Contact has no field 'Shoe__c' in this org",
        "fields.contact[1].mode": (
            "must be one of 'overwrite', 'fill_if_empty', 'create_only' or 'never'"
        ),
        "fields.contact[2].salesforce_field": "'not a name' is not a Salesforce field API name",
        "stages.contact.Ice": "no contact stage named 'Ice' (the team has: Cold, Warm)",
        "stages.deal.Won": "must be text",
        "limits.api_budget_percent": "must be less than or equal to 100",
        "matching": "must be an object of settings",
    }
    assert problems["activities.calls.title_template"].startswith("unknown variable 'nope'")
    assert problems["fields.contact[1].field"].startswith("unknown Pushforce field 'shoe_size'")


def test_without_a_describe_or_stages_names_are_only_checked_for_shape() -> None:
    document = {
        "contacts": {"stage_filter": ["Anything"]},
        "fields": {"lead": [{"field": "email", "salesforce_field": "Custom_Email__c"}]},
    }
    assert validate_settings(document, NO_CONTEXT).contacts.stage_filter == ["Anything"]


def test_a_salesforce_field_mapped_twice_is_rejected() -> None:
    problems = _problems(
        {
            "fields": {
                "account": [
                    {"field": "name", "salesforce_field": "Name"},
                    {"field": "domain", "salesforce_field": "name"},
                ]
            }
        }
    )
    assert problems == {
        "fields.account": (
            "[1] writes name again (already written by [0]); map each Salesforce field once"
        )
    }


@pytest.mark.parametrize(
    ("document", "path", "message"),
    [
        ({"contacts": {"source_value": "x" * 256}}, "contacts.source_value", "at most 255"),
        ({"limits": {"api_budget_percent": 0}}, "limits.api_budget_percent", "greater than"),
        ({"contacts": {"stage_filter": "Cold"}}, "contacts.stage_filter", "must be a list"),
        ({"stages": {"deal": []}}, "stages.deal", "must be an object"),
        ({"limits": {"api_budget_percent": "lots"}}, "limits.api_budget_percent", "whole number"),
        ({"contacts": {"source_value": 5}}, "contacts.source_value", "must be text"),
        (
            {"fields": {"opportunity": [{"field": "name"}]}},
            "fields.opportunity[0].salesforce_field",
            "missing",
        ),
        (
            {"activities": {"associate_with": "contact"}},
            "activities.associate_with",
            "must be a list",
        ),
    ],
)
def test_shape_problems(document: dict[str, Any], path: str, message: str) -> None:
    problems = _problems(document)
    assert message in problems[path]


def test_path_of() -> None:
    assert (
        path_of(("fields", "contact", 2, "salesforce_field"))
        == "fields.contact[2].salesforce_field"
    )
    assert path_of(("stages", "contact", "Ice", "[key]")) == "stages.contact.Ice"
    assert path_of(()) == "(document)"


def test_diff_lists_every_changed_leaf_by_path() -> None:
    old = PushSettings()
    new = PushSettings.model_validate(
        {
            "enabled": True,
            "contacts": {"stage_filter": ["Warm"]},
            "fields": {
                "contact": [
                    {"field": "first_name", "salesforce_field": "FirstName", "mode": "never"}
                ]
            },
        }
    )
    changes = diff(old, new)
    by_path = {change.path: change for change in changes}
    assert by_path["enabled"] == Change("enabled", False, True)
    assert by_path["contacts.stage_filter"] == Change("contacts.stage_filter", [], ["Warm"])
    assert by_path["fields.contact[0].mode"] == Change(
        "fields.contact[0].mode", "overwrite", "never"
    )
    assert by_path["fields.contact[5].salesforce_field"].new is None  # a mapping removed
    assert str(by_path["enabled"]) == "enabled: False → True"
    assert diff(new, new) == []
