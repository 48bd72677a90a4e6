"""Helpers of the ops tests: many records through the one bulk write path."""

from __future__ import annotations

from typing import Any

from harness import Org

from pushforce.inputs import KIND_MODELS
from pushforce.store import insert_records, write_transaction


def bulk_create(org: Org, kind: str, rows: list[dict[str, Any]]) -> list[int]:
    model = KIND_MODELS[kind][0]
    records = [model.model_validate(row).model_dump() for row in rows]
    with write_transaction(org.engine) as conn:
        return insert_records(conn, org.team_id, kind, records)


def accounts_and_contacts(org: Org, accounts: int, contacts: int, **extra: Any) -> list[int]:
    """``accounts`` companies and ``contacts`` people spread over them; the contact ids."""
    account_ids = bulk_create(
        org,
        "account",
        [
            {"name": f"Company {i}", "website": f"https://company{i}.example"}
            for i in range(accounts)
        ],
    )
    people = [
        {
            "first_name": f"Person{i}",
            "last_name": "Tester",
            "email": f"person{i}@company{i % accounts}.example",
            "email_status": "verified",
            "account_id": account_ids[i % accounts],
            **extra,
        }
        for i in range(contacts)
    ]
    return bulk_create(org, "contact", people)
