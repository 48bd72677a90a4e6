"""What the generic record code needs to know about each record kind.

One ``KindSpec`` per kind of ``docs/records.md``: its table, the stage object it uses, which
fields refer to other team-owned rows, what ``q`` searches and which sorts a list accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from pushforce.store import schema

USER = "user"  # reference target for owner_id / author_id


@dataclass(frozen=True)
class KindSpec:
    kind: str
    table: sa.Table
    references: dict[str, str]  # field -> target kind (or USER)
    search: tuple[str, ...]  # columns that ``q`` matches case-insensitively
    sorts: dict[str, Any] = field(default_factory=dict)  # name -> column expression
    stage_object: str | None = None
    default_stage_on_create: bool = False

    @property
    def has_stage(self) -> bool:
        return self.stage_object is not None

    def sort_expression(self, name: str) -> Any | None:
        common = {"id": self.table.c.id, "created_at": self.table.c.created_at}
        common["updated_at"] = self.table.c.updated_at
        return {**common, **self.sorts}.get(name)

    def sort_names(self) -> list[str]:
        return sorted({"id", "created_at", "updated_at", *self.sorts})


def _lower(column: Any) -> Any:
    return sa.func.lower(sa.func.coalesce(column, ""), type_=sa.String)


def _lower_name(column: Any) -> Any:
    return sa.func.lower(column, type_=sa.String)


def _dated(column: Any) -> Any:
    """A nullable date sorted as if missing dates were far in the future (keeps keysets total)."""
    return sa.func.coalesce(column, sa.literal(date(9999, 12, 31), sa.Date))


def _build() -> dict[str, KindSpec]:
    t = schema
    specs = [
        KindSpec(
            "account",
            t.accounts,
            {"owner_id": USER},
            ("name", "domain", "website"),
            {"name": _lower_name(t.accounts.c.name), "domain": _lower(t.accounts.c.domain)},
            stage_object="account",
        ),
        KindSpec(
            "contact",
            t.contacts,
            {"account_id": "account", "owner_id": USER},
            ("first_name", "last_name", "email", "full_name"),
            {"name": schema.contact_sort_name(t.contacts.c), "email": _lower(t.contacts.c.email)},
            stage_object="contact",
        ),
        KindSpec(
            "deal",
            t.deals,
            {"account_id": "account", "owner_id": USER},
            ("name",),
            {
                "name": _lower_name(t.deals.c.name),
                "close_date": _dated(t.deals.c.close_date),
                "amount": sa.func.coalesce(t.deals.c.amount, 0),
            },
            stage_object="deal",
            default_stage_on_create=True,
        ),
        KindSpec(
            "email",
            t.emails,
            {"owner_id": USER},
            ("subject", "from_address"),
            {"sent_at": t.emails.c.sent_at},
        ),
        KindSpec(
            "note",
            t.notes,
            {
                "contact_id": "contact",
                "account_id": "account",
                "deal_id": "deal",
                "author_id": USER,
            },
            ("title", "body"),
            {"title": _lower_name(t.notes.c.title)},
        ),
        KindSpec(
            "task",
            t.tasks,
            {"contact_id": "contact", "account_id": "account", "owner_id": USER},
            ("title",),
            {"title": _lower_name(t.tasks.c.title), "due_date": _dated(t.tasks.c.due_date)},
        ),
        KindSpec(
            "call",
            t.calls,
            {"contact_id": "contact", "owner_id": USER},
            ("disposition", "purpose"),
            {"started_at": t.calls.c.started_at},
        ),
        KindSpec(
            "meeting",
            t.meetings,
            {"owner_id": USER},
            ("title", "location"),
            {"starts_at": t.meetings.c.starts_at, "title": _lower_name(t.meetings.c.title)},
        ),
        KindSpec(
            "conversation",
            t.conversations,
            {"deal_id": "deal"},
            ("title",),
            {"occurred_at": t.conversations.c.occurred_at},
        ),
    ]
    return {spec.kind: spec for spec in specs}


KINDS: dict[str, KindSpec] = _build()


def spec_for(kind: str) -> KindSpec:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown record kind {kind!r}") from None


def reference_table(target: str) -> sa.Table:
    return schema.users if target == USER else KINDS[target].table


def search_column(spec: KindSpec, name: str) -> Any:
    if name == "full_name":
        c = schema.contacts.c
        return sa.func.coalesce(c.first_name, "") + " " + c.last_name
    return spec.table.c[name]
