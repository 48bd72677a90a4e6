"""Migrations build exactly the schema the code declares, and are safe to run again."""

from __future__ import annotations

import warnings

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine

from pushforce.store import make_engine, migrate
from pushforce.store.db import alembic_config, full_metadata


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


def test_every_migration_downgrades_and_upgrades_again(tmp_path) -> None:
    """Each revision's downgrade undoes its upgrade (checked on a throw-away SQLite file)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'roundtrip.db'}")
    migrate(engine)
    with engine.connect() as conn:
        command.downgrade(alembic_config(conn), "base")
        conn.commit()
        assert sa.inspect(conn).get_table_names() == ["alembic_version"]
    migrate(engine)
    with engine.connect() as conn:
        assert "contacts" in sa.inspect(conn).get_table_names()
    engine.dispose()
