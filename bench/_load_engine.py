"""The engine under load (bench/load.py, parts "backlog" and "fair").

* **backlog** — Salesforce answers 503 to everything for "30 minutes" while changes keep coming:
  the backlog is ``BACKLOG_RATE × BACKLOG_MINUTES × 60`` new contacts written through the one
  write path (each enqueues its job), one drain pass hits the outage (every call fails, every
  job goes to backoff), then the fault is lifted, the fake clock is moved 30 minutes on (every
  backoff due) and the drain to an empty queue is timed, with localforce's latency model set to
  ``BACKLOG_LATENCY_MS`` per call (reliability.md §2.5 models a 300 ms median).
* **fair** — team B streams real-time changes (``FAIR_RATE``/s) to its org; its lag (commit →
  pushed) is measured alone, then while team A's push-all of ``FAIR_RECORDS`` contacts runs in
  a worker process of its own against A's org. The ratio of the two is the fairness figure.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench._reliability_setup import (
    BenchTeam,
    DrainerThread,
    describe_lags,
    lags,
    now,
    percentile,
    teams_on_own_orgs,
)
from pushforce.inputs import KIND_MODELS
from pushforce.store import insert_records, write_transaction
from pushforce.store.push_schema import push_jobs

BACKLOG_RATE = float(os.environ.get("BACKLOG_RATE", "10"))
BACKLOG_MINUTES = float(os.environ.get("BACKLOG_MINUTES", "30"))
BACKLOG_LATENCY_MS = int(os.environ.get("BACKLOG_LATENCY_MS", "300"))
FAIR_RECORDS = int(os.environ.get("FAIR_RECORDS", "20000"))
FAIR_RATE = float(os.environ.get("FAIR_RATE", "5"))
FAIR_SECONDS = float(os.environ.get("FAIR_SECONDS", "30"))
CHUNK = 5000


def seed_contacts(team: BenchTeam, count: int, tag: str) -> None:
    model = KIND_MODELS["contact"][0]
    for start in range(0, count, CHUNK):
        rows = [
            model.model_validate(
                {"last_name": f"{tag} {i}", "email": f"{tag}{i}@load.example"}
            ).model_dump()
            for i in range(start, min(count, start + CHUNK))
        ]
        with write_transaction(team.engine) as conn:
            insert_records(conn, team.team_id, "contact", rows)


def _calls(team: BenchTeam) -> int:
    return int(team.lf.control.counters()["api_calls"])


def _refused(team: BenchTeam) -> int:
    return int(team.lf.control.counters()["by_status"].get("503", 0))


def backlog_drain(work: Path) -> None:
    work.mkdir(parents=True)
    count = int(BACKLOG_RATE * BACKLOG_MINUTES * 60)
    with teams_on_own_orgs(work, ["backlog"]) as [team]:
        seed_contacts(team, count, "backlog")
        team.lf.control.add_fault({"kind": "503", "count": 10**6})
        team.drain()
        failed_calls = _refused(team)
        team.lf.control.clear_faults()
        team.clock.advance(minutes=BACKLOG_MINUTES)
        team.lf.control.set_limits(per_request_ms=BACKLOG_LATENCY_MS)
        calls, started = _calls(team), time.perf_counter()
        team.drain_to_the_end()
        seconds, calls = time.perf_counter() - started, _calls(team) - calls
        team.lf.control.set_limits(per_request_ms=0)
        print(
            f"backlog after a {BACKLOG_MINUTES:.0f}-minute outage: {count} contacts "
            f"({failed_calls} calls failed during the outage); drained in {seconds:.1f} s = "
            f"{count / seconds:.0f} records/s, {calls} API calls ({count / max(1, calls):.0f} "
            f"records per call), latency model {BACKLOG_LATENCY_MS} ms per call"
        )
        print(f"  checker: {team.check().summary()}")


class Stream(threading.Thread):
    """Team B's real-time changes at a fixed rate (open loop): creates and updates."""

    def __init__(self, team: BenchTeam, rate: float, tag: str) -> None:
        super().__init__(daemon=True)
        self.team, self.rate, self.tag = team, rate, tag
        self.changes: list[tuple[str, int, Any]] = []
        self.stopping = threading.Event()
        self.ids: list[int] = []

    def run(self) -> None:
        started, n = time.monotonic(), 0
        while not self.stopping.is_set():
            self.stopping.wait(max(0.0, started + n / self.rate - time.monotonic()))
            if n % 2 == 0 or not self.ids:
                record_id = self.team.create(
                    "contact", last_name=f"B {n}", email=f"{self.tag}{n}@rt.example"
                )
                self.ids.append(record_id)
            else:
                record_id = self.ids[n % len(self.ids)]
                self.team.change("contact", record_id, title=f"T{n}")
            self.changes.append(("contact", record_id, now()))
            n += 1

    def stop(self) -> list[tuple[str, int, Any]]:
        self.stopping.set()
        self.join(timeout=30)
        return self.changes


