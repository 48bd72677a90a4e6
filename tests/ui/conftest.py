"""UI fixtures: one migrated SQLite file per session, a fresh team with a user who has a
password per test, and a TestClient on the real app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from salesforce_helpers import connect_team, localforce_config
from sqlalchemy.engine import Engine
from ui_helpers import UiTeam, cheap_password_hashes, make_team, sign_in

from localforce.testing import RunningServer, running_server
from pushforce.web.app import create_app
from store_engines import sqlite_store


@pytest.fixture(scope="session", autouse=True)
def cheap_hashes() -> Iterator[None]:
    with cheap_password_hashes():
        yield


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with sqlite_store(tmp_path_factory.mktemp("ui")) as engine:
        yield engine


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def team(engine: Engine) -> UiTeam:
    return make_team(engine, "Team A")


@pytest.fixture
def other_team(engine: Engine) -> UiTeam:
    return make_team(engine, "Team B", company="Initech", person="Bob")


@pytest.fixture
def signed_in(client: TestClient, team: UiTeam) -> str:
    return sign_in(client, team)


@pytest.fixture(scope="session")
def lf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One localforce org (real HTTPS) for the suite; reset before each test that connects."""
    with running_server(tmp_path_factory.mktemp("localforce")) as server:
        yield server


@pytest.fixture
def connected(
    engine: Engine, team: UiTeam, lf: RunningServer, tmp_path: Path
) -> Iterator[TestClient]:
    """A client on an app whose Config can reach localforce, the team connected to it."""
    lf.control.reset()
    config = localforce_config(tmp_path)
    connect_team(engine, team.team_id, lf, config)
    app = create_app(engine)
    app.state.config = config
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
