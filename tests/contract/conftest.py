"""Store contract fixtures: every test runs against SQLite and PostgreSQL.

SQLite: a migrated file in a temporary directory. PostgreSQL: a fresh database created on the
local server for the session and dropped after it. The maintenance connection is
``PUSHFORCE_TEST_POSTGRES_URL`` or, by default, database ``test`` at 127.0.0.1:5432 as user
``postgres`` or ``root``. When the server cannot be reached the PostgreSQL tests are skipped
with the reason. Tests isolate themselves by creating their own teams (everything in the store
is team-scoped), so databases are shared per session.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from record_samples import Refs
from sqlalchemy.engine import Engine
from store_helpers import new_team

from pushforce.store import make_engine, migrate

DEFAULT_POSTGRES = [  # the local server's trust-auth users, tried in order
    "postgresql://postgres@127.0.0.1:5432/test",
    "postgresql://root@127.0.0.1:5432/test",
]


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("store") / "pushforce.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    yield engine
    engine.dispose()


def _create_test_database(admin_urls: list[str], name: str) -> Engine:
    """An AUTOCOMMIT engine on the first reachable maintenance URL, after creating ``name``."""
    failures = []
    for url in admin_urls:
        admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
            return admin
        except sa.exc.OperationalError as error:
            admin.dispose()
            failures.append(f"{url}: {str(error.orig).strip()}")
    pytest.skip("PostgreSQL cannot be reached — " + "; ".join(failures))


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    configured = os.environ.get("PUSHFORCE_TEST_POSTGRES_URL")
    name = f"pushforce_test_{uuid.uuid4().hex[:12]}"
    admin = _create_test_database([configured] if configured else DEFAULT_POSTGRES, name)
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
def team(engine: Engine) -> tuple[int, Refs]:
    return new_team(engine, "Team A")


@pytest.fixture
def other_team(engine: Engine) -> tuple[int, Refs]:
    return new_team(engine, "Team B")
