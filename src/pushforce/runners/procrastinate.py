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
from dataclasses import dataclass
from typing import Any

import procrastinate
import sqlalchemy as sa
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy.engine import Engine

from pushforce.app.drain import Drainer, drain_team
from pushforce.app.maintenance import reap, sweep
from pushforce.config import Config
from pushforce.runners.wiring import drainer as build_drainer

log = logging.getLogger(__name__)
QUEUE = "pushforce"
SCHEMA_LOCK = 0x70F0_0001  # advisory lock id: one worker applies procrastinate's schema


@dataclass
class _Context:
    drainer: Drainer | None = None
    app: procrastinate.App | None = None  # the running worker's app (its open connector)


context = _Context()
app = procrastinate.App(connector=procrastinate.PsycopgConnector())


@app.task(name="pushforce.drain", queue=QUEUE, pass_context=False)
def drain(team_id: int) -> None:
    drainer = _drainer()
    report = drain_team(drainer, team_id)
    log.info("team %s drained: %s", team_id, report)


@app.periodic(cron="*/2 * * * * *", periodic_id="sweep")
@app.task(name="pushforce.sweep", queue=QUEUE)
async def sweep_teams(timestamp: int) -> None:
    drainer = _drainer()
    teams = await asyncio.to_thread(sweep, drainer.engine, drainer.clock.now())
    await wake(teams)


@app.periodic(cron="*/15 * * * * *", periodic_id="reap")
@app.task(name="pushforce.reap", queue=QUEUE)
async def reap_leases(timestamp: int) -> None:
    drainer = _drainer()
    teams = await asyncio.to_thread(reap, drainer.engine, drainer.clock.now())
    await wake(teams)


async def wake(teams: list[int]) -> None:
    """One waiting wake-up per team at most (``queueing_lock``)."""
    running = context.app or app
    task = running.tasks["pushforce.drain"]
    for team_id in teams:
        try:
            await task.configure(queueing_lock=f"team-{team_id}").defer_async(team_id=team_id)
        except AlreadyEnqueued:
            continue


def _drainer() -> Drainer:
    if context.drainer is None:
        raise RuntimeError("the pushforce worker was not started with run_worker()")
    return context.drainer


def conninfo(engine: Engine) -> str:
    """The engine's PostgreSQL URL as libpq conninfo (psycopg's form)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def ensure_schema(engine: Engine) -> None:
    """procrastinate's tables, applied once (several workers may start together)."""
    with engine.begin() as conn:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": SCHEMA_LOCK})
        exists = conn.execute(sa.text("SELECT to_regclass('procrastinate_jobs')")).scalar()
        if exists is None:
            conn.exec_driver_sql(app.schema_manager.get_schema())


def run_worker(engine: Engine, config: Config, *, concurrency: int = 4, **options: Any) -> None:
    """Run one worker process until SIGTERM/SIGINT: drains, sweeps and reaps."""
    ensure_schema(engine)
    drainer = build_drainer(engine, config)
    context.drainer = drainer
    context.app = app.with_connector(procrastinate.PsycopgConnector(conninfo=conninfo(engine)))

    async def main() -> None:
        assert context.app is not None
        async with context.app.open_async():
            await wake(await asyncio.to_thread(sweep, engine, drainer.clock.now()))
            await context.app.run_worker_async(queues=[QUEUE], concurrency=concurrency, **options)

    asyncio.run(main())
