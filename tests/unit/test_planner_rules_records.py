"""One table-driven test per rule for accounts, contacts and deals (PRODUCT.md R1–R12, R14, R15)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from _planfactory import (
    ACCOUNT_ID,
    CONTACT_ID,
    LEAD_ID,
    NOW,
    ON,
    OPP_ID,
    TEAM,
    account,
    contact,
    deal,
    link,
    own,
    person,
    settings,
    sf_id,
)

from pushforce.core.decisions import (
    AccountLookup,
    Create,
    Decision,
    MatchThenLinkOrCreate,
    PersonLookup,
    Relink,
    SalesforceIdOf,
    Several,
    Skip,
    Trigger,
    Update,
    Writes,
)
from pushforce.core.planner import plan
from pushforce.core.records import DealContact, Link, PlanContext, Record
from pushforce.core.settings import PushSettings

AUTO = [Trigger.CREATED, Trigger.IMPORTED, Trigger.API, Trigger.UPDATED]
ACCOUNT_KEY = f"pf-{TEAM}-account-1"


def _plan(
    s: PushSettings, record: Record, trigger: Trigger = Trigger.CREATED, **context: Any
) -> Decision:
    return plan(s, record, trigger, PlanContext(**context), NOW)


def _outcome(decision: Decision) -> str:
    """'skip:<reason>' or the decision's class name."""
    if isinstance(decision, Skip):
        return f"skip:{decision.reason.value}"
    return type(decision).__name__


# --- R1 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "the_link", "s", "trigger", "expected"),
    [
        # in Salesforce: changes are pushed whatever push_new / stage filters say (while enabled)
        (
            contact(title="CEO"),
            link("Contact", CONTACT_ID),
            settings(enabled=True, contacts__push_new=False),
            Trigger.UPDATED,
            "Update",
        ),
        (
            contact(stage="Cold", title="CEO"),
            link("Contact", CONTACT_ID),
            settings(enabled=True, contacts__stage_filter=["Warm"]),
            Trigger.UPDATED,
            "Update",
        ),
        (
            account(phone="1"),
            link("Account", ACCOUNT_ID),
            settings(enabled=True, accounts__push_new=False),
            Trigger.UPDATED,
            "Update",
        ),
        (
            deal(amount=Decimal(5)),
            link("Opportunity", OPP_ID),
            settings(enabled=True, deals__push_new=False),
            Trigger.UPDATED,
            "Update",
        ),
        # ... but only while enabled
        (
            contact(title="CEO"),
            link("Contact", CONTACT_ID),
            settings(enabled=False),
            Trigger.UPDATED,
            "skip:disabled",
        ),
        (
            account(phone="1"),
            link("Account", ACCOUNT_ID),
            settings(enabled=False),
            Trigger.UPDATED,
            "skip:disabled",
        ),
        (
            deal(amount=Decimal(5)),
            link("Opportunity", OPP_ID),
            settings(enabled=False),
            Trigger.UPDATED,
            "skip:disabled",
        ),
        # net new: the settings decide
        (
            contact(),
            None,
            settings(enabled=True, contacts__push_new=False),
            Trigger.UPDATED,
            "skip:push_new_off",
        ),
        (
            account(),
            None,
            settings(enabled=True, accounts__push_new=False),
            Trigger.CREATED,
            "skip:push_new_off",
        ),
        (
            deal(),
            None,
            settings(enabled=True, deals__push_new=False),
            Trigger.CREATED,
            "skip:push_new_off",
        ),
    ],
)
def test_R1_settings_govern_net_new_records_only(
    record: Record, the_link: Link | None, s: PushSettings, trigger: Trigger, expected: str
) -> None:
    decision = _plan(s, record, trigger, own=own(record.kind, record.id, the_link))
    assert _outcome(decision) == expected


