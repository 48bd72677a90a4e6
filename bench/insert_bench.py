"""``store.records.insert_records`` throughput with and without the outbox on the write hook.

Three set-ups per database, each on its own engine and team, inserting the same contacts (every
other one with an account, so half the jobs carry a parent) in transactions of ``CHUNK``:

* ``no hook`` — an engine without the outbox: the cost of the insert itself;
* ``hook, per record`` — the outbox listener called once per record (how every write enqueued
  before ``hooks.records_written``: about five statements per record);
* ``hook, set-based`` — ``make_engine`` as shipped: the bulk listener, a few statements a chunk.

SQLite is a temporary file; PostgreSQL a fresh database on ``INSERT_BENCH_POSTGRES`` (default
``postgresql://postgres@127.0.0.1:5432/test``'s server), dropped afterwards.
Rows: ``INSERT_BENCH_ROWS`` (default 3000). ``python -m bench insert_bench``.

Measured (2,000 contacts, 2 shared cores, 2026-11-27) — rows/s, no hook / per record / set-based:
SQLite 33,100 / 1,380 / 21,600; PostgreSQL 9,100 / 460 / 4,180 (set-based was 1,340 on
PostgreSQL while ``outbox.enqueue_new`` trusted the executemany rowcount, which is -1 there).
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

ROWS = int(os.environ.get("INSERT_BENCH_ROWS", "3000"))
CHUNK = 1000
POSTGRES = os.environ.get("INSERT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def _engine(url: str, hook: str) -> Engine:
    from pushforce.store import dialect, hooks, make_engine, push_hook

    if hook == "set-based":
        return make_engine(url)
    parsed = dialect.normalize_url(url)
    engine = sa.create_engine(parsed, **dialect.engine_options(parsed))
    dialect.prepare_engine(engine)
    if hook == "per record":  # a plain function has no bulk form: called once per change
        hooks.add_write_listener(engine, push_hook.enqueue_for_change)
    return engine


def _contacts(account_id: int) -> list[dict[str, Any]]:
    from pushforce.inputs import ContactIn

    return [
        ContactIn.model_validate(
            {"last_name": f"Person {i}", "email": f"p{i}@example.com",
             "account_id": account_id if i % 2 else None}
        ).model_dump()
        for i in range(ROWS)
    ]  # fmt: skip


def _measure(engine: Engine) -> float:
    """Rows per second of ``insert_records`` on a fresh team of ``engine``."""
    from pushforce.inputs import AccountIn
    from pushforce.store import create_team, insert_record, insert_records, write_transaction

    with write_transaction(engine) as conn:
        team_id = int(create_team(conn, f"bench-{uuid.uuid4().hex[:8]}")["id"])
        account = AccountIn.model_validate({"name": "Acme"}).model_dump()
        account_id = int(insert_record(conn, team_id, "account", account)["id"])
    records = _contacts(account_id)
    started = time.perf_counter()
    for start in range(0, len(records), CHUNK):
        with write_transaction(engine) as conn:
            insert_records(conn, team_id, "contact", records[start : start + CHUNK])
    return len(records) / (time.perf_counter() - started)


@contextmanager
def _sqlite() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="pushforce-insert-bench-") as tmp:
        yield f"sqlite:///{tmp}/pushforce.db"


@contextmanager
def _postgres() -> Iterator[str]:
    from pushforce.store import make_engine

    admin = make_engine(POSTGRES).execution_options(isolation_level="AUTOCOMMIT")
    name = f"pushforce_insert_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _run(label: str, database: Callable[[], Any]) -> None:
    from pushforce.store import migrate

    with database() as url:
        for hook in ("no hook", "per record", "set-based"):
            engine = _engine(url, hook)
            if hook == "no hook":
                migrate(engine)
            rate = _measure(engine)
            engine.dispose()
            print(f"{label:<11} {hook:<18} {ROWS:>7,} rows {rate:>9,.0f} rows/s", flush=True)


def main() -> None:
    _run("SQLite", _sqlite)
    _run("PostgreSQL", _postgres)


if __name__ == "__main__":
    main()
