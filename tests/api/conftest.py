"""REST API fixtures: one migrated SQLite file per session, a fresh team (with an API key and
an account, contact, deal and user to refer to) per test, and a TestClient on the real app."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

# The contract suite's sample records and team set-up are shared with the API tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "contract"))

from record_samples import Refs
from store_helpers import new_team

from pushforce.store import create_api_key, make_engine, migrate, write_transaction
from pushforce.web.app import create_app


@dataclass(frozen=True)
class ApiTeam:
    team_id: int
    refs: Refs
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    default = f"sqlite:///{tmp_path_factory.mktemp('api') / 'pushforce.db'}"
    # The suite targets SQLite; point it at an empty PostgreSQL database to run it there too.
    engine = make_engine(os.environ.get("PUSHFORCE_TEST_API_DATABASE_URL", default))
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine), raise_server_exceptions=False) as client:
        yield client


def make_team(engine: Engine, name: str) -> ApiTeam:
    team_id, refs = new_team(engine, name)
    with write_transaction(engine) as conn:
        key = create_api_key(conn, team_id, refs.user_id, "tests")
    return ApiTeam(team_id, refs, key.secret)


@pytest.fixture
def team(engine: Engine) -> ApiTeam:
    return make_team(engine, "Team A")


@pytest.fixture
def other_team(engine: Engine) -> ApiTeam:
    return make_team(engine, "Team B")
