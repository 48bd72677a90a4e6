"""Reads the push engine needs besides records and links: user names (title templates), the
team's stage values, and which records' pushes failed (R13: activities don't wait for them)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.store.push_schema import push_jobs
from pushforce.store.schema import users
from pushforce.store.stages import list_stages


def user_names(conn: Connection, team_id: int, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    query = sa.select(users.c.id, users.c.name).where(
        users.c.team_id == team_id, users.c.id.in_(wanted)
    )
    return {row.id: row.name for row in conn.execute(query)}


def stage_values(conn: Connection, team_id: int) -> dict[str, dict[str, str | None]]:
    """Salesforce value of each team stage, by object then stage name."""
    values: dict[str, dict[str, str | None]] = {}
    for stage in list_stages(conn, team_id):
        values.setdefault(stage["object"], {})[stage["name"]] = stage["salesforce_value"]
    return values


def failed_records(conn: Connection, team_id: int, kind: str, ids: Iterable[int]) -> set[int]:
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    c = push_jobs.c
    query = sa.select(c.record_id).where(
        c.team_id == team_id, c.kind == kind, c.state == "failed", c.record_id.in_(wanted)
    )
    return set(conn.execute(query).scalars())
