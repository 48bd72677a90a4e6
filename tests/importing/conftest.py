"""Import fixtures: a migrated SQLite store (one per session), a fresh team per test, and the
same on PostgreSQL for the tests that ask for ``any_engine`` (skipped with the reason when the
local server cannot be reached)."""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from import_helpers import new_team
from sqlalchemy.engine import Engine

from pushforce.importing.report import ImportReport
from pushforce.importing.service import import_csv
from pushforce.store import make_engine, migrate

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("import") / "pushforce.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    admin_url = os.environ.get("PUSHFORCE_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"pushforce_import_{uuid.uuid4().hex[:12]}"
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
def any_engine(request: pytest.FixtureRequest) -> Engine:
    name = "engine" if request.param == "sqlite" else "postgres_engine"
    return request.getfixturevalue(name)


@pytest.fixture
def team_id(engine: Engine) -> int:
    return new_team(engine)


Importer = Callable[..., ImportReport]


@pytest.fixture
def run(engine: Engine, team_id: int) -> Importer:
    """Import CSV text (or bytes) into the test's team."""

    def _run(data: str | bytes, kind: str = "contacts", **options: Any) -> ImportReport:
        raw = data.encode() if isinstance(data, str) else data
        return import_csv(engine, team_id, kind, io.BytesIO(raw), **options)  # type: ignore[arg-type]

    return _run
