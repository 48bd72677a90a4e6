"""Valid input for every record kind, shared by the contract and API suites.

``sample(kind, refs, **overrides)`` returns a JSON-ready dict (as an API client would send);
``refs`` gives the ids of the team's account, contact, deal and user to refer to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pushforce.inputs import KIND_MODELS

KINDS = tuple(KIND_MODELS)


@dataclass(frozen=True)
class Refs:
    account_id: int
    contact_id: int
    deal_id: int
    user_id: int


def _samples(r: Refs) -> dict[str, dict[str, Any]]:
    return {
        "account": {
            "name": "Globex Corporation",
            "website": "https://www.globex.example.com",
            "phone": "+1 555 0100",
            "industry": "Manufacturing",
            "employees": 1200,
            "stage": "Prospect",
            "owner_id": r.user_id,
            "saved": True,
            "custom": {"tier": "gold", "score": 7},
        },
        "contact": {
            "first_name": "Hank",
            "last_name": "Scorpio",
            "title": "CEO",
            "email": "Hank.Scorpio@Globex.example.com",
            "email_status": "guessed",
            "phone": "+1 555 0101",
            "account_id": r.account_id,
            "stage": "Contacted",
            "owner_id": r.user_id,
            "saved": True,
        },
        "deal": {
            "name": "Globex doomsday device",
            "account_id": r.account_id,
            "amount": "125000.50",
            "stage": "Proposal",
            "close_date": "2025-06-30",
            "owner_id": r.user_id,
            "contacts": [{"contact_id": r.contact_id, "role": "Decision Maker"}],
        },
        "email": {
            "direction": "outgoing",
            "sent_in_app": True,
            "from_address": "rep@pushforce.example.com",
            "to_addresses": ["hank.scorpio@globex.example.com"],
            "cc_addresses": ["boss@pushforce.example.com"],
            "subject": "Hammocks",
            "body": "Hi Hank,\nabout the hammocks…",
            "sent_at": "2025-03-01T09:30:00+01:00",
            "owner_id": r.user_id,
        },
        "note": {
            "title": "Call prep",
            "body": "Likes hammocks.",
            "contact_id": r.contact_id,
            "account_id": r.account_id,
            "deal_id": r.deal_id,
            "author_id": r.user_id,
        },
        "task": {
            "task_type": "call",
            "title": "Call Hank back",
            "description": "re: proposal",
            "due_date": "2025-03-05",
            "priority": "high",
            "contact_id": r.contact_id,
            "account_id": r.account_id,
            "owner_id": r.user_id,
        },
        "call": {
            "direction": "outbound",
            "duration_seconds": 312,
            "disposition": "Connected",
            "purpose": "Discovery",
            "notes": "Interested.",
            "contact_id": r.contact_id,
            "owner_id": r.user_id,
            "started_at": "2025-03-02T15:00:00Z",
        },
        "meeting": {
            "source": "scheduled_in_app",
            "title": "Demo",
            "starts_at": "2025-03-10T16:00:00Z",
            "ends_at": "2025-03-10T16:45:00Z",
            "location": "Zoom",
            "participants": ["hank.scorpio@globex.example.com"],
            "owner_id": r.user_id,
        },
        "conversation": {
            "title": "Demo call",
            "summary": "Hank wants a pilot.",
            "participants": ["hank.scorpio@globex.example.com"],
            "deal_id": r.deal_id,
            "occurred_at": "2025-03-10T16:00:00Z",
        },
    }


def sample(kind: str, refs: Refs, **overrides: Any) -> dict[str, Any]:
    return {**_samples(refs)[kind], **overrides}


# A change per kind for update tests: field → new value (as sent), and how it reads back.
CHANGES: dict[str, tuple[str, Any, Any]] = {
    "account": ("name", "Globex Inc.", "Globex Inc."),
    "contact": ("email", "HANK@globex.example.com", "hank@globex.example.com"),
    "deal": ("amount", "99.9", "99.90"),
    "email": ("subject", "Re: Hammocks", "Re: Hammocks"),
    "note": ("body", "Loves hammocks.", "Loves hammocks."),
    "task": ("status", "completed", "completed"),
    "call": ("duration_seconds", 60, 60),
    "meeting": ("location", "Cypress Creek", "Cypress Creek"),
    "conversation": ("summary", "Pilot agreed.", "Pilot agreed."),
}

# Fields of each kind that refer to another team-owned row (for isolation tests).
REFERENCES: dict[str, tuple[str, ...]] = {
    "account": ("owner_id",),
    "contact": ("account_id", "owner_id"),
    "deal": ("account_id", "owner_id"),
    "email": ("owner_id",),
    "note": ("contact_id", "account_id", "deal_id", "author_id"),
    "task": ("contact_id", "account_id", "owner_id"),
    "call": ("contact_id", "owner_id"),
    "meeting": ("owner_id",),
    "conversation": ("deal_id",),
}
