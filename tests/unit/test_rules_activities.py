"""R13 — activities: every email toggle, WhoId/WhatId with leads and contacts, participants,
notes, tasks, calls, meetings by source, call summaries; plus R1/R11/R14/R15 for activities."""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

import pytest
from _planfactory import (
    ACCOUNT_ID,
    NOW,
    ON,
    OPP_ID,
    TEAM,
    account,
    contact,
    link,
    person,
    settings,
    sf_id,
)

from pushforce.core.activity_payloads import duration_text
from pushforce.core.backfill import in_backfill_window
from pushforce.core.decisions import (
    Create,
    Decision,
    Defer,
    MatchThenLinkOrCreate,
    SalesforceIdOf,
    Several,
    Skip,
    SkipReason,
    Trigger,
    Update,
)
from pushforce.core.plan_activities import email_toggle
from pushforce.core.planner import plan
from pushforce.core.records import (
    Call,
    Conversation,
    Email,
    Link,
    Meeting,
    Note,
    Person,
    PlanContext,
    Record,
    RecordRef,
    Task,
)
from pushforce.core.settings import PushSettings

ANN_ID, BOB_ID = sf_id("003", 2), sf_id("00Q", 4)
SENT = datetime(2026, 11, 20, 9, 30)


def _people() -> dict[str, Person]:
    acme = link("Account", ACCOUNT_ID)
    return {
        "ann@acme.com": person(contact(id=2), link("Contact", ANN_ID), account_link=acme),
        "bob@acme.com": person(
            contact(id=4, first_name="Bob", email="bob@acme.com"),
            link("Lead", BOB_ID),
            account_link=acme,
        ),
        "cat@acme.com": person(contact(id=5, first_name="Cat", email="cat@acme.com", stage="Cold")),
        "dan@acme.com": person(
            contact(id=6, first_name="Dan", email="dan@acme.com"),
            Link("Contact", sf_id("003", 6), state="deleted"),
        ),
    }


def _email(**fields: Any) -> Email:
    values: dict[str, Any] = {
        "id": 9,
        "team_id": TEAM,
        "direction": "outgoing",
        "sent_in_app": True,
        "from_address": "rep@team.io",
        "to_addresses": ("ann@acme.com",),
        "subject": "Hello",
        "body": "Hi Ann",
        "sent_at": SENT,
        "owner_id": 1,
    }
    return Email(**{**values, **fields})


def _plan(
    s: PushSettings, record: Record, trigger: Trigger = Trigger.CREATED, **context: Any
) -> Decision:
    context.setdefault("people", _people())
    context.setdefault("names", {1: "Rita Rep"})
    return plan(s, record, trigger, PlanContext(**context), NOW)


def _outcome(decision: Decision) -> str:
    return (
        f"skip:{decision.reason.value}" if isinstance(decision, Skip) else type(decision).__name__
    )


def _payloads(decision: Decision) -> dict[str, dict[str, object]]:
    parts = decision.parts if isinstance(decision, Several) else (decision,)
    return {p.external_id: dict(p.payload) for p in parts if isinstance(p, Create)}


# --- emails -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "sent_in_app", "reply", "toggle"),
    [
        ("outgoing", True, False, "outgoing_sent_in_app"),
        ("outgoing", False, False, "outgoing_not_sent_in_app"),
        ("outgoing", False, True, "outgoing_not_sent_in_app"),
        ("incoming", False, True, "incoming_replies_to_app_emails"),
        ("incoming", True, True, "incoming_replies_to_app_emails"),
        ("incoming", False, False, "incoming_other"),
    ],
)
@pytest.mark.parametrize("on", [True, False])
def test_R13_each_email_follows_its_toggle(
    direction: str, sent_in_app: bool, reply: bool, toggle: str, on: bool
) -> None:
    email = _email(direction=direction, sent_in_app=sent_in_app, reply_to_app_email=reply)
    assert email_toggle(email) == toggle
    decision = _plan(settings(enabled=True, **{f"activities__emails__{toggle}": on}), email)
    assert _outcome(decision) == ("Create" if on else "skip:activity_type_off")


