"""Migrations build exactly the schema the code declares, and are safe to run again."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine

from pushforce.store import migrate
from pushforce.store.db import full_metadata


def test_migrating_twice_changes_nothing(engine: Engine) -> None:
    migrate(engine)
    migrate(engine)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_heads() != ()


def test_the_migrated_database_matches_the_schema_module(engine: Engine) -> None:
    with engine.connect() as conn, warnings.catch_warnings():
        # SQLite cannot reflect expression indexes (lower(name)); PostgreSQL compares them.
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, full_metadata()) == []
