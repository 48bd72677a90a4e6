"""`drain_team`: push a team's due jobs under its fenced lease (DESIGN.md §4).

lease → (claim → commit → plan → call Salesforce → settle) until nothing is due → release.
Only the lease holder claims and settles; a drainer that loses its lease stops at its next
claim, and anything it left running is recovered by the next holder.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pushforce.app import failpoints
from pushforce.app.batch import run_batch
from pushforce.app.ports import Clock, GatewayFor
from pushforce.store import connections, leases, outbox, write_transaction
from pushforce.store.outbox import Job

BATCH_SIZE = 200
MAX_CLAIMS_PER_DRAIN = 5  # a relinked job is claimed twice; more means something loops
LEASE_TTL = timedelta(minutes=2)


def new_owner() -> str:
    """A lease owner name unique to this drainer: host, process, random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True, slots=True)
class Drainer:
    """What a drain needs: the store's engine, the team's gateway, a clock, an owner name."""

    engine: Any
    gateway_for: GatewayFor
    clock: Clock
    owner: str
    batch_size: int = BATCH_SIZE
    lease_ttl: timedelta = LEASE_TTL


@dataclass(frozen=True, slots=True)
class DrainReport:
    leased: bool
    batches: int = 0
    jobs: int = 0
    paused: bool = False


def drain_team(drainer: Drainer, team_id: int, *, max_batches: int | None = None) -> DrainReport:
    # Each drain holds the lease under its own name: two drains of one team in one process
    # (procrastinate runs tasks concurrently) must exclude each other like two processes do.
    drainer = dataclasses.replace(drainer, owner=f"{drainer.owner}/{uuid.uuid4().hex[:8]}")
    sf = drainer.gateway_for(team_id)
    if sf is None:  # not connected (or must reconnect): the jobs wait, nothing is claimed
        return DrainReport(leased=False, paused=True)
    drainer = dataclasses.replace(drainer, gateway_for=lambda _team: sf)  # one per drain
    epoch = _acquire(drainer, team_id)
    if epoch is None:
        return DrainReport(leased=False)
    batches = jobs_done = 0
    paused = False
    claims: Counter[int] = Counter()
    try:
        while max_batches is None or batches < max_batches:
            jobs = _claim(drainer, team_id, epoch)
            if jobs is None or not jobs:
                paused = jobs is None
                break
            failpoints.reach("after_claim")
            with _heartbeat(drainer, team_id, epoch):
                report = run_batch(
                    drainer.engine, drainer.gateway_for, drainer.clock, team_id, jobs
                )
            batches, jobs_done = batches + 1, jobs_done + len(jobs)
            claims.update(job.id for job in jobs)
            if report.paused:
                paused = True
                break
            if max(claims.values()) >= MAX_CLAIMS_PER_DRAIN:
                break  # a job keeps coming back at once: leave it to the next sweep, no hot loop
    finally:
        with write_transaction(drainer.engine) as conn:
            leases.release(conn, team_id, drainer.owner, epoch)
    return DrainReport(True, batches, jobs_done, paused)


@contextmanager
def _heartbeat(drainer: Drainer, team_id: int, epoch: int) -> Iterator[None]:
    """Renew the lease every third of its life while a batch runs, so a slow batch (a large
    push-all, a slow org) is not taken over by another drainer half-way."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(drainer.lease_ttl.total_seconds() / 3):
            with write_transaction(drainer.engine) as conn:
                now = drainer.clock.now()
                if not leases.renew(conn, team_id, drainer.owner, epoch, now, drainer.lease_ttl):
                    return

    thread = threading.Thread(target=beat, name=f"pushforce-lease-{team_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _acquire(drainer: Drainer, team_id: int) -> int | None:
    now = drainer.clock.now()
    with write_transaction(drainer.engine) as conn:
        epoch = leases.acquire(conn, team_id, drainer.owner, now, drainer.lease_ttl)
        if epoch is not None:
            outbox.recover_stale(conn, team_id, epoch, now)
            _resume_if_reconnected(conn, team_id)
    return epoch


def _resume_if_reconnected(conn: Any, team_id: int) -> None:
    """A team paused for authentication (R18) drains again once it was connected anew."""
    pause = leases.pause_of(conn, team_id)
    if pause is None or pause.at is None:
        return
    row = connections.connection_for_team(conn, team_id)
    if row is not None and row.state == connections.CONNECTED and row.connected_at >= pause.at:
        leases.resume(conn, team_id)


def _claim(drainer: Drainer, team_id: int, epoch: int) -> list[Job] | None:
    """Due jobs under the lease ([] when none or the lease is lost); None while paused."""
    now = drainer.clock.now()
    with write_transaction(drainer.engine) as conn:
        if leases.pause_of(conn, team_id) is not None:
            return None
        if not leases.renew(conn, team_id, drainer.owner, epoch, now, drainer.lease_ttl):
            return []
        return outbox.claim(conn, team_id, epoch, now, drainer.batch_size)