# --- R2 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("trigger", AUTO)
@pytest.mark.parametrize(
    ("overrides", "stage", "expected"),
    [
        ({}, None, "skip:disabled"),  # the default: enabled is off
        ({"enabled": True}, None, "MatchThenLinkOrCreate"),
        ({"enabled": True, "contacts__push_new": False}, None, "skip:push_new_off"),
        ({"enabled": True, "contacts__stage_filter": []}, "Cold", "MatchThenLinkOrCreate"),
        ({"enabled": True, "contacts__stage_filter": ["Warm"]}, "Warm", "MatchThenLinkOrCreate"),
        ({"enabled": True, "contacts__stage_filter": ["Warm"]}, "Cold", "skip:stage_filtered"),
        ({"enabled": True, "contacts__stage_filter": ["Warm"]}, None, "skip:stage_filtered"),
    ],
)
def test_R2_net_new_contacts_follow_enabled_push_new_and_stage_filter(
    trigger: Trigger, overrides: dict[str, Any], stage: str | None, expected: str
) -> None:
    decision = _plan(settings(**overrides), contact(stage=stage), trigger, account=account())
    assert _outcome(decision) == expected
    if isinstance(decision, Skip):
        assert decision.message.endswith(".")
        assert decision.external_id == ""


def test_R2_a_contact_that_moves_into_an_allowed_stage_is_created_then() -> None:
    s = settings(enabled=True, contacts__stage_filter=["Warm"])
    assert _outcome(_plan(s, contact(stage="Cold"))) == "skip:stage_filtered"
    assert _outcome(_plan(s, contact(stage="Warm"), Trigger.UPDATED)) == "MatchThenLinkOrCreate"


def test_R2_skip_messages_name_the_stage() -> None:
    s = settings(enabled=True, contacts__stage_filter=["Warm"])
    decision = _plan(s, contact(stage="Cold"))
    assert isinstance(decision, Skip)
    assert "(Cold)" in decision.message and "contacts" in decision.message


# --- R3 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("create_as", "the_account", "sobject", "fixed"),
    [
        ("lead", account(name="Acme"), "Lead", {"Company": "Acme", "LeadSource": "Pushforce"}),
        ("lead", None, "Lead", {"Company": "[not provided]", "LeadSource": "Pushforce"}),
        (
            "lead",
            account(name=""),
            "Lead",
            {"Company": "[not provided]", "LeadSource": "Pushforce"},
        ),
        (
            "contact",
            account(),
            "Contact",
            {"AccountId": SalesforceIdOf(ACCOUNT_KEY), "LeadSource": "Pushforce"},
        ),
        ("contact", None, "Contact", {"LeadSource": "Pushforce"}),
    ],
)
def test_R3_lead_or_contact(
    create_as: str, the_account: Any, sobject: str, fixed: dict[str, object]
) -> None:
    s = settings(enabled=True, contacts__create_as=create_as)
    decision = _plan(s, contact(), account=the_account)
    assert isinstance(decision, MatchThenLinkOrCreate)
    assert decision.sobject == sobject
    expected = {"FirstName": "Ann", "LastName": "Lee", "Email": "ann@acme.com", **fixed}
    assert decision.payload == expected
    if sobject == "Lead":
        assert decision.dependents == ()  # leads never touch an Account
        assert "AccountId" not in decision.payload


def test_R3_company_removed_from_the_lead_map_is_still_sent_on_create() -> None:
    s = settings(
        enabled=True,
        contacts__create_as="lead",
        fields__lead=[{"field": "last_name", "salesforce_field": "LastName"}],
    )
    decision = _plan(s, contact(), account=account(name="Acme"))
    assert isinstance(decision, MatchThenLinkOrCreate)
    assert decision.payload == {"LastName": "Lee", "LeadSource": "Pushforce", "Company": "Acme"}


@pytest.mark.parametrize(
    ("stage", "settings_map", "team_values", "status"),
    [
        ("Cold", {}, {}, "Cold"),  # same names
        ("Cold", {}, {"Cold": "Open - Not Contacted"}, "Open - Not Contacted"),
        (
            "Cold",
            {"Cold": "Working - Contacted"},
            {"Cold": "Open - Not Contacted"},
            "Working - Contacted",
        ),
        ("Customer", {}, {"Customer": None}, None),  # the team stage writes nothing
        (None, {}, {}, None),
    ],
)
def test_R3_a_leads_status_follows_the_contact_stage(
    stage: str | None,
    settings_map: dict[str, str],
    team_values: dict[str, str | None],
    status: str | None,
) -> None:
    s = settings(enabled=True, contacts__create_as="lead", stages__contact=settings_map)
    decision = _plan(s, contact(stage=stage), stage_values={"contact": team_values})
    assert isinstance(decision, MatchThenLinkOrCreate)
    assert decision.payload.get("Status") == status


