"""R13 emails → Task: the four toggles, one Task per person in Salesforce, participants created
first (push_when_participant_missing) or skipped, WhoId/WhatId for Contacts and Leads."""

from __future__ import annotations

import pytest
from activity_helpers import add, email, linked_person, log_of, sf_id_of, tasks_of
from harness import Org

TOGGLES = [
    ("outgoing_sent_in_app", {"direction": "outgoing", "sent_in_app": True}),
    ("outgoing_not_sent_in_app", {"direction": "outgoing", "sent_in_app": False}),
    (
        "incoming_replies_to_app_emails",
        {"direction": "incoming", "sent_in_app": False, "reply_to_app_email": True},
    ),
    (
        "incoming_other",
        {"direction": "incoming", "sent_in_app": False, "reply_to_app_email": False},
    ),
]


def _email_of_kind(org: Org, person: str, kind: dict[str, object]) -> int:
    if kind["direction"] == "incoming":
        return email(org, ["rep@pushforce.io"], from_address=person, **kind)
    return email(org, [person], **kind)


@pytest.mark.parametrize(("toggle", "kind"), TOGGLES, ids=[t for t, _ in TOGGLES])
def test_R13_each_email_toggle_on_pushes_a_completed_email_task(
    org: Org, toggle: str, kind: dict[str, object]
) -> None:
    org.settings(enabled=True, activities={"emails": {toggle: True}})
    contact_id = linked_person(org, "grace@navy.mil")
    email_id = _email_of_kind(org, "grace@navy.mil", kind)
    org.drain()
    who = sf_id_of(org, "contact", contact_id)
    [task] = tasks_of(org, who)
    assert task["TaskSubtype"] == "Email" and task["Type"] == "Email"
    assert (task["Status"], task["Subject"]) == ("Completed", "Email: Pricing")
    assert (task["Description"], task["ActivityDate"]) == ("Here is our offer.", "2026-11-20")
    assert task["Pushforce_Id__c"] == f"pf-{org.team_id}-email-{email_id}-p{contact_id}"
    [entry] = log_of(org, "email", email_id)
    assert (entry["decision"], entry["outcome"], entry["sf_id"]) == (
        "create",
        "created",
        task["Id"],
    )


@pytest.mark.parametrize(("toggle", "kind"), TOGGLES, ids=[t for t, _ in TOGGLES])
def test_R13_each_email_toggle_off_skips_the_email_with_its_reason(
    org: Org, toggle: str, kind: dict[str, object]
) -> None:
    org.settings(enabled=True, activities={"emails": {toggle: False}})
    linked_person(org, "grace@navy.mil")
    email_id = _email_of_kind(org, "grace@navy.mil", kind)
    org.drain()
    assert org.sf_records("Task") == []
    [entry] = log_of(org, "email", email_id)
    assert entry["outcome"] == "skipped"
    assert entry["reason"].startswith("activity_type_off")
    assert org.jobs() == []


def test_R13_one_task_per_person_in_salesforce_among_sender_and_recipients(org: Org) -> None:
    grace = linked_person(org, "grace@navy.mil")
    ada = linked_person(org, "ada@analytical.org", account="Analytical")
    email_id = email(
        org,
        ["grace@navy.mil"],
        cc_addresses=["ada@analytical.org", "stranger@elsewhere.io"],
    )
    org.drain()
    tasks = org.sf_records("Task")
    assert sorted(t["WhoId"] for t in tasks) == sorted(
        [sf_id_of(org, "contact", grace), sf_id_of(org, "contact", ada)]
    )
    assert {t["WhatId"] for t in tasks} == {
        org.link("account", add_id)["sf_id"] for add_id in _accounts_of(org)
    }
    created = [e for e in log_of(org, "email", email_id) if e["outcome"] == "created"]
    assert len(created) == 2


def _accounts_of(org: Org) -> list[int]:
    return [row["record_id"] for row in org.links().values() if row["kind"] == "account"]


def test_R13_missing_participants_are_created_first_even_with_contact_push_off(org: Org) -> None:
    org.settings(
        enabled=True,
        contacts={"push_new": False},
        activities={"emails": {"push_when_participant_missing": True}},
    )
    grace = linked_person_forced(org, "grace@navy.mil")
    newcomer = add(org, "contact", last_name="Lovelace", email="ada@analytical.org")
    org.drain()
    assert len(org.sf_records("Contact")) == 1  # push_new is off: the newcomer stays out
    email_id = email(org, ["grace@navy.mil", "ada@analytical.org"])
    org.drain()
    [created] = [c for c in org.sf_records("Contact") if c["Email"] == "ada@analytical.org"]
    [person_entry] = [e for e in org.log(kind="contact", record_id=newcomer) if e["sf_id"]]
    assert person_entry["outcome"] == "created"
    assert f"created because of email {email_id}" in person_entry["reason"]
    assert log_of(org, "email", email_id)[0]["outcome"] == "deferred"
    org.clock.advance(seconds=10)
    org.drain()
    who_ids = sorted(t["WhoId"] for t in org.sf_records("Task"))
    assert who_ids == sorted([sf_id_of(org, "contact", grace), created["Id"]])
    assert org.jobs() == []