@pytest.mark.parametrize(
    ("direction", "sent_in_app", "reply", "pushed_by_default"),
    [
        ("outgoing", True, False, True),
        ("outgoing", False, False, False),
        ("incoming", False, True, True),
        ("incoming", False, False, False),
    ],
)
def test_R13_email_toggle_defaults(
    direction: str, sent_in_app: bool, reply: bool, pushed_by_default: bool
) -> None:
    decision = _plan(
        ON, _email(direction=direction, sent_in_app=sent_in_app, reply_to_app_email=reply)
    )
    assert isinstance(decision, Create) is pushed_by_default


def test_R13_one_task_per_person_and_never_whatid_with_a_lead() -> None:
    email = _email(
        to_addresses=("Ann@Acme.com",),
        cc_addresses=("bob@acme.com", "stranger@x.org", "ann@acme.com"),
    )
    decision = _plan(ON, email)
    assert isinstance(decision, Several)
    common = {
        "TaskSubtype": "Email",
        "Type": "Email",
        "Status": "Completed",
        "Subject": "Email: Hello",
        "Description": "Hi Ann",
        "ActivityDate": "2026-11-20",
    }
    assert _payloads(decision) == {
        f"pf-{TEAM}-email-9-p2": {**common, "WhoId": ANN_ID, "WhatId": ACCOUNT_ID},
        f"pf-{TEAM}-email-9-p4": {**common, "WhoId": BOB_ID},
    }


@pytest.mark.parametrize(
    ("associate_with", "ann", "bob"),
    [
        (["contact", "account"], {"WhoId": ANN_ID, "WhatId": ACCOUNT_ID}, {"WhoId": BOB_ID}),
        (["contact"], {"WhoId": ANN_ID}, {"WhoId": BOB_ID}),
        (["account"], {"WhatId": ACCOUNT_ID}, None),
        ([], None, None),
    ],
)
def test_R13_associate_with(
    associate_with: list[str], ann: dict[str, str] | None, bob: dict[str, str] | None
) -> None:
    s = settings(enabled=True, activities__associate_with=associate_with)
    decision = _plan(s, _email(to_addresses=("ann@acme.com", "bob@acme.com")))
    attached = {
        key: {k: v for k, v in payload.items() if k in ("WhoId", "WhatId")}
        for key, payload in _payloads(decision).items()
    }
    expected = {
        key: value
        for key, value in ((f"pf-{TEAM}-email-9-p2", ann), (f"pf-{TEAM}-email-9-p4", bob))
        if value is not None
    }
    assert attached == expected
    if not expected:
        assert _outcome(decision) == "skip:nothing_to_attach"


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        (("ann@acme.com", "cat@acme.com"), "Several"),  # ann gets her Task, cat a logged skip
        (("cat@acme.com",), "skip:person_not_in_salesforce"),
        (("dan@acme.com",), "skip:person_not_in_salesforce"),  # deleted there: not re-created
        (("stranger@x.org",), "skip:no_participants"),
        ((), "skip:no_participants"),
    ],
)
def test_R13_participants_missing_without_the_setting(to: tuple[str, ...], expected: str) -> None:
    decision = _plan(ON, _email(to_addresses=to, from_address=None))
    assert _outcome(decision) == expected


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"contacts__push_new": False},
        {"contacts__stage_filter": ["Warm"]},
        {"contacts__create_as": "lead"},
    ],
)
def test_R13_push_when_participant_missing_creates_them_first(overrides: dict[str, Any]) -> None:
    s = settings(enabled=True, activities__emails__push_when_participant_missing=True, **overrides)
    email = _email(to_addresses=("ann@acme.com", "cat@acme.com", "dan@acme.com"))
    decision = _plan(s, email)
    assert isinstance(decision, Defer)
    assert decision.waiting_for == (RecordRef(TEAM, "contact", 5),)
    assert "cat@acme.com" in decision.message
    (created,) = decision.dependents
    assert isinstance(created, MatchThenLinkOrCreate)
    assert created.because_of == RecordRef(TEAM, "email", 9)
    assert created.sobject == (
        "Lead" if overrides.get("contacts__create_as") == "lead" else "Contact"
    )