# --- R4 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "s",
    [
        settings(enabled=True),
        settings(enabled=True, accounts__push_new=False),
        settings(enabled=True, accounts__stage_filter=["Target"]),
    ],
    ids=["defaults", "account-push-off", "account-stage-filtered"],
)
@pytest.mark.parametrize("kind", ["contact", "deal"])
def test_R4_the_account_comes_along(s: PushSettings, kind: str) -> None:
    record = contact() if kind == "contact" else deal()
    decision = _plan(s, record, account=account(stage="Cold"))
    assert isinstance(decision, MatchThenLinkOrCreate | Create)
    assert decision.payload["AccountId"] == SalesforceIdOf(ACCOUNT_KEY)
    (dependent,) = decision.dependents
    assert isinstance(dependent, MatchThenLinkOrCreate)
    assert dependent.sobject == "Account" and dependent.external_id == ACCOUNT_KEY
    assert dependent.payload == {"Name": "Acme", "AccountSource": "Pushforce"}


@pytest.mark.parametrize(
    ("account_link", "trigger", "account_id", "dependent"),
    [
        (link("Account", ACCOUNT_ID), Trigger.CREATED, ACCOUNT_ID, None),
        (
            Link("Account", ACCOUNT_ID, state="merged", successor_id=sf_id("001", 9)),
            Trigger.CREATED,
            sf_id("001", 9),
            None,
        ),
        (
            Link("Account", ACCOUNT_ID, state="deleted"),
            Trigger.CREATED,
            None,
            "skip:deleted_in_salesforce",
        ),
        (
            Link("Account", ACCOUNT_ID, state="deleted"),
            Trigger.MANUAL,
            SalesforceIdOf(ACCOUNT_KEY),
            "MatchThenLinkOrCreate",
        ),
    ],
)
def test_R4_an_account_in_salesforce_or_deleted_there(
    account_link: Link, trigger: Trigger, account_id: object, dependent: str | None
) -> None:
    decision = _plan(ON, contact(), trigger, account=account(), account_link=account_link)
    assert isinstance(decision, MatchThenLinkOrCreate)
    assert decision.payload.get("AccountId") == account_id
    assert [_outcome(d) for d in decision.dependents] == ([dependent] if dependent else [])


# --- R5 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("tiebreak", ["oldest", "most_recently_modified", "review"])
@pytest.mark.parametrize(
    ("domain", "name", "website"),
    [("acme.com", "Acme", "https://acme.com"), (None, "No Site Ltd", None)],
)
def test_R5_account_matching_is_deterministic(
    tiebreak: str, domain: str | None, name: str, website: str | None
) -> None:
    s = settings(enabled=True, matching__account_tiebreak=tiebreak)
    decision = _plan(s, account(domain=domain, name=name, website=website))
    assert isinstance(decision, MatchThenLinkOrCreate)
    assert decision.lookup == AccountLookup(domain, name, tiebreak)  # type: ignore[arg-type]
    expected = {"Name": name, "Website": website} if website else {"Name": name}
    assert decision.on_match == {"Account": Writes(expected)}
    assert decision == _plan(s, account(domain=domain, name=name, website=website))


@pytest.mark.parametrize(
    ("website", "domain"),
    [
        ("https://www.Acme.com/about", "acme.com"),
        ("acme.io", "acme.io"),
        ("http://shop.acme.co.uk:8080", "shop.acme.co.uk"),
        ("  ", None),
        (None, None),
        ("https://", None),
    ],
)
def test_R5_the_domain_comes_from_the_website_when_missing(
    website: str | None, domain: str | None
) -> None:
    decision = _plan(ON, account(domain=None, website=website))
    assert isinstance(decision, MatchThenLinkOrCreate)
    assert isinstance(decision.lookup, AccountLookup) and decision.lookup.domain == domain


