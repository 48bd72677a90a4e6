"""Settings-history fixtures: a migrated store (SQLite; PostgreSQL when reachable), a team with a
user and an API key, and a TestClient on the real app."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from settings_fixtures import Team, new_team
from sqlalchemy.engine import Engine

from pushforce.store import make_engine, migrate
from pushforce.web.app import create_app

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("settings") / "pushforce.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    admin_url = os.environ.get("PUSHFORCE_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"pushforce_settings_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as error:
        admin.dispose()
        pytest.skip(f"PostgreSQL at {admin_url} cannot be reached: {error.orig}")
    engine = make_engine(admin.url.set(database=name).render_as_string(hide_password=False))
    try:
        migrate(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


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
