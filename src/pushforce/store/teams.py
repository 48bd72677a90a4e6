"""Teams, users and API keys.

An API key's secret is ``pf_<prefix>_<random>``; only its SHA-256 hash is stored, the secret is
returned once by ``create_api_key``. ``team_for_api_key`` finds the (unrevoked) key by hash.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.store.errors import DuplicateRecord
from pushforce.store.records import utcnow
from pushforce.store.schema import api_keys, teams, users
from pushforce.store.stages import create_default_stages

KEY_PREFIX = "pf_"
LAST_USED_PRECISION = timedelta(minutes=5)  # how stale last_used_at may get before a write


@dataclass(frozen=True)
class NewApiKey:
    id: int
    team_id: int
    prefix: str
    secret: str  # shown once; never stored


@dataclass(frozen=True)
class ApiKeyOwner:
    api_key_id: int
    team_id: int
    user_id: int | None
    last_used_at: datetime | None


def create_team(conn: Connection, name: str, *, default_stages: bool = True) -> dict[str, Any]:
    now = utcnow()
    statement = sa.insert(teams).values(name=name, created_at=now).returning(teams.c.id)
    team_id = conn.execute(statement).scalar_one()
    if default_stages:
        create_default_stages(conn, team_id)
    return {"id": team_id, "name": name, "created_at": now}


def create_user(
    conn: Connection, team_id: int, email: str, name: str = "", password_hash: str | None = None
) -> dict[str, Any]:
    taken = sa.select(users.c.id).where(sa.func.lower(users.c.email) == email.lower())
    if conn.execute(taken).first() is not None:
        raise DuplicateRecord("email", f"a user with email {email!r} already exists")
    values = {
        "team_id": team_id,
        "email": email.lower(),
        "name": name,
        "password_hash": password_hash,
        "created_at": utcnow(),
    }
    user_id = conn.execute(sa.insert(users).values(values).returning(users.c.id)).scalar_one()
    return {"id": user_id, **values}


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(
    conn: Connection, team_id: int, user_id: int | None = None, name: str = ""
) -> NewApiKey:
    prefix = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    values = {
        "team_id": team_id,
        "user_id": user_id,
        "name": name,
        "prefix": prefix,
        "key_hash": hash_secret(secret),
        "created_at": utcnow(),
    }
    key_id = conn.execute(sa.insert(api_keys).values(values).returning(api_keys.c.id)).scalar_one()
    return NewApiKey(key_id, team_id, prefix, secret)


def team_for_api_key(conn: Connection, secret: str) -> ApiKeyOwner | None:
    """Who a presented secret belongs to; ``None`` for unknown or revoked keys."""
    statement = sa.select(
        api_keys.c.id, api_keys.c.team_id, api_keys.c.user_id, api_keys.c.last_used_at
    ).where(api_keys.c.key_hash == hash_secret(secret), api_keys.c.revoked_at.is_(None))
    row = conn.execute(statement).first()
    return None if row is None else ApiKeyOwner(row.id, row.team_id, row.user_id, row.last_used_at)


def needs_touch(owner: ApiKeyOwner, now: datetime) -> bool:
    return owner.last_used_at is None or now - owner.last_used_at > LAST_USED_PRECISION


def touch_api_key(conn: Connection, api_key_id: int, now: datetime) -> None:
    statement = sa.update(api_keys).where(api_keys.c.id == api_key_id).values(last_used_at=now)
    conn.execute(statement)


def revoke_api_key(conn: Connection, team_id: int, api_key_id: int) -> bool:
    statement = (
        sa.update(api_keys)
        .where(
            api_keys.c.id == api_key_id,
            api_keys.c.team_id == team_id,
            api_keys.c.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
    return conn.execute(statement).rowcount == 1