# --- R6 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order", "objects"),
    [
        ("contact_then_lead", ("Contact", "Lead")),
        ("lead_then_contact", ("Lead", "Contact")),
        ("contact_only", ("Contact",)),
        ("lead_only", ("Lead",)),
    ],
)
@pytest.mark.parametrize("create_as", ["contact", "lead"])
def test_R6_people_are_looked_up_by_email_in_the_link_order(
    order: str, objects: tuple[str, ...], create_as: str
) -> None:
    s = settings(enabled=True, matching__person_link_order=order, contacts__create_as=create_as)
    decision = _plan(
        s,
        contact(email=" Ann@Acme.COM "),
        account=account(),
        account_link=link("Account", ACCOUNT_ID),
    )
    assert isinstance(decision, MatchThenLinkOrCreate)
    assert decision.lookup == PersonLookup("ann@acme.com", objects)  # type: ignore[arg-type]
    person_fields = {"FirstName": "Ann", "LastName": "Lee", "Email": "Ann@Acme.COM"}
    assert decision.on_match["Contact"] == Writes(person_fields, {"AccountId": ACCOUNT_ID})
    assert decision.on_match["Lead"] == Writes({**person_fields, "Company": "Acme"})
    assert all("LeadSource" not in w.fields() for w in decision.on_match.values())


@pytest.mark.parametrize(
    ("email", "status"), [(None, "verified"), ("  ", "verified"), ("ann@acme.com", "unavailable")]
)
def test_R6_without_an_email_there_is_nothing_to_look_up(email: str | None, status: str) -> None:
    decision = _plan(ON, contact(email=email, email_status=status), account=account())
    assert isinstance(decision, Create)
    assert decision.sobject == "Contact" and "Email" not in decision.payload


# --- R7 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "push_guessed", "writes_email"),
    [
        ("verified", False, True),
        ("verified", True, True),
        ("guessed", False, False),
        ("guessed", True, True),
        ("unavailable", False, False),
        ("unavailable", True, False),
    ],
)
@pytest.mark.parametrize("create_as", ["contact", "lead"])
def test_R7_guessed_emails_on_create(
    status: str, push_guessed: bool, writes_email: bool, create_as: str
) -> None:
    s = settings(
        enabled=True, contacts__push_guessed_emails=push_guessed, contacts__create_as=create_as
    )
    decision = _plan(s, contact(email_status=status), account=account())
    assert isinstance(decision, MatchThenLinkOrCreate | Create)
    assert ("Email" in decision.payload) is writes_email
    if isinstance(decision, MatchThenLinkOrCreate):
        assert all(("Email" in w.fields()) is writes_email for w in decision.on_match.values())


@pytest.mark.parametrize(
    ("status", "pushed", "expected"),
    [
        ("guessed", {}, None),  # a guessed value never overwrites Salesforce
        ("guessed", {"Email": "old@acme.com"}, None),
        ("verified", {}, "ann@acme.com"),  # verified now: the next push writes it
        ("verified", {"Email": "ann@acme.com"}, None),  # already there
    ],
)
def test_R7_guessed_emails_on_update(
    status: str, pushed: dict[str, object], expected: str | None
) -> None:
    the_link = link("Contact", CONTACT_ID, FirstName="Ann", LastName="Lee", **pushed)
    decision = _plan(
        ON,
        contact(email_status=status, title="CTO"),
        Trigger.UPDATED,
        own=own("contact", 2, the_link),
    )
    assert isinstance(decision, Update)
    assert decision.writes.overwrite.get("Email") == expected


# --- R8 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "record", "field", "value"),
    [
        ({}, contact(), "LeadSource", "Pushforce"),
        ({"contacts__source_value": "Webinar"}, contact(), "LeadSource", "Webinar"),
        (
            {"contacts__create_as": "lead", "contacts__source_value": "Apollo"},
            contact(),
            "LeadSource",
            "Apollo",
        ),
        ({}, account(), "AccountSource", "Pushforce"),
        (
            {"accounts__source_field": "Origin__c", "accounts__source_value": "PF"},
            account(),
            "Origin__c",
            "PF",
        ),
    ],
)
def test_R8_source_is_stamped_on_create_only(
    overrides: dict[str, Any], record: Record, field: str, value: str
) -> None:
    s = settings(enabled=True, **overrides)
    created = _plan(s, record, account=account())
    assert isinstance(created, MatchThenLinkOrCreate)
    assert created.payload[field] == value
    assert all(field not in w.fields() for w in created.on_match.values())
    sobject = "Account" if record.kind == "account" else "Contact"
    the_link = link(sobject, sf_id("001" if record.kind == "account" else "003", 1))
    updated = _plan(s, record, Trigger.UPDATED, own=own(record.kind, record.id, the_link))
    assert isinstance(updated, Update)
    assert field not in updated.writes.fields()


