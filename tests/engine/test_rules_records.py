"""Acceptance: R2–R8, R11 for accounts and people, checked in localforce's state, the sync
log and the database after a drain through the real gateway."""

from __future__ import annotations

from engine_helpers import change, create
from harness import Org

from pushforce.store import write_transaction


def _contact(org: Org, **values: object) -> int:
    with write_transaction(org.engine) as conn:
        return create(conn, org.team_id, "contact", **values)


def _account(org: Org, **values: object) -> int:
    with write_transaction(org.engine) as conn:
        return create(conn, org.team_id, "account", **values)


def _change(org: Org, kind: str, record_id: int, **values: object) -> None:
    with write_transaction(org.engine) as conn:
        change(conn, org.team_id, kind, record_id, **values)


def test_R2_a_contact_outside_the_stage_filter_waits_until_it_moves_into_it(org: Org) -> None:
    org.settings(enabled=True, contacts={"stage_filter": ["Qualified"]})
    contact_id = _contact(org, last_name="Hopper", email="grace@navy.mil", stage="New")
    org.drain()
    assert org.sf_records("Contact") == []
    assert org.log(kind="contact")[0]["reason"].startswith("stage_filtered")
    _change(org, "contact", contact_id, stage="Qualified")
    org.drain()
    [sf_contact] = org.sf_records("Contact")
    assert sf_contact["LastName"] == "Hopper"
    assert org.link("contact", contact_id)["sf_id"] == sf_contact["Id"]


def test_R3_create_as_lead_writes_company_and_touches_no_account(org: Org) -> None:
    org.settings(enabled=True, contacts={"create_as": "lead"})
    account_id = _account(org, name="Analytical Engines Ltd")
    contact_id = _contact(org, last_name="Lovelace", email="ada@ae.co.uk", account_id=account_id)
    lone_id = _contact(org, last_name="Babbage", email="charles@ae.co.uk")
    org.drain()
    leads = {lead["LastName"]: lead for lead in org.sf_records("Lead")}
    assert leads["Lovelace"]["Company"] == "Analytical Engines Ltd"
    assert leads["Babbage"]["Company"] == "[not provided]"
    assert leads["Lovelace"]["LeadSource"] == "Pushforce"
    assert org.link("contact", contact_id)["sobject"] == "Lead"
    assert org.link("contact", lone_id)["sobject"] == "Lead"
    # the account's own job pushes it by the account settings; the lead never refers to it
    assert "AccountId" not in leads["Lovelace"]


def test_R4_the_account_comes_along_even_when_account_push_is_off(org: Org) -> None:
    org.settings(enabled=True, accounts={"push_new": False})
    account_id = _account(org, name="Difference Inc", website="https://difference.example")
    contact_id = _contact(org, last_name="Lovelace", account_id=account_id)
    org.drain()
    [sf_account] = org.sf_records("Account")
    [sf_contact] = org.sf_records("Contact")
    assert sf_account["Name"] == "Difference Inc"
    assert sf_contact["AccountId"] == sf_account["Id"]
    assert org.link("account", account_id)["sf_id"] == sf_account["Id"]
    assert org.link("contact", contact_id)["sf_id"] == sf_contact["Id"]


def test_R5_an_existing_account_is_matched_by_domain_and_linked_not_duplicated(org: Org) -> None:
    [existing] = org.lf.control.seed(
        {"Account": [{"Name": "ACME Corporation", "Website": "www.acme.com"}]}
    )["Account"]
    account_id = _account(org, name="Acme", website="https://acme.com/about")
    org.drain()
    assert [a["Id"] for a in org.sf_records("Account")] == [existing]
    assert org.link("account", account_id)["sf_id"] == existing
    entry = next(e for e in org.log(kind="account") if e["decision"] == "match")
    assert "domain acme.com" in entry["reason"]


def test_R6_a_person_already_in_salesforce_is_linked_and_updated_not_created(org: Org) -> None:
    ids = org.lf.control.seed(
        {"Contact": [{"LastName": "Old", "Email": "grace@navy.mil"}]}, validate=True
    )["Contact"]
    contact_id = _contact(org, first_name="Grace", last_name="Hopper", email="grace@navy.mil")
    org.drain()
    contacts = org.sf_records("Contact")
    assert [c["Id"] for c in contacts] == ids
    assert org.link("contact", contact_id)["sf_id"] == ids[0]
    match = next(e for e in org.log(kind="contact") if e["decision"] == "match")
    assert "Contact email grace@navy.mil" in match["reason"]


def test_R7_a_guessed_email_is_not_written_until_verified(org: Org) -> None:
    contact_id = _contact(
        org, last_name="Guess", email="maybe@guess.example", email_status="guessed"
    )
    org.drain()
    [sf_contact] = org.sf_records("Contact")
    assert "Email" not in sf_contact
    _change(org, "contact", contact_id, email_status="verified")
    org.drain()
    assert org.sf_record(sf_contact["Id"])["Email"] == "maybe@guess.example"


def test_R8_the_source_is_stamped_on_create_only(org: Org) -> None:
    contact_id = _contact(org, last_name="Source", email="s@source.example")
    org.drain()
    [sf_contact] = org.sf_records("Contact")
    assert sf_contact["LeadSource"] == "Pushforce"
    sf = org.lf.simple_salesforce()
    sf.Contact.update(sf_contact["Id"], {"LeadSource": "Web"})
    _change(org, "contact", contact_id, title="Admiral")
    org.drain()
    after = org.sf_record(sf_contact["Id"])
    assert (after["Title"], after["LeadSource"]) == ("Admiral", "Web")


def test_R11_a_manual_push_overrides_the_filter_and_logs_the_user(org: Org) -> None:
    org.settings(enabled=False, contacts={"stage_filter": ["Customer"]})
    contact_id = _contact(org, last_name="Manual", email="m@manual.example", stage="New")
    org.drain()
    assert org.sf_records("Contact") == []
    result = org.push("contact", contact_id, actor="rep@example.com")
    [sf_contact] = org.sf_records("Contact")
    assert (result.status, result.operation, result.sf_id) == (
        "pushed",
        "created",
        sf_contact["Id"],
    )
    assert result.url is not None and result.url.endswith(sf_contact["Id"])
    entry = org.log(kind="contact")[0]
    assert (entry["trigger"], entry["actor"], entry["outcome"]) == (
        "manual",
        "rep@example.com",
        "created",
    )
    assert org.jobs() == []  # the manual slot is released
    again = org.push("contact", contact_id)
    assert again.status == "unchanged" and again.sf_id == sf_contact["Id"]