def test_R13_missing_participants_created_first_even_when_their_stage_is_filtered(
    org: Org,
) -> None:
    org.settings(
        enabled=True,
        contacts={"create_as": "lead", "stage_filter": ["Qualified"]},
        activities={"emails": {"push_when_participant_missing": True}},
    )
    newcomer = add(org, "contact", last_name="Lovelace", email="ada@analytical.org", stage="New")
    org.drain()
    assert org.sf_records("Lead") == []
    assert org.log(kind="contact", record_id=newcomer)[0]["reason"].startswith("stage_filtered")
    email_id = email(org, ["ada@analytical.org"])
    org.drain()
    org.clock.advance(seconds=10)
    org.drain()
    [lead] = org.sf_records("Lead")  # created as create_as says
    [task] = org.sf_records("Task")
    assert (task["WhoId"], task.get("WhatId")) == (lead["Id"], None)
    assert org.link("contact", newcomer)["sobject"] == "Lead"
    assert any(e["outcome"] == "created" for e in log_of(org, "email", email_id))


def test_R13_without_participant_creation_missing_people_are_skipped_and_logged(
    org: Org,
) -> None:
    newcomer = add(org, "contact", last_name="Lovelace", email="ada@analytical.org")
    org.settings(enabled=True, contacts={"push_new": False})
    email_id = email(org, ["ada@analytical.org"])
    org.drain()
    assert org.sf_records("Task") == [] and org.sf_records("Contact") == []
    [entry] = log_of(org, "email", email_id)
    assert entry["outcome"] == "skipped"
    assert entry["reason"].startswith("person_not_in_salesforce")
    assert org.log(kind="contact", record_id=newcomer)[0]["outcome"] == "skipped"


def linked_person_forced(org: Org, address: str) -> int:
    """A contact linked by a manual push (R11: push_new does not hold a manual push back)."""
    account_id = add(org, "account", name="Navy")
    contact_id = add(org, "contact", last_name="Hopper", email=address, account_id=account_id)
    org.push("contact", contact_id)
    return contact_id


def test_R13_a_lead_gets_the_whoid_and_never_a_whatid(org: Org) -> None:
    org.settings(enabled=True, contacts={"create_as": "lead"})
    contact_id = linked_person(org, "grace@navy.mil")
    assert org.link("contact", contact_id)["sobject"] == "Lead"
    email(org, ["grace@navy.mil"])
    org.drain()
    [task] = org.sf_records("Task")
    assert task["WhoId"] == sf_id_of(org, "contact", contact_id)
    assert task.get("WhatId") is None


def test_R13_a_contact_gets_its_account_as_whatid_unless_associate_with_leaves_it_out(
    org: Org,
) -> None:
    contact_id = linked_person(org, "grace@navy.mil")
    first = email(org, ["grace@navy.mil"], subject="One")
    org.drain()
    org.settings(enabled=True, activities={"associate_with": ["contact"]})
    email(org, ["grace@navy.mil"], subject="Two")
    org.drain()
    tasks = {t["Subject"]: t for t in org.sf_records("Task")}
    account_sf_id = tasks["Email: One"]["WhatId"]
    assert account_sf_id and account_sf_id.startswith("001")
    assert tasks["Email: One"]["AccountId"] == account_sf_id
    assert tasks["Email: Two"].get("WhatId") is None
    assert tasks["Email: Two"]["WhoId"] == sf_id_of(org, "contact", contact_id)
    assert first


def test_R13_a_participant_left_out_is_logged_and_gets_the_email_once_linked(org: Org) -> None:
    org.settings(enabled=True, contacts={"push_new": False})
    grace = linked_person_forced(org, "grace@navy.mil")
    ada = add(org, "contact", last_name="Lovelace", email="ada@analytical.org")
    email_id = email(org, ["grace@navy.mil", "ada@analytical.org"])
    org.drain()
    [task] = org.sf_records("Task")
    assert task["WhoId"] == sf_id_of(org, "contact", grace)
    [left_out] = [e for e in log_of(org, "email", email_id) if e["outcome"] == "skipped"]
    assert left_out["external_id"] == f"pf-{org.team_id}-email-{email_id}-p{ada}"
    assert "ada@analytical.org is not in Salesforce" in left_out["reason"]
    org.push("contact", ada)  # first linked: the email follows (R13 backfill)
    org.drain()
    who_ids = sorted(t["WhoId"] for t in org.sf_records("Task"))
    assert who_ids == sorted([sf_id_of(org, "contact", grace), sf_id_of(org, "contact", ada)])


def test_R13_the_body_is_cut_to_32000_characters_and_the_subject_to_255(org: Org) -> None:
    linked_person(org, "grace@navy.mil")
    email(org, ["grace@navy.mil"], subject="S" * 300, body="b" * 40_000)
    org.drain()
    [task] = org.sf_records("Task")
    assert len(task["Description"]) == 32_000
    assert len(task["Subject"]) == 255 and task["Subject"].startswith("Email: SSS")