def test_R8_an_empty_contact_source_is_not_written() -> None:
    decision = _plan(settings(enabled=True, contacts__source_value=""), contact())
    assert isinstance(decision, MatchThenLinkOrCreate)
    assert "LeadSource" not in decision.payload


# --- R9 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("trigger", AUTO)
@pytest.mark.parametrize(
    ("overrides", "stage", "expected"),
    [
        ({}, None, "skip:disabled"),
        ({"enabled": True}, None, "MatchThenLinkOrCreate"),
        ({"enabled": True, "accounts__push_new": False}, "Target", "skip:push_new_off"),
        (
            {"enabled": True, "accounts__stage_filter": ["Target"]},
            "Target",
            "MatchThenLinkOrCreate",
        ),
        ({"enabled": True, "accounts__stage_filter": ["Target"]}, "Cold", "skip:stage_filtered"),
    ],
)
def test_R9_net_new_accounts(
    trigger: Trigger, overrides: dict[str, Any], stage: str | None, expected: str
) -> None:
    decision = _plan(settings(**overrides), account(stage=stage), trigger)
    assert _outcome(decision) == expected


def test_R9_account_fields_and_stage_values() -> None:
    s = settings(
        enabled=True,
        fields__account=[
            {"field": "name", "salesforce_field": "Name"},
            {"field": "employees", "salesforce_field": "NumberOfEmployees"},
            {"field": "stage", "salesforce_field": "Rating"},
            {"field": "custom.tier", "salesforce_field": "Tier__c"},
        ],
    )
    record = account(employees=250, stage="Target", custom={"tier": "A"})
    decision = _plan(s, record, stage_values={"account": {"Target": "Hot"}})
    assert isinstance(decision, MatchThenLinkOrCreate)
    assert decision.payload == {
        "Name": "Acme",
        "NumberOfEmployees": 250,
        "Rating": "Hot",
        "Tier__c": "A",
        "AccountSource": "Pushforce",
    }


# --- R10 --------------------------------------------------------------------------------------


def _deal_people() -> dict[int, Any]:
    return {
        10: person(contact(id=10), link("Contact", sf_id("003", 10))),
        11: person(contact(id=11), link("Lead", sf_id("00Q", 11))),
        12: person(contact(id=12), None),
        13: person(
            contact(id=13),
            Link("Lead", sf_id("00Q", 13), state="converted", successor_id=sf_id("003", 13)),
        ),
    }


def test_R10_deals_become_opportunities_with_contact_roles() -> None:
    s = settings(enabled=True, stages__deal={"Won": "Closed Won"})
    record = deal(
        amount=Decimal("1250.50"),
        stage="Won",
        close_date=date(2026, 12, 31),
        contacts=(
            DealContact(10, "Decision Maker"),
            DealContact(11),
            DealContact(12),
            DealContact(13, ""),
        ),
    )
    decision = _plan(
        s,
        record,
        account=account(),
        account_link=link("Account", ACCOUNT_ID),
        contacts=_deal_people(),
    )
    assert isinstance(decision, Create)
    assert decision.sobject == "Opportunity" and decision.external_id == f"pf-{TEAM}-deal-3"
    assert decision.payload == {
        "Name": "Big deal",
        "Amount": 1250.5,
        "StageName": "Closed Won",
        "CloseDate": "2026-12-31",
        "AccountId": ACCOUNT_ID,
    }
    roles = [(r.external_id, r.payload) for r in decision.followups if isinstance(r, Create)]
    opportunity = SalesforceIdOf(f"pf-{TEAM}-deal-3")
    assert roles == [
        (
            f"pf-{TEAM}-deal-3-ocr-10",
            {"OpportunityId": opportunity, "ContactId": sf_id("003", 10), "Role": "Decision Maker"},
        ),
        (f"pf-{TEAM}-deal-3-ocr-13", {"OpportunityId": opportunity, "ContactId": sf_id("003", 13)}),
    ]


