"""Helpers of the UI tests (also used by the browser tests): teams with a signed-in-able user,
records, the CSRF token of a page, signing in, cheap password hashes."""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from pushforce.inputs import KIND_MODELS
from pushforce.store import create_team, create_user, insert_record, write_transaction
from pushforce.web.ui import auth
from pushforce.web.ui.auth import hash_password

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class UiTeam:
    team_id: int
    user_id: int
    email: str
    contact_id: int
    account_id: int


@contextlib.contextmanager
def cheap_password_hashes() -> Iterator[None]:
    """argon2 with its smallest cost: tests sign in often; production keeps the defaults."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    default, auth._hasher = auth._hasher, cheap
    try:
        yield
    finally:
        auth._hasher = default


def add_record(engine: Engine, team_id: int, kind: str, **values: Any) -> int:
    model = KIND_MODELS[kind][0](**values)
    with write_transaction(engine) as conn:
        return int(insert_record(conn, team_id, kind, model.model_dump())["id"])


def make_team(engine: Engine, name: str, company: str = "Globex", person: str = "Ada") -> UiTeam:
    """A team with a user (password ``PASSWORD``), a saved company and a saved person in it."""
    email = f"{uuid.uuid4().hex[:10]}@{company.lower()}.example.com"
    with write_transaction(engine) as conn:
        team_id = create_team(conn, name)["id"]
        user_id = create_user(conn, team_id, email, "Riley Rep", hash_password(PASSWORD))["id"]
    website = f"https://{company.lower()}.example.com"
    account_id = add_record(
        engine, team_id, "account", name=f"{company} Corporation", website=website, saved=True
    )
    contact_id = add_record(
        engine,
        team_id,
        "contact",
        first_name=person,
        last_name="Lovelace",
        email=f"{person.lower()}@{company.lower()}.example.com",
        account_id=account_id,
        saved=True,
        title="VP Sales",
    )
    return UiTeam(team_id, user_id, email, contact_id, account_id)


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def sign_in(client: TestClient, team: UiTeam) -> str:
    """Sign ``client`` in as the team's user; returns the CSRF token of the session."""
    token = csrf_of(client.get("/login").text)
    data = {"email": team.email, "password": PASSWORD, "csrf_token": token, "next": "/people"}
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/settings/integrations/salesforce").text)
