"""R13 meetings → Event (scheduled in Pushforce: meetings.push; calendar events with nobody in
Salesforce: push_all_calendar_events, which creates the people) and conversations → a call
summary ContentNote on the deal's Opportunity (push_call_summaries)."""

from __future__ import annotations

import base64
from typing import Any

from activity_helpers import add, edit, linked_person, log_of, sf_id_of
from harness import Org

MEETING = {
    "title": "Design review",
    "starts_at": "2026-11-24T14:00:00Z",
    "ends_at": "2026-11-24T15:30:00Z",
    "location": "Room 42",
    "description": "Walk through the schema",
}


def _meeting(org: Org, source: str, participants: list[str], **values: Any) -> int:
    return add(org, "meeting", source=source, participants=participants, **{**MEETING, **values})


def test_R13_a_meeting_scheduled_in_pushforce_becomes_an_event_per_person(org: Org) -> None:
    grace = linked_person(org, "grace@navy.mil")
    meeting_id = _meeting(org, "scheduled_in_app", ["grace@navy.mil", "someone@else.io"])
    org.drain()
    [event] = org.sf_records("Event")
    assert (event["Subject"], event["Location"]) == ("Design review", "Room 42")
    assert event["StartDateTime"].startswith("2026-11-24T14:00:00")
    assert event["EndDateTime"].startswith("2026-11-24T15:30:00")
    assert (event["DurationInMinutes"], event["Description"]) == (90, "Walk through the schema")
    assert event["WhoId"] == sf_id_of(org, "contact", grace)
    assert event["WhatId"].startswith("001")
    assert event["Pushforce_Id__c"] == f"pf-{org.team_id}-meeting-{meeting_id}-p{grace}"
    edit(org, "meeting", meeting_id, location="Room 7")
    org.drain()
    [moved] = org.sf_records("Event")
    assert (moved["Id"], moved["Location"]) == (event["Id"], "Room 7")
    assert log_of(org, "meeting", meeting_id)[-1]["outcome"] == "updated"


def test_R13_meetings_off_skips_meetings_scheduled_in_pushforce(org: Org) -> None:
    org.settings(enabled=True, activities={"meetings": {"push": False}})
    linked_person(org, "grace@navy.mil")
    meeting_id = _meeting(org, "scheduled_in_app", ["grace@navy.mil"])
    org.drain()
    assert org.sf_records("Event") == []
    assert log_of(org, "meeting", meeting_id)[0]["reason"].startswith("activity_type_off")


def test_R13_a_calendar_event_with_nobody_in_salesforce_is_skipped_by_default(org: Org) -> None:
    add(org, "contact", last_name="Lovelace", email="ada@analytical.org")
    org.settings(enabled=True, contacts={"push_new": False})
    meeting_id = _meeting(org, "calendar", ["ada@analytical.org"])
    org.drain()
    assert org.sf_records("Event") == [] and org.sf_records("Contact") == []
    [entry] = log_of(org, "meeting", meeting_id)
    assert entry["reason"].startswith("person_not_in_salesforce")


def test_R13_push_all_calendar_events_creates_the_people_then_the_event(org: Org) -> None:
    org.settings(
        enabled=True,
        contacts={"push_new": False},
        activities={"meetings": {"push_all_calendar_events": True}},
    )
    ada = add(org, "contact", last_name="Lovelace", email="ada@analytical.org")
    org.drain()
    assert org.sf_records("Contact") == []
    meeting_id = _meeting(org, "calendar", ["ada@analytical.org"])
    org.drain()
    [contact] = org.sf_records("Contact")
    created = [e for e in org.log(kind="contact", record_id=ada) if e["outcome"] == "created"]
    assert f"created because of meeting {meeting_id}" in created[0]["reason"]
    org.clock.advance(seconds=10)
    org.drain()
    [event] = org.sf_records("Event")
    assert event["WhoId"] == contact["Id"] == sf_id_of(org, "contact", ada)
    assert org.jobs() == []


def _deal(org: Org, linked: bool) -> int:
    account_id = add(org, "account", name="Navy")
    deal_id = add(
        org,
        "deal",
        name="Navy COBOL",
        account_id=account_id,
        close_date="2026-12-31",
        amount="1200.00",
    )
    if not linked:
        return deal_id
    org.drain()
    assert org.link("deal", deal_id)["sobject"] == "Opportunity"
    return deal_id


def _conversation(org: Org, deal_id: int) -> int:
    return add(
        org,
        "conversation",
        title="Discovery call",
        summary="They need a migration plan.\nBudget approved.",
        participants=["grace@navy.mil"],
        deal_id=deal_id,
        occurred_at="2026-11-22T09:00:00Z",
    )


def test_R13_call_summaries_go_on_the_deals_opportunity(org: Org) -> None:
    org.settings(enabled=True, activities={"conversations": {"push_call_summaries": True}})
    deal_id = _deal(org, linked=True)
    conversation_id = _conversation(org, deal_id)
    org.drain()
    [note] = org.sf_records("ContentNote")
    assert note["Title"] == "Discovery call"
    assert "Budget approved." in base64.b64decode(note["Content"]).decode()
    [link] = org.sf_records("ContentDocumentLink")
    assert (link["ContentDocumentId"], link["LinkedEntityId"]) == (
        note["Id"],
        sf_id_of(org, "deal", deal_id),
    )
    assert org.link("conversation", conversation_id)["sf_id"] == note["Id"]


def test_R13_a_call_summary_of_a_deal_not_in_salesforce_is_skipped_with_the_reason(
    org: Org,
) -> None:
    org.settings(
        enabled=True,
        deals={"push_new": False},
        activities={"conversations": {"push_call_summaries": True}},
    )
    deal_id = _deal(org, linked=False)
    conversation_id = _conversation(org, deal_id)
    org.drain()
    assert org.sf_records("ContentNote") == [] and org.sf_records("Opportunity") == []
    [entry] = log_of(org, "conversation", conversation_id)
    assert entry["reason"].startswith("deal_not_in_salesforce")


def test_R13_call_summaries_are_off_by_default(org: Org) -> None:
    deal_id = _deal(org, linked=True)
    conversation_id = _conversation(org, deal_id)
    org.drain()
    assert org.sf_records("ContentNote") == []
    assert log_of(org, "conversation", conversation_id)[0]["reason"].startswith("activity_type_off")


def test_R13_a_calendar_event_with_someone_in_salesforce_is_pushed_for_them(org: Org) -> None:
    grace = linked_person(org, "grace@navy.mil")
    add(org, "contact", last_name="Lovelace", email="ada@analytical.org")
    org.settings(enabled=True, contacts={"push_new": False})
    meeting_id = _meeting(org, "calendar", ["grace@navy.mil", "ada@analytical.org"])
    org.drain()
    [event] = org.sf_records("Event")  # Ada is not created: push_all_calendar_events is off
    assert event["WhoId"] == sf_id_of(org, "contact", grace)
    assert len(org.sf_records("Contact")) == 1
    outcomes = sorted(e["outcome"] for e in log_of(org, "meeting", meeting_id))
    assert outcomes == ["created", "skipped"]
