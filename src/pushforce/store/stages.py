"""Stages per team and object (contact / account / deal), referred to by name at the edges.

``DEFAULT_STAGES`` is what a new team gets. ``salesforce_value`` is the value a stage is written
as: contact stages → Lead ``Status`` (default org picklist), account stages → Account ``Type``,
deal stages → Opportunity ``StageName``. ``None`` means "write nothing" (e.g. a contact that
became a customer: a Lead reaches Closed - Converted only through lead conversion).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.store.schema import stages

STAGE_OBJECTS = ("contact", "account", "deal")

DEFAULT_STAGES: dict[str, list[tuple[str, str | None]]] = {
    "contact": [
        ("New", "Open - Not Contacted"),
        ("Contacted", "Working - Contacted"),
        ("Qualified", "Working - Contacted"),
        ("Customer", None),
        ("Unqualified", "Closed - Not Converted"),
        ("Do Not Contact", "Closed - Not Converted"),
    ],
    "account": [
        ("Prospect", "Prospect"),
        ("Active Opportunity", "Prospect"),
        ("Customer", "Customer - Direct"),
        ("Partner", "Channel Partner / Reseller"),
        ("Churned", "Other"),
    ],
    "deal": [
        ("Prospecting", "Prospecting"),
        ("Qualification", "Qualification"),
        ("Proposal", "Proposal/Price Quote"),
        ("Negotiation", "Negotiation/Review"),
        ("Closed Won", "Closed Won"),
        ("Closed Lost", "Closed Lost"),
    ],
}


def create_default_stages(conn: Connection, team_id: int) -> None:
    rows = [
        {
            "team_id": team_id,
            "object": obj,
            "name": name,
            "position": position,
            "salesforce_value": value,
        }
        for obj, defaults in DEFAULT_STAGES.items()
        for position, (name, value) in enumerate(defaults)
    ]
    conn.execute(sa.insert(stages), rows)


def resolve_stage(conn: Connection, team_id: int, object: str, name: str) -> int | None:
    """The id of the team's ``object`` stage called ``name`` (case-insensitive), or ``None``."""
    statement = sa.select(stages.c.id).where(
        stages.c.team_id == team_id,
        stages.c.object == object,
        sa.func.lower(stages.c.name) == name.strip().lower(),
    )
    return conn.execute(statement).scalar_one_or_none()


def list_stages(conn: Connection, team_id: int, object: str | None = None) -> list[dict[str, Any]]:
    statement = sa.select(stages).where(stages.c.team_id == team_id)
    if object is not None:
        statement = statement.where(stages.c.object == object)
    statement = statement.order_by(stages.c.object, stages.c.position, stages.c.id)
    return [dict(row) for row in conn.execute(statement).mappings()]


def stage_names(conn: Connection, team_id: int, object: str) -> list[str]:
    return [stage["name"] for stage in list_stages(conn, team_id, object)]


def first_stage_id(conn: Connection, team_id: int, object: str) -> int | None:
    found = list_stages(conn, team_id, object)
    return found[0]["id"] if found else None
