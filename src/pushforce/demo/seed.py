"""Writing the demo team into the store, once.

``seed_demo`` creates the team "Demo team" with two users, default stages and the generated
records — validated by the shared input models and written through ``store.records`` (the one
write path, so the push engine sees them like any other records) in one transaction. Run again,
it finds the team and writes nothing but a fresh API key (keys are stored hashed, so an old
secret cannot be shown again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from pushforce.demo.data import DemoData, DemoSize
from pushforce.demo.generate import DEFAULT_SEED, generate
from pushforce.inputs import KIND_MODELS
from pushforce.store import (
    create_api_key,
    create_team,
    create_user,
    insert_record,
    write_transaction,
)
from pushforce.store.schema import teams

DEMO_TEAM = "Demo team"
DEMO_USERS = (("ada@demo.pushforce.example", "Ada Rep"), ("sam@demo.pushforce.example", "Sam Lead"))
ACTIVITY_PARENTS = {"contact_index": "contact_id", "account_index": "account_id",
                    "deal_index": "deal_id"}  # fmt: skip
OWNER_FIELD = {"note": "author_id", "conversation": None}


@dataclass(frozen=True)
class DemoTeam:
    team_id: int
    created: bool
    api_key: str


class _Ids:
    """Ids of written records by generated index, per kind; owners taken in turn."""

    def __init__(self, owners: list[int]) -> None:
        self.owners = owners
        self.by_kind: dict[str, list[int]] = {"account": [], "contact": [], "deal": []}

    def owner(self, index: int) -> int:
        return self.owners[index % len(self.owners)]

    def resolve(self, values: dict[str, Any]) -> dict[str, Any]:
        resolved = {k: v for k, v in values.items() if k not in ACTIVITY_PARENTS}
        for index_field, id_field in ACTIVITY_PARENTS.items():
            index = values.get(index_field)
            if index is not None:
                resolved[id_field] = self.by_kind[id_field.removesuffix("_id")][index]
        return resolved


def find_team(conn: Connection, name: str) -> int | None:
    statement = sa.select(teams.c.id).where(teams.c.name == name).order_by(teams.c.id)
    return conn.execute(statement).scalars().first()


def _insert(conn: Connection, team_id: int, kind: str, values: dict[str, Any]) -> int:
    create_model = KIND_MODELS[kind][0]
    return int(insert_record(conn, team_id, kind, create_model(**values).model_dump())["id"])


def _write_parents(conn: Connection, team_id: int, data: DemoData, ids: _Ids) -> None:
    for index, account in enumerate(data.accounts):
        values = {**account, "owner_id": ids.owner(index)}
        ids.by_kind["account"].append(_insert(conn, team_id, "account", values))
    for index, contact in enumerate(data.contacts):
        values = {**ids.resolve(contact), "owner_id": ids.owner(index)}
        ids.by_kind["contact"].append(_insert(conn, team_id, "contact", values))
    for index, deal in enumerate(data.deals):
        contacts = [
            {"contact_id": ids.by_kind["contact"][c["contact_index"]], "role": c["role"]}
            for c in deal["contacts"]
        ]
        values = {**ids.resolve(deal), "contacts": contacts, "owner_id": ids.owner(index)}
        ids.by_kind["deal"].append(_insert(conn, team_id, "deal", values))


def _write_activities(conn: Connection, team_id: int, data: DemoData, ids: _Ids) -> None:
    for kind, activities in data.activities.items():
        owner_field = OWNER_FIELD.get(kind, "owner_id")
        for index, activity in enumerate(activities):
            values = ids.resolve(activity)
            if owner_field:
                values[owner_field] = ids.owner(index)
            _insert(conn, team_id, kind, values)


def _create(conn: Connection, seed: int, size: DemoSize | None) -> tuple[int, int]:
    team_id = int(create_team(conn, DEMO_TEAM)["id"])
    owners = [int(create_user(conn, team_id, email, name)["id"]) for email, name in DEMO_USERS]
    data = generate(seed, size)
    ids = _Ids(owners)
    _write_parents(conn, team_id, data, ids)
    _write_activities(conn, team_id, data, ids)
    return team_id, owners[0]


def seed_demo(engine: Engine, seed: int = DEFAULT_SEED, size: DemoSize | None = None) -> DemoTeam:
    """The demo team (created on first run) and a new API key for it."""
    with write_transaction(engine) as conn:
        team_id = find_team(conn, DEMO_TEAM)
        created = team_id is None
        user_id: int | None = None
        if team_id is None:
            team_id, user_id = _create(conn, seed, size)
        key = create_api_key(conn, team_id, user_id, name="demo")
    return DemoTeam(team_id, created, key.secret)
