"""Helpers of the activity acceptance tests: records through the one write path, people linked
to Salesforce by a real drain, and what localforce holds afterwards."""

from __future__ import annotations

from typing import Any

from engine_helpers import change, create
from harness import Org

from pushforce.store import delete_record, write_transaction

SENT_AT = "2026-11-20T10:00:00Z"


def add(org: Org, kind: str, **values: Any) -> int:
    with write_transaction(org.engine) as conn:
        return create(conn, org.team_id, kind, **values)


def edit(org: Org, kind: str, record_id: int, **values: Any) -> None:
    with write_transaction(org.engine) as conn:
        change(conn, org.team_id, kind, record_id, **values)


def remove(org: Org, kind: str, record_id: int) -> None:
    with write_transaction(org.engine) as conn:
        delete_record(conn, org.team_id, kind, record_id)


def linked_person(org: Org, email: str, account: str | None = "Navy") -> int:
    """A contact (with its account) pushed to Salesforce by a drain; returns its id."""
    account_id = add(org, "account", name=account) if account else None
    contact_id = add(
        org, "contact", last_name=email.split("@")[0].title(), email=email, account_id=account_id
    )
    org.drain()
    assert org.link("contact", contact_id)["state"] == "active"
    return contact_id


def email(org: Org, to: list[str], **values: Any) -> int:
    fields: dict[str, Any] = {
        "direction": "outgoing",
        "sent_in_app": True,
        "from_address": "rep@pushforce.io",
        "to_addresses": to,
        "subject": "Pricing",
        "body": "Here is our offer.",
        "sent_at": SENT_AT,
        **values,
    }
    return add(org, "email", **fields)


def sf_id_of(org: Org, kind: str, record_id: int) -> str:
    return str(org.link(kind, record_id)["sf_id"])


def tasks_of(org: Org, who_id: str) -> list[dict[str, Any]]:
    return [t for t in org.sf_records("Task") if t.get("WhoId") == who_id]


def log_of(org: Org, kind: str, record_id: int) -> list[dict[str, Any]]:
    """The record's sync log, oldest first."""
    return list(reversed(org.log(kind=kind, record_id=record_id)))
