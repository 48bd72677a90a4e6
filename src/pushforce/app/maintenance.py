"""Periodic upkeep of the outbox (DESIGN.md §4): the sweep and the reaper.

* `sweep` — teams with a due job: wake-ups are an optimisation, the sweep makes a lost one
  cost latency, never data.
* `reap` — leases whose drainer died expire; the team is freed and woken (the next drainer
  recovers its running jobs), and running slots of manual pushes whose process died go.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pushforce.store import leases, outbox, read_connection, write_transaction

MANUAL_SLOT_MAX_AGE = timedelta(minutes=15)  # far longer than any synchronous push takes


def sweep(engine: Any, now: datetime) -> list[int]:
    with read_connection(engine) as conn:
        return outbox.due_teams(conn, now)


def reap(engine: Any, now: datetime) -> list[int]:
    with write_transaction(engine) as conn:
        teams = leases.reap_expired(conn, now)
        outbox.release_manual_slots(conn, now - MANUAL_SLOT_MAX_AGE)
    return teams
