"""The embedded SQLite engine: WAL, foreign keys, busy timeout and BEGIN IMMEDIATE writers."""

from __future__ import annotations

import sqlite3
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from store_helpers import count, create_values, new_team

from pushforce.store import insert_record, make_engine, write_transaction
from pushforce.store.dialect import SQLITE_BUSY_TIMEOUT_MS


def test_connections_use_wal_foreign_keys_and_a_busy_timeout(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == SQLITE_BUSY_TIMEOUT_MS


def test_the_data_directory_is_created(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'deep' / 'er' / 'pushforce.db'}")
    with engine.connect() as conn:
        conn.exec_driver_sql("select 1")
    assert (tmp_path / "deep" / "er" / "pushforce.db").exists()
    engine.dispose()


def test_concurrent_writers_all_commit(sqlite_engine: Engine) -> None:
    """BEGIN IMMEDIATE takes the write lock up front: writers queue instead of deadlocking."""
    team_id, refs = new_team(sqlite_engine, "Busy team")
    before = count(sqlite_engine, "task")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(20):
                with write_transaction(sqlite_engine) as conn:
                    conn.execute(sa.text("select count(*) from tasks")).scalar()  # read, then write
                    insert_record(
                        conn, team_id, "task", create_values("task", refs, title=f"t{n}-{i}")
                    )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(sqlite_engine, "task") == before + 80


def test_postgres_urls_use_psycopg_3() -> None:
    engine = make_engine("postgresql://someone@db.example.com/pushforce")
    assert engine.dialect.driver == "psycopg"
    assert make_engine("postgres://x@h/db").dialect.driver == "psycopg"


def test_a_write_transaction_holds_the_write_lock_from_its_start(sqlite_engine: Engine) -> None:
    """BEGIN IMMEDIATE: before its first statement, other writers are already kept out."""
    database = sqlite_engine.url.database
    with write_transaction(sqlite_engine):
        other = sqlite3.connect(database, timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
