"""Engines, migrations and transactions.

* ``make_engine(url)`` — SQLite (WAL, busy timeout, foreign keys on) or PostgreSQL (psycopg 3).
* ``migrate(engine)`` — ``alembic upgrade head``, programmatically (idempotent).
* ``write_transaction(engine)`` — a connection inside a transaction that commits on success and
  rolls back on any exception; on SQLite it starts with ``BEGIN IMMEDIATE`` so the write lock
  is taken up front (no lock-upgrade deadlocks between concurrent writers).
* ``read_connection(engine)`` — a connection for reads (one transaction, rolled back at the end).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy.engine import Connection, Engine

from pushforce.store import dialect
from pushforce.store.schema import metadata

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def full_metadata() -> sa.MetaData:
    """``schema.metadata`` with the tables of every ``pushforce.store`` module declared on it
    (other modules may add their tables to that metadata; migrations must build all of them)."""
    import pushforce.store

    for info in pkgutil.walk_packages(pushforce.store.__path__, "pushforce.store."):
        if ".migrations" not in info.name:
            importlib.import_module(info.name)
    return metadata


def make_engine(url: str) -> Engine:
    parsed = dialect.normalize_url(url)
    engine = sa.create_engine(parsed, **dialect.engine_options(parsed))
    dialect.prepare_engine(engine)
    from pushforce.store import push_hook  # every record write enqueues its push (R17)

    push_hook.install(engine)
    return engine


def alembic_config(connection: Connection) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to ``revision`` (default: the newest)."""
    with engine.connect() as connection:
        command.upgrade(alembic_config(connection), revision)
        connection.commit()


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        connection = connection.execution_options(**dialect.write_options(engine))
        with connection.begin():
            yield connection


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection, connection.begin() as transaction:
        yield connection
        transaction.rollback()
