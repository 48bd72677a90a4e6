"""Bearer API keys per team: missing, malformed, unknown and revoked keys are refused."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from pushforce.store import revoke_api_key, write_transaction
from pushforce.store.schema import api_keys


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer pf_00000000_not-a-real-key"},
    ],
    ids=["missing", "basic", "empty", "unknown"],
)
def test_requests_without_a_valid_key_are_refused(client: TestClient, headers) -> None:
    answer = client.get("/api/v1/contacts", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["errors"][0]["path"] == "header.authorization"


def test_a_revoked_key_is_refused(client: TestClient, engine: Engine, team) -> None:
    assert client.get("/api/v1/contacts", headers=team.headers).status_code == 200
    with write_transaction(engine) as conn:
        key_id = conn.execute(
            sa.select(api_keys.c.id).where(api_keys.c.team_id == team.team_id)
        ).scalar_one()
        revoke_api_key(conn, team.team_id, key_id)
    assert client.get("/api/v1/contacts", headers=team.headers).status_code == 401


def test_using_a_key_records_when_it_was_last_used(client: TestClient, engine: Engine, team):
    client.get("/api/v1/accounts", headers=team.headers)
    with engine.connect() as conn:
        last_used = conn.execute(
            sa.select(api_keys.c.last_used_at).where(api_keys.c.team_id == team.team_id)
        ).scalar_one()
    assert last_used is not None


def test_unauthenticated_writes_write_nothing(client: TestClient, engine: Engine) -> None:
    answer = client.post("/api/v1/accounts", json={"name": "Sneaky"})
    assert answer.status_code == 401
    with engine.connect() as conn:
        sneaky = conn.execute(sa.text("select count(*) from accounts where name = 'Sneaky'"))
        assert sneaky.scalar() == 0
