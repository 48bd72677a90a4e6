"""Security suite fixtures (reliability §3, issue 8 item 5): one migrated SQLite file, two teams
each with a signed-in-able user and an API key, and a TestClient on the real app."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

_TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(_TESTS / "ui"))
sys.path.insert(0, str(_TESTS / "contract"))

from security_helpers import SecTeam, new_team  # noqa: E402
from ui_helpers import cheap_password_hashes  # noqa: E402

from pushforce.web.app import create_app  # noqa: E402
from store_engines import sqlite_store  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def cheap_hashes() -> Iterator[None]:
    with cheap_password_hashes():
        yield


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with sqlite_store(tmp_path_factory.mktemp("security")) as engine:
        yield engine


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine), raise_server_exceptions=False) as client:
        yield client


# Module-wide: every test here is refused and changes nothing (each asserts so), so the teams
# and their records can be shared; building them is most of a test's cost otherwise.
@pytest.fixture(scope="session")
def team_a(engine: Engine) -> SecTeam:
    return new_team(engine, "Team A", versions=3)


@pytest.fixture(scope="session")
def team_b(engine: Engine) -> SecTeam:
    return new_team(engine, "Team B", company="Initech", person="Bob")