def _measure_b(team_b: BenchTeam, tag: str, seconds: float, until: Any = None) -> list[float]:
    stream = Stream(team_b, FAIR_RATE, tag)
    stream.start()
    end = time.monotonic() + seconds
    while time.monotonic() < end or (until is not None and until()):
        time.sleep(0.2)
    changes = stream.stop()
    time.sleep(1.0)  # the last changes' pushes
    return lags(changes, team_b.log())


def fairness(work: Path) -> None:
    work.mkdir(parents=True)
    with teams_on_own_orgs(work, ["a", "b"]) as [team_a, team_b]:
        seed_contacts(team_a, FAIR_RECORDS, "bulk")
        with write_transaction(team_a.engine) as conn:  # a push-all, not a stream of creates
            conn.execute(sa.delete(push_jobs).where(push_jobs.c.team_id == team_a.team_id))
        drainer_b = DrainerThread(team_b)
        drainer_b.start()
        alone = _measure_b(team_b, "alone", FAIR_SECONDS)
        worker = push_all_process(team_a)
        started = time.perf_counter()
        during = _measure_b(team_b, "during", FAIR_SECONDS, until=lambda: worker.poll() is None)
        worker.wait(timeout=1800)
        push_all_seconds = time.perf_counter() - started
        drainer_b.stop()
        print(f"fairness: team A push-all of {FAIR_RECORDS} contacts in its own worker process")
        print(f"  A: {push_all_seconds:.1f} s ({FAIR_RECORDS / push_all_seconds:.0f} records/s)")
        print(f"  B alone:        lag {describe_lags(alone)}")
        print(f"  B during A:     lag {describe_lags(during)}")
        for p in (50, 99):
            base, busy = percentile(alone, p), percentile(during, p)
            print(f"  B p{p} during / alone: {busy / base:.2f} ({(busy - base) * 1000:+.0f} ms)")
        for team in (team_a, team_b):
            team.drain_to_the_end()
            report = team.check()
            print(f"  checker {team.name}: {report.summary()}")
            for finding in report.violations[:5]:
                print(f"    {finding.category} {finding.external_id}: {finding.detail}")


def push_all_process(team: BenchTeam) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PUSHFORCE_DATABASE_URL": team.engine.url.render_as_string(hide_password=False),
        "PUSHFORCE_SECRET_KEY": team.config.secret_key,
        "PUSHFORCE_ALLOWED_SALESFORCE_HOSTS": "127.0.0.1,localhost",
        "PUSHFORCE_DATA_DIR": str(team.config.data_dir),
    }
    command = [sys.executable, "-m", "bench._load_engine", "push-all", str(team.team_id)]
    return subprocess.Popen(command, env=env)


def _push_all_main(team_id: int) -> None:
    from pushforce.app.ports import SystemClock
    from pushforce.app.push_all import PushAllRequest, run_push_all, start_push_all
    from pushforce.config import Config
    from pushforce.salesforce.connections import gateway_for_team
    from pushforce.wiring import build_engine

    config = Config()
    engine = build_engine(config, migrate_sqlite=False)
    clock = SystemClock()
    gateways: dict[int, Any] = {}

    def gateway_for(team: int) -> Any:
        if team not in gateways:
            gateways[team] = gateway_for_team(engine, team, config)
        return gateways[team]

    run = start_push_all(engine, clock, team_id, PushAllRequest("contact"), "load-bench")
    run_push_all(engine, gateway_for, clock, team_id, run, owner="load-bench-a", idle_seconds=2.0)


if __name__ == "__main__" and sys.argv[1:2] == ["push-all"]:
    _push_all_main(int(sys.argv[2]))
