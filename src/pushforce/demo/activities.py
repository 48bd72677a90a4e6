"""Demo activities of every kind, tied to the generated contacts, accounts and deals.

Emails cycle through all four direction / sent_in_app / reply_to_app_email combinations;
meetings through both sources. Parents are referred to by index (see ``demo.data``).
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from pushforce.demo.data import (
    DISPOSITIONS,
    MEETING_TITLES,
    NOTE_BODIES,
    PURPOSES,
    SUBJECTS,
    DemoData,
    DemoSize,
    when,
)

REP_ADDRESS = "rep@demo.pushforce.example"

# (direction, sent_in_app, reply_to_app_email): every combination the planner distinguishes.
EMAIL_FLAVOURS = (
    ("outgoing", True, False),
    ("outgoing", False, False),
    ("incoming", False, True),
    ("incoming", False, False),
)


def _emailable(data: DemoData) -> list[int]:
    return [index for index, contact in enumerate(data.contacts) if contact.get("email")]


def _company(data: DemoData, contact_index: int) -> str:
    account_index = data.contacts[contact_index]["account_index"]
    return data.accounts[account_index]["name"] if account_index is not None else "your team"


def make_emails(rng: random.Random, count: int, data: DemoData) -> list[dict[str, Any]]:
    people = _emailable(data)
    emails = []
    for index in range(count):
        direction, in_app, reply = EMAIL_FLAVOURS[index % len(EMAIL_FLAVOURS)]
        contact_index = rng.choice(people)
        address = data.contacts[contact_index]["email"]
        sender, recipient = (
            (REP_ADDRESS, address) if direction == "outgoing" else (address, REP_ADDRESS)
        )
        subject = rng.choice(SUBJECTS).format(company=_company(data, contact_index))
        emails.append(
            {
                "direction": direction,
                "sent_in_app": in_app,
                "reply_to_app_email": reply,
                "from_address": sender,
                "to_addresses": [recipient],
                "cc_addresses": []
                if rng.random() < 0.8
                else [data.contacts[rng.choice(people)]["email"]],
                "subject": subject if not reply else f"Re: {subject}",
                "body": f"Hi {data.contacts[contact_index]['first_name']},\n\nThanks — talk soon.",
                "sent_at": when(rng).isoformat(),
            }
        )
    return emails


def make_notes(rng: random.Random, count: int, data: DemoData) -> list[dict[str, Any]]:
    notes = []
    for index in range(count):
        contact_index = rng.randrange(len(data.contacts))
        body = rng.choice(NOTE_BODIES).format(
            q=rng.randint(1, 4),
            n=rng.randint(2, 28),
            first=data.contacts[contact_index]["first_name"],
        )
        note: dict[str, Any] = {"title": f"Note {index + 1}", "body": body}
        target = index % 3
        if target == 0:
            note["contact_index"] = contact_index
        elif target == 1:
            note["account_index"] = data.contacts[contact_index]["account_index"]
        else:
            note["deal_index"] = rng.randrange(len(data.deals))
        notes.append(note)
    return notes


def make_tasks(rng: random.Random, count: int, data: DemoData) -> list[dict[str, Any]]:
    kinds = ("call", "email", "action_item", "other")
    tasks = []
    for index in range(count):
        contact_index = rng.randrange(len(data.contacts))
        tasks.append(
            {
                "task_type": kinds[index % len(kinds)],
                "title": f"Follow up with {data.contacts[contact_index]['first_name']}",
                "description": rng.choice(PURPOSES),
                "due_date": (when(rng, 30) + timedelta(days=45)).date().isoformat(),
                "status": "completed" if rng.random() < 0.4 else "open",
                "priority": rng.choice(("high", "normal", "low")),
                "contact_index": contact_index,
                "account_index": data.contacts[contact_index]["account_index"],
            }
        )
    return tasks


def make_calls(rng: random.Random, count: int, data: DemoData) -> list[dict[str, Any]]:
    return [
        {
            "direction": ("outbound", "inbound")[index % 2],
            "duration_seconds": rng.randrange(0, 3600),
            "disposition": rng.choice(DISPOSITIONS),
            "purpose": rng.choice(PURPOSES),
            "notes": "Discussed timeline and next steps.",
            "contact_index": rng.randrange(len(data.contacts)),
            "started_at": when(rng).isoformat(),
        }
        for index in range(count)
    ]


def make_meetings(rng: random.Random, count: int, data: DemoData) -> list[dict[str, Any]]:
    people = _emailable(data)
    meetings = []
    for index in range(count):
        start = when(rng)
        meetings.append(
            {
                "source": ("scheduled_in_app", "calendar")[index % 2],
                "title": rng.choice(MEETING_TITLES),
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(minutes=rng.choice((15, 30, 45, 60)))).isoformat(),
                "location": rng.choice(("Video call", "Their office", "Our office", None)),
                "participants": [data.contacts[i]["email"] for i in rng.sample(people, k=2)],
            }
        )
    return meetings


def make_conversations(rng: random.Random, count: int, data: DemoData) -> list[dict[str, Any]]:
    people = _emailable(data)
    return [
        {
            "title": f"Call recording: {rng.choice(MEETING_TITLES)}",
            "summary": "Customer confirmed scope; asked for a revised quote and a pilot plan.",
            "participants": [REP_ADDRESS]
            + [data.contacts[i]["email"] for i in rng.sample(people, k=2)],
            "deal_index": rng.randrange(len(data.deals)),
            "occurred_at": when(rng).isoformat(),
        }
        for _ in range(count)
    ]


def make_activities(
    rng: random.Random, size: DemoSize, data: DemoData
) -> dict[str, list[dict[str, Any]]]:
    """Activities by kind (the records.md kind names)."""
    return {
        "email": make_emails(rng, size.emails, data),
        "note": make_notes(rng, size.notes, data),
        "task": make_tasks(rng, size.tasks, data),
        "call": make_calls(rng, size.calls, data),
        "meeting": make_meetings(rng, size.meetings, data),
        "conversation": make_conversations(rng, size.conversations, data),
    }