def test_R13_a_participant_whose_push_failed_is_not_waited_for() -> None:
    people = _people()
    cat = people["cat@acme.com"]
    people["cat@acme.com"] = Person(cat.contact, None, cat.account, None, push_failed=True)
    s = settings(enabled=True, activities__emails__push_when_participant_missing=True)
    both = _plan(s, _email(to_addresses=("ann@acme.com", "cat@acme.com")), people=people)
    assert isinstance(both, Several)  # ann's Task, and cat's skip for the log
    [create] = [part for part in both.parts if isinstance(part, Create)]
    assert create.payload["WhoId"] == ANN_ID
    [left_out] = [part for part in both.parts if isinstance(part, Skip)]
    assert left_out.reason is SkipReason.PERSON_NOT_IN_SALESFORCE
    alone = _plan(s, _email(to_addresses=("cat@acme.com",)), people=people)
    assert _outcome(alone) == "skip:person_not_in_salesforce"


def test_R13_email_subject_template_variables() -> None:
    names = "direction sender_name sender_email recipient_name contact_name account_name date"
    template = "|".join(f"{{{{{name}}}}}" for name in [*names.split(), "owner_name", "deal_name"])
    s = settings(enabled=True, activities__emails__title_template=template)
    outgoing = _payloads(_plan(s, _email()))
    assert outgoing[f"pf-{TEAM}-email-9-p2"]["Subject"] == (
        "outgoing|Rita Rep|rep@team.io|Ann Lee|Ann Lee|Acme|2026-11-20|Rita Rep|"
    )
    incoming = _email(
        direction="incoming",
        reply_to_app_email=True,
        from_address="ann@acme.com",
        to_addresses=("rep@team.io",),
        sent_at=None,
        owner_id=None,
    )
    (payload,) = _payloads(_plan(s, incoming)).values()
    assert (
        payload["Subject"] == "incoming|Ann Lee|ann@acme.com|rep@team.io|Ann Lee|Acme|2026-11-27||"
    )
    assert payload["ActivityDate"] == "2026-11-27"  # no sent_at: the day it is planned


def test_R13_email_subject_and_body_limits() -> None:
    email = _email(subject="line one\nline two " + "x" * 400, body="b" * 40_000)
    (payload,) = _payloads(_plan(ON, email)).values()
    assert str(payload["Subject"]).startswith("Email: line one line two x")
    assert len(str(payload["Subject"])) == 255
    assert len(str(payload["Description"])) == 32_000


def test_R13_email_without_subject_or_body() -> None:
    (payload,) = _payloads(_plan(ON, _email(subject=None, body=None))).values()
    assert payload["Subject"] == "Email: "
    assert "Description" not in payload


# --- R1 / R11 / R14 / R15 for activities ------------------------------------------------------


def test_R1_a_pushed_activity_follows_changes_whatever_the_toggle() -> None:
    key = f"pf-{TEAM}-email-9-p2"
    (pushed,) = _payloads(_plan(ON, _email())).values()
    own = {key: Link("Task", sf_id("00T", 1), pushed_values=pushed)}
    s = settings(enabled=True, activities__emails__outgoing_sent_in_app=False)
    changed = _plan(s, _email(subject="Hello again"), Trigger.UPDATED, own=own)
    assert isinstance(changed, Update)
    assert changed.writes.overwrite == {"Subject": "Email: Hello again"}
    assert (changed.sobject, changed.sf_id, changed.external_id) == ("Task", sf_id("00T", 1), key)
    assert _outcome(_plan(s, _email(), Trigger.UPDATED, own=own)) == "skip:nothing_changed"
    assert (
        _outcome(_plan(settings(), _email(subject="x"), Trigger.UPDATED, own=own))
        == "skip:disabled"
    )


@pytest.mark.parametrize("trigger", [Trigger.MANUAL, Trigger.PUSH_ALL])
def test_R11_manual_push_of_an_activity_overrides_eligibility(trigger: Trigger) -> None:
    s = settings(enabled=False, activities__emails__outgoing_sent_in_app=False)
    assert _outcome(_plan(s, _email(), trigger)) == "Create"