@pytest.mark.parametrize(
    ("overrides", "trigger", "expected"),
    [
        ({}, Trigger.CREATED, "skip:disabled"),
        ({"enabled": True}, Trigger.CREATED, "Create"),
        ({"enabled": True, "deals__push_new": False}, Trigger.UPDATED, "skip:push_new_off"),
        ({"deals__push_new": False}, Trigger.MANUAL, "Create"),
    ],
)
def test_R10_deal_eligibility(overrides: dict[str, Any], trigger: Trigger, expected: str) -> None:
    decision = _plan(settings(**overrides), deal(stage="Open", amount=Decimal(100)), trigger)
    assert _outcome(decision) == expected
    if isinstance(decision, Create):
        assert decision.payload == {"Name": "Big deal", "Amount": 100, "StageName": "Open"}


def test_R10_deal_updates_add_only_new_contact_roles() -> None:
    record = deal(amount=Decimal(5), contacts=(DealContact(10), DealContact(13)))
    pushed = link("Opportunity", OPP_ID, Name="Big deal", Amount=5, AccountId=ACCOUNT_ID)
    owned = {
        **own("deal", 3, pushed),
        f"pf-{TEAM}-deal-3-ocr-10": link("OpportunityContactRole", sf_id("00K", 1)),
    }
    context: dict[str, Any] = {
        "own": owned,
        "contacts": _deal_people(),
        "account_link": link("Account", ACCOUNT_ID),
    }
    decision = _plan(ON, record, Trigger.UPDATED, **context)
    assert isinstance(decision, Several)  # nothing changed on the Opportunity itself
    (role,) = decision.parts
    assert isinstance(role, Create) and role.payload["OpportunityId"] == OPP_ID
    moved = _plan(
        ON, record, Trigger.UPDATED, **{**context, "account_link": link("Account", sf_id("001", 2))}
    )
    assert isinstance(moved, Update) and moved.writes.overwrite == {"AccountId": sf_id("001", 2)}
    assert len(moved.followups) == 1


# --- R11 / R12 --------------------------------------------------------------------------------


@pytest.mark.parametrize("trigger", [Trigger.MANUAL, Trigger.PUSH_ALL])
@pytest.mark.parametrize(
    ("s", "record"),
    [
        (settings(enabled=False), contact()),
        (settings(enabled=True, contacts__push_new=False), contact()),
        (settings(enabled=True, contacts__stage_filter=["Warm"]), contact(stage="Cold")),
        (settings(enabled=False), account()),
        (settings(enabled=True, accounts__push_new=False), account()),
        (settings(enabled=True, accounts__stage_filter=["Target"]), account(stage="Cold")),
        (settings(enabled=False, deals__push_new=False), deal()),
    ],
)
def test_R11_R12_manual_and_push_all_override_eligibility(
    trigger: Trigger, s: PushSettings, record: Record
) -> None:
    decision = _plan(s, record, trigger, account=account())
    assert not isinstance(decision, Skip)


def test_R11_manual_push_does_not_override_how_a_record_is_written() -> None:
    s = settings(enabled=False, contacts__create_as="lead", contacts__source_value="Manual")
    decision = _plan(
        s, contact(email_status="guessed", stage="Cold"), Trigger.MANUAL, account=account()
    )
    assert isinstance(decision, MatchThenLinkOrCreate)
    assert decision.sobject == "Lead"
    assert decision.payload == {
        "FirstName": "Ann",
        "LastName": "Lee",
        "LeadSource": "Manual",
        "Company": "Acme",
        "Status": "Cold",
    }


def test_R11_manual_push_of_a_linked_record_when_disabled_updates_it() -> None:
    the_link = link("Contact", CONTACT_ID, FirstName="Ann", LastName="Lee", Email="ann@acme.com")
    decision = _plan(
        settings(), contact(title="VP"), Trigger.MANUAL, own=own("contact", 2, the_link)
    )
    assert isinstance(decision, Update) and decision.writes.overwrite == {"Title": "VP"}


