"""Helpers shared by the settings tests (a uniquely named module, not ``conftest``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from pushforce.store import create_api_key, create_team, create_user, write_transaction


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
