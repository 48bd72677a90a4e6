"""Migrated store engines for tests: a SQLite file, or a throw-away PostgreSQL database.

Suites wrap these in their own fixtures (any conftest can ``from store_engines import …``;
``tests/`` is on ``sys.path`` because of ``tests/conftest.py``)::

    @pytest.fixture(scope="session")
    def postgres_engine() -> Iterator[Engine]:
        with postgres_store("pushforce_mysuite") as engine:
            yield engine

PostgreSQL comes from ``PUSHFORCE_TEST_POSTGRES_URL`` (the maintenance connection; default the
local server). When it cannot be reached the test is skipped with the reason, never silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from pushforce.store import make_engine, migrate

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


@contextmanager
def sqlite_store(directory: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{directory / 'pushforce.db'}")
    migrate(engine)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def postgres_store(prefix: str) -> Iterator[Engine]:
    admin_url = os.environ.get("PUSHFORCE_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
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
