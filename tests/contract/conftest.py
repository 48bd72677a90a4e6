"""Store contract fixtures: every test runs against SQLite and PostgreSQL.

Both engines come from ``tests/store_engines.py``: SQLite is a migrated file in a temporary
directory; PostgreSQL is a fresh database on the local server for the session, dropped after
it, and skipped with the reason when the server cannot be reached. Tests isolate themselves by
creating their own teams (everything in the store is team-scoped), so databases are shared.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from record_samples import Refs
from sqlalchemy.engine import Engine
from store_helpers import new_team

from store_engines import postgres_store, sqlite_store


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with sqlite_store(tmp_path_factory.mktemp("store")) as engine:
        yield engine


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    with postgres_store("pushforce_contract") as engine:
        yield engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def team(engine: Engine) -> tuple[int, Refs]:
    return new_team(engine, "Team A")


@pytest.fixture
def other_team(engine: Engine) -> tuple[int, Refs]:
    return new_team(engine, "Team B")