@pytest.mark.parametrize(
    ("trigger", "expected"),
    [(Trigger.UPDATED, "skip:deleted_in_salesforce"), (Trigger.MANUAL, "Create")],
)
def test_R14_an_activity_deleted_in_salesforce(trigger: Trigger, expected: str) -> None:
    own = {f"pf-{TEAM}-email-9-p2": Link("Task", sf_id("00T", 1), state="deleted")}
    assert _outcome(_plan(ON, _email(), trigger, own=own)) == expected


def test_R14_a_converted_person_gets_the_activity_on_its_contact() -> None:
    people = _people()
    people["bob@acme.com"] = Person(
        people["bob@acme.com"].contact,
        Link("Lead", BOB_ID, state="converted", successor_id=sf_id("003", 4)),
        account(),
        link("Account", ACCOUNT_ID),
    )
    (payload,) = _payloads(
        _plan(ON, _email(to_addresses=("bob@acme.com",)), people=people)
    ).values()
    assert (payload["WhoId"], payload["WhatId"]) == (sf_id("003", 4), ACCOUNT_ID)


def test_R15_several_parts_update_create_and_skip_independently() -> None:
    first = _plan(ON, _email(to_addresses=("ann@acme.com", "bob@acme.com")))
    pushed = _payloads(first)
    own = {
        key: Link("Task", sf_id("00T", n), pushed_values=v)
        for n, (key, v) in enumerate(pushed.items())
    }
    unchanged = _plan(
        ON, _email(to_addresses=("ann@acme.com", "bob@acme.com")), Trigger.UPDATED, own=own
    )
    assert _outcome(unchanged) == "skip:nothing_changed"
    people = _people()
    people["cat@acme.com"] = Person(
        people["cat@acme.com"].contact, link("Contact", sf_id("003", 5))
    )
    mixed = _plan(
        ON,
        _email(to_addresses=("ann@acme.com", "bob@acme.com", "cat@acme.com"), body="new"),
        Trigger.UPDATED,
        own=own,
        people=people,
    )
    assert isinstance(mixed, Several)
    assert [_outcome(part) for part in mixed.parts] == ["Update", "Update", "Create"]


# --- tasks and calls --------------------------------------------------------------------------


def _task(**fields: Any) -> Task:
    values: dict[str, Any] = {
        "id": 11,
        "team_id": TEAM,
        "title": "Follow up",
        "contact_id": 2,
        "due_date": date(2026, 12, 1),
    }
    return Task(**{**values, **fields})


def _contacts(**links: Link | None) -> dict[int, Person]:
    return {2: person(contact(id=2), links.get("ann", link("Contact", ANN_ID)))}


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        (
            _task(),
            {"Subject": "Action item: Follow up", "Status": "Not Started", "Priority": "Normal"},
        ),
        (
            _task(task_type="call", status="completed", priority="high"),
            {"Subject": "Call: Follow up", "Status": "Completed", "Priority": "High"},
        ),
        (
            _task(task_type="email", priority="low", description="notes"),
            {
                "Subject": "Email: Follow up",
                "Status": "Not Started",
                "Priority": "Low",
                "Description": "notes",
            },
        ),
        (
            _task(task_type="other", title=None),
            {"Subject": "Other: ", "Status": "Not Started", "Priority": "Normal"},
        ),
    ],
)
def test_R13_tasks_become_tasks(task: Task, expected: dict[str, object]) -> None:
    decision = _plan(ON, task, contacts=_contacts(), account_link=link("Account", ACCOUNT_ID))
    assert isinstance(decision, Create)
    assert (decision.sobject, decision.external_id) == ("Task", f"pf-{TEAM}-task-11")
    assert decision.payload == {
        "TaskSubtype": "Task",
        "ActivityDate": "2026-12-01",
        "WhoId": ANN_ID,
        "WhatId": ACCOUNT_ID,
        **expected,
    }


