"""A drain worker in its own process, for the kill and stop scenarios.

    python drain_worker.py TEAM_ID [BATCH_SIZE]

Configured like the server (PUSHFORCE_* environment: database, secret key, allowed hosts);
``PUSHFORCE_FAILPOINT`` crashes it at a point of the batch (pushforce.app.failpoints). SIGTERM
stops it gracefully: the batch in flight is abandoned, the lease is released on the way out,
and the next holder puts the abandoned jobs back in the queue.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

from pushforce.app.drain import Drainer, drain_team, new_owner
from pushforce.app.ports import SystemClock
from pushforce.config import Config
from pushforce.salesforce.connections import gateway_for_team
from pushforce.wiring import build_engine

TERMINATED = 143


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(TERMINATED)


def main(team_id: int, batch_size: int) -> None:
    signal.signal(signal.SIGTERM, _stop)
    config = Config()
    engine = build_engine(config, migrate_sqlite=False)
    drainer = Drainer(
        engine,
        lambda team: gateway_for_team(engine, team, config, timeout=(5.0, 30.0)),
        SystemClock(),
        new_owner(),
        batch_size=batch_size,
    )
    print("draining", flush=True)
    report = drain_team(drainer, team_id)
    print(f"drained {report.jobs} jobs in {report.batches} batches", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 200)
