"""Helpers shared by the settings tests (a uniquely named module, not ``conftest``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from pushforce.store import (
    create_api_key,
    create_team,
    create_user,
    read_connection,
    write_transaction,
)
from pushforce.store.schema import settings_versions


@dataclass(frozen=True)
class Team:
    id: int
    user_id: int
    user_name: str
    api_key: str
    name: str
    user_email: str


def new_team(engine: Engine, user_name: str = "Riley Admin") -> Team:
    name = f"team-{uuid.uuid4().hex[:6]}"
    with write_transaction(engine) as conn:
        team_id = create_team(conn, name)["id"]
        email = f"{uuid.uuid4().hex[:10]}@pushforce.example.com"
        user = create_user(conn, team_id, email, user_name)
        key = create_api_key(conn, team_id, user["id"], "tests")
    return Team(team_id, user["id"], user_name, key.secret, name, email)


def stored_versions(engine: Engine, team_id: int) -> list[tuple[int, int | None, dict]]:
    """(version, author_user_id, document) of the team's rows in settings_versions, oldest first."""
    statement = (
        sa.select(
            settings_versions.c.version,
            settings_versions.c.author_user_id,
            settings_versions.c.document,
        )
        .where(settings_versions.c.team_id == team_id)
        .order_by(settings_versions.c.version)
    )
    with read_connection(engine) as conn:
        return [tuple(row) for row in conn.execute(statement)]  # type: ignore[misc]