@pytest.mark.parametrize(
    ("task", "context", "expected"),
    [
        (
            _task(),
            {
                "contacts": _contacts(ann=link("Lead", BOB_ID)),
                "account_link": link("Account", ACCOUNT_ID),
            },
            {"WhoId": BOB_ID},
        ),
        (
            _task(contact_id=None),
            {"account_link": link("Account", ACCOUNT_ID)},
            {"WhatId": ACCOUNT_ID},
        ),
        (_task(contact_id=None), {}, "skip:person_not_in_salesforce"),
        (
            _task(),
            {"contacts": _contacts(ann=None), "account_link": link("Account", ACCOUNT_ID)},
            "skip:person_not_in_salesforce",
        ),
        (_task(), {"account_link": link("Account", ACCOUNT_ID)}, "skip:person_not_in_salesforce"),
    ],
)
def test_R13_task_attachment(task: Task, context: dict[str, Any], expected: object) -> None:
    decision = _plan(ON, task, **context)
    if isinstance(expected, str):
        assert _outcome(decision) == expected
    else:
        assert isinstance(decision, Create)
        assert {k: v for k, v in decision.payload.items() if k in ("WhoId", "WhatId")} == expected


def test_R13_task_toggle_and_completion_update() -> None:
    s = settings(enabled=True, activities__tasks__push=False)
    assert _outcome(_plan(s, _task(), contacts=_contacts())) == "skip:activity_type_off"
    assert (
        _outcome(
            _plan(
                settings(enabled=True, activities__associate_with=[]), _task(), contacts=_contacts()
            )
        )
        == "skip:nothing_to_attach"
    )
    created = _plan(ON, _task(), contacts=_contacts())
    assert isinstance(created, Create)
    own = {created.external_id: Link("Task", sf_id("00T", 1), pushed_values=created.payload)}
    done = _plan(ON, _task(status="completed"), Trigger.UPDATED, contacts=_contacts(), own=own)
    assert isinstance(done, Update) and done.writes.overwrite == {"Status": "Completed"}


def test_R13_calls_become_call_tasks() -> None:
    call = Call(12, TEAM, "inbound", 185, "Connected", "Demo", "Went well", 2, 1, SENT)
    decision = _plan(ON, call, contacts=_contacts())
    assert isinstance(decision, Create)
    assert decision.payload == {
        "TaskSubtype": "Call",
        "Type": "Call",
        "Status": "Completed",
        "Subject": "Call: Connected (inbound)",
        "CallType": "Inbound",
        "CallDurationInSeconds": 185,
        "CallDisposition": "Connected",
        "Description": "Went well",
        "ActivityDate": "2026-11-20",
        "WhoId": ANN_ID,
    }
    template = "{{call_purpose}} {{duration}} {{date}} {{owner_name}} {{contact_name}}"
    s = settings(enabled=True, activities__calls__title_template=template)
    outbound = _plan(
        s,
        Call(12, TEAM, contact_id=2, owner_id=1, purpose="Demo", duration_seconds=65),
        contacts=_contacts(),
    )
    assert isinstance(outbound, Create)
    assert outbound.payload["Subject"] == "Demo 1m 05s 2026-11-27 Rita Rep Ann Lee"
    assert outbound.payload["CallType"] == "Outbound"
    assert (
        _outcome(
            _plan(settings(enabled=True, activities__calls__push=False), call, contacts=_contacts())
        )
        == "skip:activity_type_off"
    )
    assert duration_text(None) is None


# --- meetings ---------------------------------------------------------------------------------


def _meeting(**fields: Any) -> Meeting:
    values: dict[str, Any] = {
        "id": 13,
        "team_id": TEAM,
        "title": "Kick-off\nagenda",
        "starts_at": SENT,
        "ends_at": datetime(2026, 11, 20, 10, 0),
        "location": "Zoom",
        "description": "Intro",
        "participants": ("ann@acme.com", "rep@team.io"),
    }
    return Meeting(**{**values, **fields})


