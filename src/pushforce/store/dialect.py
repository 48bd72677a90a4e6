"""The only place where SQLite and PostgreSQL differ.

Everything else in ``store/`` writes dialect-neutral SQLAlchemy Core and asks this module for
the few things that are not: engine set-up (SQLite pragmas and ``BEGIN IMMEDIATE``; the
psycopg 3 driver for PostgreSQL), the JSON column type, case-insensitive matching and
insert-or-ignore.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, Connection, Engine, make_url

SQLITE_BUSY_TIMEOUT_MS = 30_000
BEGIN_OPTION = "pushforce_begin"  # execution option: "IMMEDIATE" for SQLite write transactions


def is_sqlite(bind: Engine | Connection) -> bool:
    return bind.dialect.name == "sqlite"


def normalize_url(url: str) -> URL:
    """``postgresql://`` (and ``postgres://``) → psycopg 3; SQLite and others unchanged."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def engine_options(url: URL) -> dict[str, Any]:
    if url.get_backend_name() == "sqlite":
        return {"connect_args": {"check_same_thread": False}}
    return {"pool_pre_ping": True}


def prepare_engine(engine: Engine) -> None:
    """Dialect-specific behaviour of every connection of ``engine``."""
    if is_sqlite(engine):
        _ensure_sqlite_directory(engine.url)
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        sa.event.listen(engine, "begin", _sqlite_on_begin)


def _ensure_sqlite_directory(url: URL) -> None:
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event decide how a transaction starts (pysqlite would otherwise
    # issue a deferred BEGIN lazily, which upgrades to a write lock too late and can deadlock).
    dbapi_connection.isolation_level = None
    dbapi_connection.create_function("pf_casefold", 1, _casefold, deterministic=True)
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
        "foreign_keys=ON",
        "synchronous=NORMAL",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_on_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(BEGIN_OPTION, "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def write_options(bind: Engine) -> dict[str, Any]:
    """Execution options for a write transaction: SQLite takes the write lock up front."""
    return {BEGIN_OPTION: "IMMEDIATE"} if is_sqlite(bind) else {}


# ---- column types ----------------------------------------------------------------------------


JSONDocument = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


class UtcDateTime(sa.TypeDecorator[datetime]):
    """Timestamps stored in UTC, always returned timezone-aware.

    PostgreSQL keeps ``timestamptz``; SQLite keeps text without an offset, read back as UTC.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC timestamp column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# ---- statements ------------------------------------------------------------------------------


def insert_ignoring_conflicts(bind: Engine | Connection, table: sa.Table) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING`` for ``table`` on either database."""
    if is_sqlite(bind):
        return sqlite.insert(table).on_conflict_do_nothing()
    return postgresql.insert(table).on_conflict_do_nothing()


def icontains(bind: Engine | Connection, column: Any, text: str) -> Any:
    """Case-insensitive substring match, ``%`` and ``_`` taken literally.

    PostgreSQL folds case for every script itself (``lower`` … ``LIKE``); SQLite's ``lower`` and
    ``LIKE`` fold only ASCII, so on SQLite both sides go through Python's ``str.casefold``
    (``pf_casefold``, registered on every connection) and ``Édith`` finds ``édith``."""
    if is_sqlite(bind):
        return sa.func.pf_casefold(column).contains(text.casefold(), autoescape=True)
    return column.icontains(text, autoescape=True)


def _casefold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value
