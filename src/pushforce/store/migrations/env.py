"""Alembic environment: runs on the connection handed over by ``store.db.migrate``."""

from __future__ import annotations

from alembic import context

from pushforce.store.db import full_metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through pushforce.store.db.migrate (pushforce migrate)")

context.configure(
    connection=connection,
    target_metadata=full_metadata(),
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTER TABLE needs batch mode
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