@pytest.mark.parametrize(
    ("source", "participants", "overrides", "expected"),
    [
        ("scheduled_in_app", ("ann@acme.com",), {}, "Create"),
        (
            "scheduled_in_app",
            ("ann@acme.com",),
            {"activities__meetings__push": False},
            "skip:activity_type_off",
        ),
        (
            "scheduled_in_app",
            ("cat@acme.com",),
            {"activities__meetings__push_all_calendar_events": True},
            "skip:person_not_in_salesforce",
        ),
        ("calendar", ("ann@acme.com",), {}, "Create"),
        ("calendar", ("cat@acme.com",), {}, "skip:person_not_in_salesforce"),
        (
            "calendar",
            ("cat@acme.com",),
            {"activities__meetings__push_all_calendar_events": True},
            "Defer",
        ),
        (
            "calendar",
            ("ann@acme.com", "cat@acme.com"),
            {"activities__meetings__push_all_calendar_events": True},
            "Defer",
        ),
        (
            "calendar",
            ("ann@acme.com",),
            {
                "activities__meetings__push": False,
                "activities__meetings__push_all_calendar_events": True,
            },
            "Create",
        ),
        (
            "calendar",
            ("ann@acme.com",),
            {"activities__meetings__push": False},
            "skip:activity_type_off",
        ),
    ],
)
def test_R13_meetings_by_source(
    source: str, participants: tuple[str, ...], overrides: dict[str, Any], expected: str
) -> None:
    decision = _plan(
        settings(enabled=True, **overrides), _meeting(source=source, participants=participants)
    )
    assert _outcome(decision) == expected
    if isinstance(decision, Defer):
        (created,) = decision.dependents
        assert isinstance(created, MatchThenLinkOrCreate)
        assert created.because_of == RecordRef(TEAM, "meeting", 13)


def test_R13_meeting_event_fields() -> None:
    decision = _plan(ON, _meeting())
    assert isinstance(decision, Create)
    assert decision.sobject == "Event" and decision.external_id == f"pf-{TEAM}-meeting-13-p2"
    assert decision.payload == {
        "Subject": "Kick-off agenda",
        "StartDateTime": "2026-11-20T09:30:00.000+0000",
        "EndDateTime": "2026-11-20T10:00:00.000+0000",
        "Location": "Zoom",
        "Description": "Intro",
        "WhoId": ANN_ID,
        "WhatId": ACCOUNT_ID,
    }
    open_ended = _plan(ON, _meeting(ends_at=None, title=None, location=None))
    assert isinstance(open_ended, Create)
    assert open_ended.payload["DurationInMinutes"] == 30
    assert "Subject" not in open_ended.payload and "EndDateTime" not in open_ended.payload


# --- notes and call summaries ----------------------------------------------------------------


def _note(**fields: Any) -> Note:
    values: dict[str, Any] = {
        "id": 14,
        "team_id": TEAM,
        "title": "Call notes",
        "body": "Budget <ok>\nnext week",
        "contact_id": 2,
        "account_id": 1,
        "deal_id": 3,
    }
    return Note(**{**values, **fields})


NOTE_KEY = f"pf-{TEAM}-note-14"


def _document_links(decision: Decision) -> list[object]:
    followups = decision.followups if isinstance(decision, Create | Update) else decision.parts  # type: ignore[union-attr]
    return [f.payload["LinkedEntityId"] for f in followups if isinstance(f, Create)]


def test_R13_notes_become_content_notes_linked_to_person_account_and_deal() -> None:
    context = {
        "contacts": _contacts(),
        "account_link": link("Account", ACCOUNT_ID),
        "deal_link": link("Opportunity", OPP_ID),
    }
    decision = _plan(ON, _note(), **context)
    assert isinstance(decision, Create)
    assert decision.sobject == "ContentNote" and decision.external_id == NOTE_KEY
    assert decision.payload["Title"] == "Call notes"
    assert (
        base64.b64decode(str(decision.payload["Content"])).decode()
        == "Budget &lt;ok&gt;<br>next week"
    )
    assert _document_links(decision) == [ANN_ID, ACCOUNT_ID, OPP_ID]
    first = decision.followups[0]
    assert isinstance(first, Create) and first.payload == {
        "ContentDocumentId": SalesforceIdOf(NOTE_KEY),
        "LinkedEntityId": ANN_ID,
        "ShareType": "V",
        "Visibility": "AllUsers",
    }
    only_contact = _plan(
        settings(enabled=True, activities__associate_with=["contact"]),
        _note(deal_id=None),
        contacts=_contacts(),
        account_link=link("Account", ACCOUNT_ID),
    )
    assert _document_links(only_contact) == [ANN_ID]


