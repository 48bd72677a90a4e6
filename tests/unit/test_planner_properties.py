"""Hypothesis properties of the planner over random settings, records, links and triggers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from _planfactory import NOW, TEAM
from hypothesis import given, settings
from hypothesis import strategies as st

from pushforce.core.decisions import (
    Create,
    Decision,
    MatchThenLinkOrCreate,
    Skip,
    SkipReason,
    Trigger,
    Update,
    execution_order,
)
from pushforce.core.planner import plan
from pushforce.core.records import (
    Account,
    Call,
    Contact,
    Conversation,
    Deal,
    DealContact,
    Email,
    Link,
    Meeting,
    Note,
    Person,
    PlanContext,
    Record,
    Task,
)
from pushforce.core.settings import PushSettings
from pushforce.core.templates import VARIABLES

STAGES = ["Cold", "Warm", "Won", None]
ADDRESSES = ["a@x.io", "b@x.io", "c@x.io", "d@x.io", "rep@team.io"]
MODES = ["overwrite", "fill_if_empty", "create_only", "never"]
ELIGIBILITY = {
    SkipReason.DISABLED,
    SkipReason.PUSH_NEW_OFF,
    SkipReason.STAGE_FILTERED,
    SkipReason.ACTIVITY_TYPE_OFF,
}

text = st.one_of(st.none(), st.text(max_size=300))
short = st.one_of(st.none(), st.text(max_size=12))
stage = st.sampled_from(STAGES)
moment = st.one_of(
    st.none(), st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1))
)
template = st.lists(
    st.one_of(
        st.sampled_from(sorted(VARIABLES)).map(lambda n: f"{{{{{n}}}}}"),
        st.sampled_from(["x", " ", "\n", ": "]),
    ),
    max_size=8,
).map("".join)


def _field_map(pairs: list[tuple[str, str]]) -> st.SearchStrategy[list[dict[str, str]]]:
    return st.tuples(*[st.sampled_from(MODES) for _ in pairs]).map(
        lambda modes: [
            {"field": f, "salesforce_field": sf, "mode": m}
            for (f, sf), m in zip(pairs, modes, strict=True)
        ]
    )


PERSON_PAIRS = [
    ("first_name", "FirstName"),
    ("last_name", "LastName"),
    ("email", "Email"),
    ("title", "Title"),
    ("stage", "Status"),
]


@st.composite
def push_settings(draw: st.DrawFn) -> PushSettings:
    def flag() -> bool:
        return draw(st.booleans())

    document: dict[str, Any] = {
        "enabled": flag(),
        "contacts": {
            "push_new": flag(),
            "create_as": draw(st.sampled_from(["contact", "lead"])),
            "stage_filter": draw(
                st.lists(st.sampled_from(["Cold", "Warm"]), max_size=2, unique=True)
            ),
            "push_guessed_emails": flag(),
            "source_value": draw(st.sampled_from(["", "Pushforce"])),
        },
        "accounts": {
            "push_new": flag(),
            "stage_filter": draw(st.lists(st.sampled_from(["Cold"]), max_size=1)),
        },
        "deals": {"push_new": flag()},
        "activities": {
            "associate_with": draw(
                st.lists(st.sampled_from(["contact", "account"]), max_size=2, unique=True)
            ),
            "emails": {
                "outgoing_sent_in_app": flag(),
                "outgoing_not_sent_in_app": flag(),
                "incoming_replies_to_app_emails": flag(),
                "incoming_other": flag(),
                "push_when_participant_missing": flag(),
                "title_template": draw(template),
            },
            "notes": {"push": flag()},
            "tasks": {"push": flag(), "title_template": draw(template)},
            "calls": {"push": flag(), "title_template": draw(template)},
            "meetings": {"push": flag(), "push_all_calendar_events": flag()},
            "conversations": {"push_call_summaries": flag()},
        },
        "matching": {
            "person_link_order": draw(
                st.sampled_from(
                    ["contact_then_lead", "lead_then_contact", "contact_only", "lead_only"]
                )
            )
        },
        "fields": {
            "contact": draw(_field_map(PERSON_PAIRS)),
            "lead": draw(_field_map([*PERSON_PAIRS, ("account_name", "Company")])),
            "account": draw(
                _field_map(
                    [("name", "Name"), ("website", "Website"), ("employees", "NumberOfEmployees")]
                )
            ),
            "opportunity": draw(
                _field_map([("name", "Name"), ("amount", "Amount"), ("stage", "StageName")])
            ),
        },
    }
    return PushSettings.model_validate(document)


def _link(sobject: str, prefix: str) -> st.SearchStrategy[Link | None]:
    ids = st.integers(1, 9).map(lambda n: f"{prefix}{n:015d}")
    return st.one_of(
        st.none(),
        st.builds(Link, st.just(sobject), ids),
        st.builds(
            Link,
            st.just(sobject),
            ids,
            st.just({}),
            st.none(),
            st.sampled_from(["deleted", "merged"]),
            ids,
        ),
    )


person_link = st.one_of(
    _link("Contact", "003"),
    _link("Lead", "00Q"),
    st.builds(
        Link,
        st.just("Lead"),
        st.just("00Q000000000000001"),
        state=st.just("converted"),
        successor_id=st.just("003000000000000001"),
    ),
)
account_link = _link("Account", "001")

accounts = st.builds(
    Account,
    st.integers(1, 3),
    st.just(TEAM),
    st.text(max_size=20),
    short,
    short,
    stage=stage,
    employees=st.one_of(st.none(), st.integers(0, 10**6)),
)
contacts = st.builds(
    Contact,
    st.integers(1, 5),
    st.just(TEAM),
    short,
    short,
    text,
    st.one_of(st.none(), st.sampled_from(ADDRESSES)),
    st.sampled_from(["verified", "guessed", "unavailable"]),
    stage=stage,
    account_id=st.one_of(st.none(), st.just(1)),
)
people = st.builds(Person, contacts, person_link, st.one_of(st.none(), accounts), account_link)
addresses = st.lists(st.sampled_from(ADDRESSES), max_size=4).map(tuple)
records: st.SearchStrategy[Record] = st.one_of(
    accounts,
    contacts,
    st.builds(
        Deal,
        st.integers(1, 3),
        st.just(TEAM),
        st.text(max_size=20),
        st.just(1),
        st.one_of(st.none(), st.decimals(0, 10**6, places=2)),
        stage,
        st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2030, 1, 1))),
        contacts=st.lists(st.builds(DealContact, st.integers(1, 5), short), max_size=3).map(tuple),
    ),
    st.builds(
        Email,
        st.integers(1, 3),
        st.just(TEAM),
        st.sampled_from(["outgoing", "incoming"]),
        st.booleans(),
        st.booleans(),
        st.sampled_from(ADDRESSES),
        addresses,
        addresses,
        text,
        text,
        moment,
    ),
    st.builds(
        Note,
        st.integers(1, 3),
        st.just(TEAM),
        text,
        text,
        st.integers(1, 5),
        st.just(1),
        st.just(3),
    ),
    st.builds(
        Task,
        st.integers(1, 3),
        st.just(TEAM),
        st.sampled_from(["call", "email", "action_item", "other"]),
        text,
        text,
        contact_id=st.one_of(st.none(), st.integers(1, 5)),
    ),
    st.builds(
        Call,
        st.integers(1, 3),
        st.just(TEAM),
        st.sampled_from(["outbound", "inbound"]),
        st.one_of(st.none(), st.integers(0, 10**5)),
        text,
        text,
        text,
        st.integers(1, 5),
        started_at=moment,
    ),
    st.builds(
        Meeting,
        st.integers(1, 3),
        st.just(TEAM),
        st.sampled_from(["scheduled_in_app", "calendar"]),
        text,
        moment,
        moment,
        text,
        text,
        addresses,
    ),
    st.builds(Conversation, st.integers(1, 3), st.just(TEAM), text, text, addresses, st.just(3)),
)


OWN_LINKS: dict[str, st.SearchStrategy[Link | None]] = {
    "account": account_link,
    "contact": person_link,
    "deal": _link("Opportunity", "006"),
    "email": _link("Task", "00T"),
    "task": _link("Task", "00T"),
    "call": _link("Task", "00T"),
    "meeting": _link("Event", "00U"),
    "note": _link("ContentNote", "069"),
    "conversation": _link("ContentNote", "069"),
}


@st.composite
def contexts(draw: st.DrawFn, record: Record) -> PlanContext:
    key = f"pf-{TEAM}-{record.kind}-{record.id}"
    own_link = draw(OWN_LINKS[record.kind])
    known = draw(st.lists(people, max_size=4))
    return PlanContext(
        own={key: own_link, f"{key}-p1": own_link} if own_link is not None else {},
        account=draw(st.one_of(st.none(), accounts)),
        account_link=draw(account_link),
        people={p.contact.email: p for p in known if p.contact.email},
        contacts={p.contact.id: p for p in known},
        deal_link=draw(_link("Opportunity", "006")),
        names={1: "Rita"},
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[PushSettings, Record, Trigger, PlanContext]:
    record = draw(records)
    return (
        draw(push_settings()),
        record,
        draw(st.sampled_from(list(Trigger))),
        draw(contexts(record)),
    )


def _leaves(decision: Decision) -> list[Decision]:
    return list(execution_order(decision))


def _values(leaf: Decision) -> dict[str, object]:
    if isinstance(leaf, Create | MatchThenLinkOrCreate):
        return dict(leaf.payload)
    if isinstance(leaf, Update):
        return {**leaf.writes.overwrite, **leaf.writes.fill_if_empty}
    return {}


FAST = settings(max_examples=150, deadline=None)


@FAST
@given(cases())
def test_same_inputs_give_the_same_decision(
    case: tuple[PushSettings, Record, Trigger, PlanContext],
) -> None:
    s, record, trigger, ctx = case
    copy = PushSettings.model_validate(s.model_dump())
    assert plan(s, record, trigger, ctx, NOW) == plan(copy, record, trigger, ctx, NOW)


@FAST
@given(cases())
def test_a_subject_is_never_over_255_characters_or_multi_line(
    case: tuple[PushSettings, Record, Trigger, PlanContext],
) -> None:
    s, record, trigger, ctx = case
    for leaf in _leaves(plan(s, record, trigger, ctx, NOW)):
        for name in ("Subject", "Title"):
            value = _values(leaf).get(name)
            if value is not None:
                assert len(str(value)) <= 255
                assert len(str(value).splitlines()) <= 1


@FAST
@given(cases())
def test_a_task_or_event_never_has_a_whatid_when_its_whoid_is_a_lead(
    case: tuple[PushSettings, Record, Trigger, PlanContext],
) -> None:
    s, record, trigger, ctx = case
    for leaf in _leaves(plan(s, record, trigger, ctx, NOW)):
        values = _values(leaf)
        if str(values.get("WhoId", "")).startswith("00Q"):
            assert "WhatId" not in values


FIXED = {
    "Contact": {"LeadSource", "AccountId"},
    "Lead": {"LeadSource", "Company"},
    "Account": {"AccountSource"},
    "Opportunity": {"AccountId"},
}


@FAST
@given(cases())
def test_no_payload_field_outside_the_field_map_and_the_rules_fixed_fields(
    case: tuple[PushSettings, Record, Trigger, PlanContext],
) -> None:
    s, record, trigger, ctx = case
    maps = {
        "Contact": s.fields.contact,
        "Lead": s.fields.lead,
        "Account": s.fields.account,
        "Opportunity": s.fields.opportunity,
    }
    for leaf in _leaves(plan(s, record, trigger, ctx, NOW)):
        if (
            not isinstance(leaf, Create | MatchThenLinkOrCreate | Update)
            or leaf.sobject not in maps
        ):
            continue
        sobject = leaf.sobject
        allowed = {m.salesforce_field for m in maps[sobject] if m.mode != "never"} | FIXED[sobject]
        assert set(_values(leaf)) <= allowed
        if isinstance(leaf, MatchThenLinkOrCreate):
            for matched, writes in leaf.on_match.items():
                mapped = {
                    m.salesforce_field
                    for m in maps[matched]
                    if m.mode in ("overwrite", "fill_if_empty")
                }
                assert writes.fields() <= mapped | {"AccountId"}


@FAST
@given(cases())
def test_manual_push_is_never_skipped_for_eligibility(
    case: tuple[PushSettings, Record, Trigger, PlanContext],
) -> None:
    s, record, _, ctx = case
    for leaf in _leaves(plan(s, record, Trigger.MANUAL, ctx, NOW)):
        if isinstance(leaf, Skip):
            assert leaf.reason not in ELIGIBILITY


def test_decimal_amounts_are_json_numbers() -> None:
    decision = plan(
        PushSettings(enabled=True),
        Deal(1, TEAM, "D", amount=Decimal("10.25")),
        Trigger.CREATED,
        PlanContext(),
        NOW,
    )
    assert isinstance(decision, Create) and decision.payload["Amount"] == 10.25
