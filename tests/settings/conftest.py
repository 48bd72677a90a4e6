"""Settings-history fixtures: a migrated store (SQLite; PostgreSQL when reachable), a team with a
user and an API key, and a TestClient on the real app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from settings_fixtures import Team, new_team
from sqlalchemy.engine import Engine

from pushforce.web.app import create_app
from store_engines import postgres_store, sqlite_store


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with sqlite_store(tmp_path_factory.mktemp("settings")) as engine:
        yield engine


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    with postgres_store("pushforce_settings") as engine:
        yield engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def team(engine: Engine) -> Team:
    return new_team(engine)


@pytest.fixture
def client(engine: Engine, team: Team) -> Iterator[TestClient]:
    with TestClient(create_app(engine)) as test_client:
        test_client.headers["Authorization"] = f"Bearer {team.api_key}"
        yield test_client
