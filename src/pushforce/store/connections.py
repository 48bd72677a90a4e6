"""The team's Salesforce connection (one per team): table ``salesforce_connections`` and its
repository.

Secrets (access token, refresh token, client secret, private key) live only in ``secrets``,
sealed by ``pushforce.salesforce.crypto`` with the team and connection bound in; every other
column is safe to show. ``state`` is ``connected`` or ``needs_reconnect`` (R18: the drain
pauses the team until someone reconnects).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.store.dialect import UtcDateTime
from pushforce.store.schema import metadata

__all__ = [
    "CONNECTED",
    "NEEDS_RECONNECT",
    "ConnectionRow",
    "connection_for_team",
    "delete_connection",
    "insert_connection",
    "list_connections",
    "salesforce_connections",
    "set_state",
    "update_connection",
]

CONNECTED = "connected"
NEEDS_RECONNECT = "needs_reconnect"

salesforce_connections = sa.Table(
    "salesforce_connections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "team_id",
        sa.Integer,
        sa.ForeignKey("teams.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    sa.Column("state", sa.String(32), nullable=False),
    sa.Column("flow", sa.String(32), nullable=False),
    sa.Column("login_url", sa.String(255), nullable=False),
    sa.Column("instance_url", sa.String(255), nullable=False),
    sa.Column("client_id", sa.String(255), nullable=False),
    sa.Column("username", sa.String(255), nullable=False),
    sa.Column("audience", sa.String(255), nullable=False),
    sa.Column("org_id", sa.String(18), nullable=False),
    sa.Column("user_id", sa.String(18), nullable=False),
    sa.Column("user_name", sa.String(255), nullable=False),
    sa.Column("ca_file", sa.Text, nullable=True),
    sa.Column("secrets", sa.Text, nullable=False),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("connected_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)


@dataclass(frozen=True)
class ConnectionRow:
    id: int
    team_id: int
    state: str
    flow: str
    login_url: str
    instance_url: str
    client_id: str
    username: str
    audience: str
    org_id: str
    user_id: str
    user_name: str
    ca_file: str | None
    secrets: str
    last_error: str | None
    connected_at: datetime
    updated_at: datetime

    def __repr__(self) -> str:  # ``secrets`` is ciphertext, but keep it out of logs anyway
        return f"ConnectionRow(id={self.id}, team_id={self.team_id}, state={self.state!r})"


def connection_for_team(
    conn: Connection, team_id: int, *, for_update: bool = False
) -> ConnectionRow | None:
    query = sa.select(salesforce_connections).where(salesforce_connections.c.team_id == team_id)
    if for_update:
        query = query.with_for_update()
    row = conn.execute(query).mappings().first()
    return ConnectionRow(**row) if row else None


def list_connections(conn: Connection) -> list[ConnectionRow]:
    rows = conn.execute(sa.select(salesforce_connections).order_by(salesforce_connections.c.id))
    return [ConnectionRow(**row) for row in rows.mappings()]


def insert_connection(conn: Connection, values: dict[str, Any]) -> int:
    result = conn.execute(sa.insert(salesforce_connections).values(**values))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def update_connection(conn: Connection, connection_id: int, values: dict[str, Any]) -> None:
    conn.execute(
        sa.update(salesforce_connections)
        .where(salesforce_connections.c.id == connection_id)
        .values(**values)
    )


def set_state(
    conn: Connection, team_id: int, state: str, last_error: str | None, now: datetime
) -> bool:
    result = conn.execute(
        sa.update(salesforce_connections)
        .where(salesforce_connections.c.team_id == team_id)
        .values(state=state, last_error=last_error, updated_at=now)
    )
    return result.rowcount > 0


def delete_connection(conn: Connection, team_id: int) -> bool:
    result = conn.execute(
        sa.delete(salesforce_connections).where(salesforce_connections.c.team_id == team_id)
    )
    return result.rowcount > 0