def test_R13_note_without_target_title_fallbacks_and_toggle() -> None:
    assert _outcome(_plan(ON, _note())) == "skip:person_not_in_salesforce"
    assert (
        _outcome(
            _plan(
                settings(enabled=True, activities__notes__push=False), _note(), contacts=_contacts()
            )
        )
        == "skip:activity_type_off"
    )
    untitled = _plan(ON, _note(title=None), contacts=_contacts())
    assert isinstance(untitled, Create) and untitled.payload["Title"] == "Budget <ok> next week"
    empty = _plan(ON, _note(title="", body=None), contacts=_contacts())
    assert isinstance(empty, Create) and empty.payload["Title"] == "Note"


def test_R13_note_updates_and_new_links() -> None:
    created = _plan(ON, _note(), contacts=_contacts())
    assert isinstance(created, Create)
    note_id = sf_id("069", 1)
    own = {
        NOTE_KEY: Link("ContentNote", note_id, pushed_values=created.payload),
        f"{NOTE_KEY}-cdl-{ANN_ID}": link("ContentDocumentLink", sf_id("06A", 1)),
    }
    same = _plan(ON, _note(), Trigger.UPDATED, contacts=_contacts(), own=own)
    assert _outcome(same) == "skip:nothing_changed"
    linked_later = _plan(
        ON,
        _note(),
        Trigger.UPDATED,
        contacts=_contacts(),
        own=own,
        account_link=link("Account", ACCOUNT_ID),
    )
    assert isinstance(linked_later, Several) and _document_links(linked_later) == [ACCOUNT_ID]
    edited = _plan(
        ON, _note(body="Budget approved"), Trigger.UPDATED, contacts=_contacts(), own=own
    )
    assert isinstance(edited, Update) and set(edited.writes.overwrite) == {"Content"}
    assert edited.followups == ()
    gone = {NOTE_KEY: Link("ContentNote", note_id, state="deleted")}
    assert (
        _outcome(_plan(ON, _note(), Trigger.UPDATED, contacts=_contacts(), own=gone))
        == "skip:deleted_in_salesforce"
    )


def _conversation(**fields: Any) -> Conversation:
    values: dict[str, Any] = {
        "id": 15,
        "team_id": TEAM,
        "title": "Discovery call",
        "summary": "They need SSO.",
        "deal_id": 3,
    }
    return Conversation(**{**values, **fields})


@pytest.mark.parametrize(
    ("overrides", "deal_link", "expected"),
    [
        ({}, link("Opportunity", OPP_ID), "skip:activity_type_off"),  # off by default
        (
            {"activities__conversations__push_call_summaries": True},
            None,
            "skip:deal_not_in_salesforce",
        ),
        (
            {"activities__conversations__push_call_summaries": True},
            Link("Opportunity", OPP_ID, state="deleted"),
            "skip:deal_not_in_salesforce",
        ),
        (
            {"activities__conversations__push_call_summaries": True},
            link("Opportunity", OPP_ID),
            "Create",
        ),
    ],
)
def test_R13_call_summaries_go_on_the_deals_opportunity(
    overrides: dict[str, Any], deal_link: Link | None, expected: str
) -> None:
    decision = _plan(settings(enabled=True, **overrides), _conversation(), deal_link=deal_link)
    assert _outcome(decision) == expected
    if isinstance(decision, Create):
        assert decision.sobject == "ContentNote" and decision.payload["Title"] == "Discovery call"
        assert _document_links(decision) == [OPP_ID]
        untitled = _plan(
            settings(enabled=True, **overrides),
            _conversation(title=None, summary=None),
            deal_link=deal_link,
        )
        assert isinstance(untitled, Create) and untitled.payload["Title"] == "Call summary"


@pytest.mark.parametrize(
    ("record", "qualifies"),
    [
        (_email(sent_at=datetime(2026, 10, 28, 12, 0)), True),  # exactly 30 days before NOW
        (_email(sent_at=datetime(2026, 10, 28, 11, 59)), False),
        (_email(sent_at=NOW), True),
        (Call(1, TEAM, started_at=datetime(2026, 1, 1)), False),
        (_meeting(), True),
        (_note(created_at=datetime(2026, 11, 26)), True),
        (_conversation(occurred_at=datetime(2025, 11, 26)), False),
        (_task(), True),  # no time: always
    ],
)
def test_R13_backfill_window_on_first_link(record: Any, qualifies: bool) -> None:
    assert in_backfill_window(record, NOW) is qualifies