# --- R14 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "sobject", "trigger", "expected"),
    [
        (contact(), "Contact", Trigger.UPDATED, "skip:deleted_in_salesforce"),
        (contact(), "Contact", Trigger.PUSH_ALL, "skip:deleted_in_salesforce"),
        (contact(), "Contact", Trigger.MANUAL, "MatchThenLinkOrCreate"),
        (account(), "Account", Trigger.IMPORTED, "skip:deleted_in_salesforce"),
        (account(), "Account", Trigger.MANUAL, "MatchThenLinkOrCreate"),
        (deal(), "Opportunity", Trigger.API, "skip:deleted_in_salesforce"),
        (deal(), "Opportunity", Trigger.MANUAL, "Create"),
    ],
)
def test_R14_deleted_in_salesforce_is_recreated_only_by_hand(
    record: Record, sobject: str, trigger: Trigger, expected: str
) -> None:
    tombstone = Link(sobject, sf_id("000", 1), state="deleted")
    decision = _plan(ON, record, trigger, own=own(record.kind, record.id, tombstone))
    assert _outcome(decision) == expected
    if isinstance(decision, Skip):
        assert decision.external_id == f"pf-{TEAM}-{record.kind}-{record.id}"
        assert "by hand" in decision.message


def test_R14_merged_records_are_relinked_to_the_master() -> None:
    master = sf_id("003", 99)
    merged = Link(
        "Contact",
        CONTACT_ID,
        {"FirstName": "Ann", "LastName": "Lee", "Email": "ann@acme.com"},
        state="merged",
        successor_id=master,
    )
    decision = _plan(ON, contact(), Trigger.UPDATED, own=own("contact", 2, merged))
    assert isinstance(decision, Update)
    assert (decision.sobject, decision.sf_id) == ("Contact", master)
    assert decision.relink == Relink("merged", "Contact", master)
    # the master holds nothing of ours yet (its own values won the merge): all mapped values go
    assert decision.writes.overwrite == {
        "FirstName": "Ann",
        "LastName": "Lee",
        "Email": "ann@acme.com",
    }


def test_R14_converted_leads_are_relinked_to_their_contact_and_the_write_retried() -> None:
    converted = Link(
        "Lead",
        LEAD_ID,
        {"FirstName": "Ann", "LastName": "Lee", "Email": "ann@acme.com", "Company": "Acme"},
        state="converted",
        successor_id=CONTACT_ID,
        converted_account_id=ACCOUNT_ID,
    )
    decision = _plan(
        ON,
        contact(title="CTO"),
        Trigger.UPDATED,
        own=own("contact", 2, converted),
        account_link=link("Account", ACCOUNT_ID),
    )
    assert isinstance(decision, Update)
    assert (decision.sobject, decision.sf_id) == ("Contact", CONTACT_ID)
    assert decision.relink == Relink("converted", "Contact", CONTACT_ID, ACCOUNT_ID)
    assert decision.writes.overwrite == {  # the Contact never got our values: all of them go
        "FirstName": "Ann",
        "LastName": "Lee",
        "Email": "ann@acme.com",
        "Title": "CTO",
        "AccountId": ACCOUNT_ID,
    }


def test_R14_a_link_without_successor_stays_where_it_is() -> None:
    odd = Link("Account", ACCOUNT_ID, {"Name": "Acme"}, state="merged")
    decision = _plan(ON, account(phone="555"), Trigger.UPDATED, own=own("account", 1, odd))
    assert isinstance(decision, Update)
    assert (decision.sf_id, decision.relink) == (ACCOUNT_ID, None)


# --- R15 --------------------------------------------------------------------------------------

_FIELDS = [
    {"field": "first_name", "salesforce_field": "FirstName", "mode": "overwrite"},
    {"field": "last_name", "salesforce_field": "LastName", "mode": "fill_if_empty"},
    {"field": "title", "salesforce_field": "Title", "mode": "create_only"},
    {"field": "phone", "salesforce_field": "Phone", "mode": "never"},
    {"field": "mobile_phone", "salesforce_field": "MobilePhone"},
]


