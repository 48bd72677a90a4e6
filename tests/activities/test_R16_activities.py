"""R16 for activities: a retry never makes a second Task, Event or ContentNote. Task and Event
carry Pushforce_Id__c (an upsert where it is an External ID, a look-up on it before any retry
where it is a plain field); without it the look-up matches Subject, WhoId and date; a
ContentNote is found again by its title among the notes nothing links to yet."""

from __future__ import annotations

from activity_helpers import add, email, linked_person, log_of, sf_id_of
from harness import Org

COMMIT_THEN_FAIL = {"kind": "commit_then_fail", "path": "composite/sobjects", "count": 1}


def _fail_next(org: Org, sobject: str) -> None:
    org.lf.control.add_fault({**COMMIT_THEN_FAIL, "object": sobject})


def _queries(org: Org, since: int) -> list[str]:
    return [str(r.get("query") or r.get("path")) for r in org.requests(since)]


def _email_after_commit_then_fail(org: Org) -> tuple[int, int, int]:
    contact_id = linked_person(org, "grace@navy.mil")
    _fail_next(org, "Task")
    since = len(org.requests())
    email_id = email(org, ["grace@navy.mil"])
    org.drain()
    return contact_id, email_id, since


def test_R16_a_plain_pushforce_id_is_looked_up_before_any_retry(org: Org) -> None:
    contact_id, email_id, since = _email_after_commit_then_fail(org)
    [task] = org.sf_records("Task")
    key = f"pf-{org.team_id}-email-{email_id}-p{contact_id}"
    assert task["Pushforce_Id__c"] == key
    assert org.links()[key]["sf_id"] == task["Id"]  # found by the look-up, linked
    assert any("Pushforce_Id__c" in q and key in q for q in _queries(org, since))
    assert org.jobs() == []
    org.clock.advance(hours=1)
    org.drain()
    assert len(org.sf_records("Task")) == 1
    assert log_of(org, "email", email_id)[-1]["outcome"] == "created"


def test_R16_an_external_id_on_task_upserts_and_an_ambiguous_upsert_is_looked_up(
    upsert_org: Org,
) -> None:
    org = upsert_org
    contact_id, email_id, since = _email_after_commit_then_fail(org)
    [task] = org.sf_records("Task")
    key = f"pf-{org.team_id}-email-{email_id}-p{contact_id}"
    assert task["Pushforce_Id__c"] == key
    # upserting it again would be an update Salesforce refuses (TaskSubtype is create-only)
    assert org.links()[key]["sf_id"] == task["Id"]
    assert any("Pushforce_Id__c" in q and key in q for q in _queries(org, since))
    [entry] = log_of(org, "email", email_id)
    assert (entry["operation"], entry["outcome"]) == ("upsert", "created")
    org.clock.advance(hours=1)
    org.drain()
    assert len(org.sf_records("Task")) == 1
    assert org.jobs() == []


def test_R16_without_pushforce_id_the_task_is_found_by_subject_who_and_date(
    bare_org: Org,
) -> None:
    org = bare_org
    contact_id, email_id, since = _email_after_commit_then_fail(org)
    [task] = org.sf_records("Task")
    assert "Pushforce_Id__c" not in task
    key = f"pf-{org.team_id}-email-{email_id}-p{contact_id}"
    assert org.links()[key]["sf_id"] == task["Id"]
    assert any("WhoId" in q and "Subject" in q for q in _queries(org, since))
    org.clock.advance(hours=1)
    org.drain()
    assert len(org.sf_records("Task")) == 1


def test_R16_a_content_note_is_found_again_by_title_before_a_retry(bare_org: Org) -> None:
    org = bare_org
    contact_id = linked_person(org, "grace@navy.mil")
    other = add(org, "note", title="Minutes", body="earlier note", contact_id=contact_id)
    org.drain()  # a note with the same title, already linked: never taken for the new one
    _fail_next(org, "ContentNote")
    note_id = add(org, "note", title="Minutes", body="the new one", contact_id=contact_id)
    org.drain()
    org.clock.advance(hours=1)
    org.drain()
    notes = org.sf_records("ContentNote")
    assert len(notes) == 2
    mine = org.link("note", note_id)["sf_id"]
    assert mine != org.link("note", other)["sf_id"]
    linked_to = {
        link["LinkedEntityId"]
        for link in org.sf_records("ContentDocumentLink")
        if link["ContentDocumentId"] == mine
    }
    assert sf_id_of(org, "contact", contact_id) in linked_to
    assert org.jobs() == []


def test_R16_a_content_document_link_is_found_again_before_a_retry(bare_org: Org) -> None:
    org = bare_org
    contact_id = linked_person(org, "grace@navy.mil")
    _fail_next(org, "ContentDocumentLink")
    note_id = add(org, "note", title="Minutes", body="text", contact_id=contact_id)
    org.drain()
    org.clock.advance(hours=1)
    org.drain()
    [note] = org.sf_records("ContentNote")
    pairs = [
        (link["ContentDocumentId"], link["LinkedEntityId"])
        for link in org.sf_records("ContentDocumentLink")
    ]
    assert len(pairs) == len(set(pairs)) == 2  # the person and the account, once each
    assert org.link("note", note_id)["sf_id"] == note["Id"]
    assert org.jobs() == []


def test_R16_an_event_after_commit_then_fail_is_not_created_twice(upsert_org: Org) -> None:
    org = upsert_org
    contact_id = linked_person(org, "grace@navy.mil")
    _fail_next(org, "Event")
    meeting_id = add(
        org,
        "meeting",
        source="scheduled_in_app",
        title="Review",
        starts_at="2026-11-24T14:00:00Z",
        ends_at="2026-11-24T15:00:00Z",
        participants=["grace@navy.mil"],
    )
    org.drain()
    org.clock.advance(hours=1)
    org.drain()
    [event] = org.sf_records("Event")
    key = f"pf-{org.team_id}-meeting-{meeting_id}-p{contact_id}"
    assert (event["Pushforce_Id__c"], org.links()[key]["sf_id"]) == (key, event["Id"])
    assert org.jobs() == []
