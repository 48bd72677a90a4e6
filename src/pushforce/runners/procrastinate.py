"""Scale-out: ``pushforce worker`` processes on PostgreSQL, drained through procrastinate.

procrastinate only wakes drains up and runs the periodic upkeep (DESIGN.md §4); the outbox and
the fenced team lease decide who pushes what. Its ``lock`` is never used (a lock stalls
behind backoff retries); a team's wake-up uses a ``queueing_lock`` instead, so at most one
wake-up per team waits in the queue however many changes arrive.

* ``pushforce.drain(team_id)`` — drain one team (the lease makes a second drainer a no-op);
* ``pushforce.sweep`` (every 2 s) — wake every team with a due job;
* ``pushforce.reap`` (every 15 s) — free leases of dead drainers and wake their teams.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import procrastinate
import sqlalchemy as sa
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.schema import SchemaManager
from sqlalchemy.engine import Engine

from pushforce.app.drain import Drainer, drain_team
from pushforce.app.maintenance import reap, sweep
from pushforce.config import Config
from pushforce.runners.wiring import drainer as build_drainer

log = logging.getLogger(__name__)
QUEUE = "pushforce"
SCHEMA_LOCK = 0x70F0_0001  # advisory lock id: one worker applies procrastinate's schema


def make_app(conninfo: str = "") -> procrastinate.App:
    """The worker's procrastinate app: its tasks close over the running drainer."""
    connector = procrastinate.PsycopgConnector(conninfo=conninfo) if conninfo else None
    app = procrastinate.App(connector=connector or procrastinate.PsycopgConnector())

    @app.task(name="pushforce.drain", queue=QUEUE)
    def drain(team_id: int) -> None:
        log.info("team %s drained: %s", team_id, drain_team(_drainer(), team_id))

    @app.periodic(cron="* * * * * */2", periodic_id="sweep")  # seconds are the 6th field
    @app.task(name="pushforce.sweep", queue=QUEUE)
    async def sweep_teams(timestamp: int) -> None:
        drainer = _drainer()
        await wake(app, await asyncio.to_thread(sweep, drainer.engine, drainer.clock.now()))

    @app.periodic(cron="* * * * * */15", periodic_id="reap")
    @app.task(name="pushforce.reap", queue=QUEUE)
    async def reap_leases(timestamp: int) -> None:
        drainer = _drainer()
        await wake(app, await asyncio.to_thread(reap, drainer.engine, drainer.clock.now()))

    return app


async def wake(app: procrastinate.App, teams: list[int]) -> None:
    """One waiting wake-up per team at most (``queueing_lock``)."""
    task = app.tasks["pushforce.drain"]
    for team_id in teams:
        try:
            await task.configure(queueing_lock=f"team-{team_id}").defer_async(team_id=team_id)
        except AlreadyEnqueued:
            continue


_running: list[Drainer] = []


def _drainer() -> Drainer:
    if not _running:
        raise RuntimeError("the pushforce worker was not started with run_worker()")
    return _running[0]


def conninfo(engine: Engine) -> str:
    """The engine's PostgreSQL URL as libpq conninfo (psycopg's form)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def ensure_schema(engine: Engine) -> None:
    """procrastinate's tables, applied once (several workers may start together)."""
    with engine.begin() as conn:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": SCHEMA_LOCK})
        exists = conn.execute(sa.text("SELECT to_regclass('procrastinate_jobs')")).scalar()
        if exists is None:  # the DBAPI cursor: the schema's "%" are not placeholders
            with conn.connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
                cursor.execute(SchemaManager.get_schema())


def run_worker(engine: Engine, config: Config, *, concurrency: int = 4, **options: Any) -> None:
    """Run one worker process until SIGTERM/SIGINT: drains, sweeps and reaps."""
    ensure_schema(engine)
    drainer = build_drainer(engine, config)
    _running[:] = [drainer]
    app = make_app(conninfo(engine))

    async def main() -> None:
        async with app.open_async():
            await wake(app, await asyncio.to_thread(sweep, engine, drainer.clock.now()))
            await app.run_worker_async(queues=[QUEUE], concurrency=concurrency, **options)

    asyncio.run(main())