def test_R15_write_modes_on_create() -> None:
    s = settings(enabled=True, fields__contact=_FIELDS)
    decision = _plan(s, contact(title="CTO", phone="1", mobile_phone="  ", email=None))
    assert isinstance(decision, Create)
    assert decision.payload == {
        "FirstName": "Ann",
        "LastName": "Lee",
        "Title": "CTO",
        "LeadSource": "Pushforce",
    }


@pytest.mark.parametrize(
    ("pushed", "record", "overwrite", "fill"),
    [
        ({}, contact(title="CTO", phone="1"), {"FirstName": "Ann"}, {"LastName": "Lee"}),
        ({"FirstName": "Ann", "LastName": "Lee"}, contact(title="CEO"), {}, {}),
        ({"FirstName": "Anne", "LastName": "Lee"}, contact(), {"FirstName": "Ann"}, {}),
        ({"FirstName": "Ann"}, contact(last_name=""), {}, {}),  # blank never blanks
        (
            {"FirstName": "Ann", "LastName": "L"},
            contact(first_name=None, mobile_phone="2"),
            {"MobilePhone": "2"},
            {},
        ),
    ],
)
def test_R15_updates_send_only_what_changed(
    pushed: dict[str, object], record: Any, overwrite: dict[str, object], fill: dict[str, object]
) -> None:
    s = settings(enabled=True, fields__contact=_FIELDS)
    decision = _plan(
        s, record, Trigger.UPDATED, own=own("contact", 2, link("Contact", CONTACT_ID, **pushed))
    )
    if not overwrite and not fill:
        assert _outcome(decision) == "skip:nothing_changed"
        assert isinstance(decision, Skip) and decision.external_id == f"pf-{TEAM}-contact-2"
    else:
        assert isinstance(decision, Update)
        assert decision.writes == Writes(overwrite, fill)
        assert decision.sf_id == CONTACT_ID


@pytest.mark.parametrize(
    ("record", "pushed"),
    [
        (account(website="https://acme.com"), {"Name": "Acme", "Website": "https://acme.com"}),
        (
            deal(amount=Decimal("10.00"), close_date=date(2026, 1, 2)),
            {"Name": "Big deal", "Amount": 10, "CloseDate": "2026-01-02", "AccountId": ACCOUNT_ID},
        ),
    ],
)
def test_R15_an_unchanged_record_costs_no_api_call(
    record: Record, pushed: dict[str, object]
) -> None:
    sobject = "Account" if record.kind == "account" else "Opportunity"
    decision = _plan(
        ON,
        record,
        Trigger.UPDATED,
        own=own(record.kind, record.id, link(sobject, sf_id("001", 1), **pushed)),
        account_link=link("Account", ACCOUNT_ID),
    )
    assert _outcome(decision) == "skip:nothing_changed"


def test_R12_push_all_is_a_bulk_manual_push_that_leaves_salesforce_deletes_alone() -> None:
    s = settings(enabled=False, contacts__push_new=False, contacts__stage_filter=["Warm"])
    records = [contact(id=n, email=f"p{n}@acme.com", stage="Cold") for n in range(1, 4)]
    tombstone = {f"pf-{TEAM}-contact-3": Link("Contact", CONTACT_ID, state="deleted")}
    decisions = [_plan(s, record, Trigger.PUSH_ALL, own=tombstone) for record in records]
    assert [_outcome(d) for d in decisions] == [
        "MatchThenLinkOrCreate",
        "MatchThenLinkOrCreate",
        "skip:deleted_in_salesforce",
    ]


@pytest.mark.parametrize(
    ("website", "domain"),
    [
        ("https://www.Acme.com:443/about", "acme.com"),
        ("acme.io", "acme.io"),
        ("http://[broken", "[broken"),  # never raises on a malformed URL (R5 look-up key)
        ("   ", None),
        (None, None),
    ],
)
def test_R5_account_domain_comes_from_the_website_and_never_raises(
    website: str | None, domain: str | None
) -> None:
    from pushforce.core.plan_records import domain_of

    assert domain_of(website) == domain
