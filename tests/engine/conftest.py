"""Push-engine fixtures: the store on SQLite and PostgreSQL (skipped with its reason when the
server cannot be reached), teams made through the one record write path."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from pushforce.store import create_team, write_transaction
from store_engines import postgres_store, sqlite_store


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with sqlite_store(tmp_path_factory.mktemp("engine-store")) as engine:
        yield engine


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    with postgres_store("pushforce_engine") as engine:
        yield engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def team_id(engine: Engine) -> int:
    with write_transaction(engine) as conn:
        return int(create_team(conn, f"team-{uuid.uuid4().hex[:8]}")["id"])
