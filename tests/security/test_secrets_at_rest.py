"""API keys are stored only as hashes and passwords only as argon2id hashes (ASVS 6.2/11.4):
the api_keys and users tables and the bytes of the database file are searched for the secrets."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient
from security_helpers import SecTeam
from sqlalchemy.engine import Engine
from ui_helpers import PASSWORD, sign_in

from pushforce.store import read_connection
from pushforce.store.schema import api_keys, users


def _database_bytes(engine: Engine) -> bytes:
    path = Path(str(engine.url.database))
    files = [path, path.with_name(path.name + "-wal")]
    return b"".join(f.read_bytes() for f in files if f.exists())


def test_an_api_key_is_stored_only_hashed(
    client: TestClient, engine: Engine, team_a: SecTeam
) -> None:
    assert client.get("/api/v1/contacts", headers=team_a.headers).status_code == 200  # it works
    random_part = team_a.key.rsplit("_", 1)[1]
    with read_connection(engine) as conn:
        rows = [dict(r._mapping) for r in conn.execute(sa.select(api_keys))]
    assert rows
    for row in rows:
        values = " ".join(str(value) for value in row.values())
        assert team_a.key not in values and random_part not in values
        assert len(row["key_hash"]) == 64 and int(row["key_hash"], 16) >= 0  # a hex digest
    stored = _database_bytes(engine)
    assert team_a.key.encode() not in stored and random_part.encode() not in stored


def test_a_password_is_stored_only_as_an_argon2id_hash(
    client: TestClient, engine: Engine, team_a: SecTeam
) -> None:
    sign_in(client, team_a.ui)  # the stored hash verifies the password
    with read_connection(engine) as conn:
        hashes = conn.execute(sa.select(users.c.password_hash)).scalars().all()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes if h)
    assert PASSWORD.encode() not in _database_bytes(engine)


def test_production_password_hashing_is_not_the_tests_cheap_one() -> None:
    from argon2 import PasswordHasher

    from pushforce.web.ui import auth

    defaults = PasswordHasher()
    source = Path(auth.__file__).read_text()
    assert "PasswordHasher(" in source and "time_cost=1" not in source
    assert defaults.memory_cost >= 19_456  # OWASP's argon2id floor (19 MiB)
