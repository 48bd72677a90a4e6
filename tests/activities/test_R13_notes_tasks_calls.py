"""R13 notes → ContentNote + ContentDocumentLinks, tasks and calls → Task; R14: a change to a
pushed activity updates it, a delete in Pushforce leaves Salesforce alone."""

from __future__ import annotations

import base64

from activity_helpers import add, edit, linked_person, log_of, remove, sf_id_of
from harness import Org


def _links_of(org: Org, note_sf_id: str) -> set[str]:
    return {
        link["LinkedEntityId"]
        for link in org.sf_records("ContentDocumentLink")
        if link["ContentDocumentId"] == note_sf_id
    }


def test_R13_a_note_becomes_a_content_note_linked_to_the_person_and_the_account(
    org: Org,
) -> None:
    contact_id = linked_person(org, "grace@navy.mil")
    account_id = org.links()[f"pf-{org.team_id}-contact-{contact_id}"] and _account_of(org)
    note_id = add(
        org, "note", title="Kick-off", body="Wants <b>COBOL</b>\nsoon", contact_id=contact_id
    )
    org.drain()
    [note] = org.sf_records("ContentNote")
    assert note["Id"].startswith("069") and note["Title"] == "Kick-off"
    assert "COBOL" in base64.b64decode(note["Content"]).decode()
    assert note["FileType"] == "SNOTE"
    assert _links_of(org, note["Id"]) == {
        sf_id_of(org, "contact", contact_id),
        sf_id_of(org, "account", account_id),
    }
    assert all(
        (link["ShareType"], link["Visibility"]) == ("V", "AllUsers")
        for link in org.sf_records("ContentDocumentLink")
    )
    assert org.link("note", note_id)["sf_id"] == note["Id"]
    outcomes = [(e["sobject"], e["outcome"]) for e in log_of(org, "note", note_id)]
    assert sorted(outcomes) == sorted(
        [
            ("ContentNote", "created"),
            ("ContentDocumentLink", "created"),
            ("ContentDocumentLink", "created"),
        ]
    )


def _account_of(org: Org) -> int:
    [account] = [row for row in org.links().values() if row["kind"] == "account"]
    return int(account["record_id"])


def test_R13_a_note_on_the_person_profile_only_links_the_person(org: Org) -> None:
    org.settings(enabled=True, activities={"associate_with": ["contact"]})
    contact_id = linked_person(org, "grace@navy.mil")
    add(org, "note", title="Call notes", body="Later", contact_id=contact_id)
    org.drain()
    [note] = org.sf_records("ContentNote")
    assert _links_of(org, note["Id"]) == {sf_id_of(org, "contact", contact_id)}


def test_R13_a_note_on_a_lead_links_the_lead(org: Org) -> None:
    org.settings(enabled=True, contacts={"create_as": "lead"})
    contact_id = linked_person(org, "grace@navy.mil")
    add(org, "note", title="Lead note", body="Hot lead", contact_id=contact_id)
    org.drain()
    [note] = org.sf_records("ContentNote")
    lead_id = sf_id_of(org, "contact", contact_id)
    assert lead_id.startswith("00Q")
    assert _links_of(org, note["Id"]) == {lead_id}


def test_R13_R14_editing_a_note_updates_its_content_note(org: Org) -> None:
    contact_id = linked_person(org, "grace@navy.mil")
    note_id = add(org, "note", title="Draft", body="first", contact_id=contact_id)
    org.drain()
    edit(org, "note", note_id, title="Final", body="second")
    org.drain()
    [note] = org.sf_records("ContentNote")
    assert note["Title"] == "Final"
    assert base64.b64decode(note["Content"]).decode() == "second"
    assert len(org.sf_records("ContentDocumentLink")) == 2
    assert log_of(org, "note", note_id)[-1]["outcome"] == "updated"


def test_R13_a_task_becomes_a_task_and_completing_it_updates_it(org: Org) -> None:
    org.settings(
        enabled=True,
        activities={
            "tasks": {"title_template": "{{task_type}}: {{task_title}} ({{contact_name}})"}
        },
    )
    contact_id = linked_person(org, "grace@navy.mil")
    task_id = add(
        org,
        "task",
        task_type="action_item",
        title="Send the proposal",
        description="Include pricing",
        due_date="2026-12-01",
        status="open",
        priority="high",
        contact_id=contact_id,
    )
    org.drain()
    [task] = org.sf_records("Task")
    assert task["TaskSubtype"] == "Task"
    assert task["Subject"] == "Action item: Send the proposal (Grace)"
    assert (task["Status"], task["Priority"], task["ActivityDate"]) == (
        "Not Started",
        "High",
        "2026-12-01",
    )
    assert task["Description"] == "Include pricing" and task["IsClosed"] is False
    assert task["WhoId"] == sf_id_of(org, "contact", contact_id)
    assert task["WhatId"] == sf_id_of(org, "account", _account_of(org))
    edit(org, "task", task_id, status="completed", priority="low")
    org.drain()
    [done] = org.sf_records("Task")
    assert done["Id"] == task["Id"]
    assert (done["Status"], done["Priority"], done["IsClosed"]) == ("Completed", "Low", True)
    [update] = [e for e in log_of(org, "task", task_id) if e["decision"] == "update"]
    assert (update["outcome"], update["sf_id"]) == ("updated", task["Id"])


def test_R13_a_call_becomes_a_call_task_with_its_call_fields(org: Org) -> None:
    contact_id = linked_person(org, "grace@navy.mil")
    call_id = add(
        org,
        "call",
        direction="inbound",
        duration_seconds=754,
        disposition="Left voicemail",
        purpose="Follow-up",
        notes="Asked for a demo",
        contact_id=contact_id,
        started_at="2026-11-21T15:30:00Z",
    )
    org.drain()
    [task] = org.sf_records("Task")
    assert (task["TaskSubtype"], task["Type"], task["Status"]) == ("Call", "Call", "Completed")
    assert task["Subject"] == "Call: Left voicemail (inbound)"
    assert (task["CallType"], task["CallDurationInSeconds"]) == ("Inbound", 754)
    assert task["CallDisposition"] == "Left voicemail"
    assert (task["Description"], task["ActivityDate"]) == ("Asked for a demo", "2026-11-21")
    assert org.link("call", call_id)["sf_id"] == task["Id"]


def test_R13_calls_off_skips_calls_with_the_reason(org: Org) -> None:
    org.settings(enabled=True, activities={"calls": {"push": False}})
    contact_id = linked_person(org, "grace@navy.mil")
    call_id = add(
        org,
        "call",
        direction="outbound",
        duration_seconds=5,
        contact_id=contact_id,
        started_at="2026-11-21T15:30:00Z",
    )
    org.drain()
    assert org.sf_records("Task") == []
    assert log_of(org, "call", call_id)[0]["reason"].startswith("activity_type_off")


def test_R14_deleting_a_pushed_activity_in_pushforce_leaves_salesforce_alone(org: Org) -> None:
    contact_id = linked_person(org, "grace@navy.mil")
    task_id = add(
        org,
        "task",
        task_type="other",
        title="Ping",
        status="open",
        priority="normal",
        contact_id=contact_id,
    )
    note_id = add(org, "note", title="Keep", body="me", contact_id=contact_id)
    org.drain()
    calls_before = org.api_calls()
    remove(org, "task", task_id)
    remove(org, "note", note_id)
    org.drain()
    assert len(org.sf_records("Task")) == 1
    assert len(org.sf_records("ContentNote")) == 1
    assert org.api_calls() == calls_before
    assert org.jobs() == []
