"""The REST API under open-loop load (bench/load.py, part "api").

Requests are scheduled at a fixed rate whatever the server does; each latency is measured from
the request's *scheduled* time, so a stalled server shows in the tail (no coordinated omission,
wrk2-style). The mix: 40 % create a contact, 30 % update one, 30 % list a page of 50. A drainer
thread pushes every change to the team's localforce org meanwhile ("the engine running").
"""

from __future__ import annotations

import os
import queue
import random
import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from bench._reliability_setup import DrainerThread, percentile, teams_on_own_orgs
from pushforce.store import create_api_key, write_transaction
from pushforce.web.app import create_app

RATES = [int(r) for r in os.environ.get("LOAD_RATES", "25,50,100,200,400").split(",")]
STEP_SECONDS = float(os.environ.get("LOAD_STEP_SECONDS", "15"))
P99_BAR_MS = float(os.environ.get("LOAD_P99_MS", "250"))
CLIENTS = 64  # sender threads: enough that the generator never waits for a slow answer


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server(threading.Thread):
    def __init__(self, app: Any, port: int) -> None:
        super().__init__(daemon=True)
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        self.server = uvicorn.Server(config)

    def run(self) -> None:
        self.server.run()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)


class OpenLoop:
    """Sends the mix at ``rate`` requests/s for ``seconds``; records (latency ms, status)."""

    def __init__(self, base: str, key: str, contact_ids: list[int], rng: random.Random) -> None:
        self.base, self.key, self.ids, self.rng = base, key, contact_ids, rng
        self.lock = threading.Lock()
        self.serial = 0

    def run(self, rate: float, seconds: float) -> tuple[list[float], list[int], float]:
        work: queue.Queue[tuple[float, str] | None] = queue.Queue()
        results: list[tuple[float, int]] = []
        senders = [
            threading.Thread(target=self._send_all, args=(work, results), daemon=True)
            for _ in range(CLIENTS)
        ]
        for sender in senders:
            sender.start()
        started = time.perf_counter()
        total = int(rate * seconds)
        for n in range(total):
            at = started + n / rate
            time.sleep(max(0.0, at - time.perf_counter()))
            work.put((at, self._pick()))
        for _ in senders:
            work.put(None)
        for sender in senders:
            sender.join(timeout=120)
        elapsed = time.perf_counter() - started
        return [r[0] for r in results], [r[1] for r in results], elapsed

    def _pick(self) -> str:
        roll = self.rng.random()
        return "create" if roll < 0.4 else "update" if roll < 0.7 else "list"

    def _send_all(self, work: queue.Queue[tuple[float, str] | None], out: list[Any]) -> None:
        headers = {"Authorization": f"Bearer {self.key}"}
        with httpx.Client(base_url=self.base, headers=headers, timeout=30) as client:
            while (item := work.get()) is not None:
                scheduled, op = item
                status = self._one(client, op)
                latency = (time.perf_counter() - scheduled) * 1000
                with self.lock:
                    out.append((latency, status))

    def _one(self, client: httpx.Client, op: str) -> int:
        with self.lock:
            self.serial += 1
            n = self.serial
            target = self.rng.choice(self.ids)
        try:
            if op == "create":
                body = {"last_name": f"Load {n}", "email": f"load{n}@api.example"}
                return client.post("/api/v1/contacts", json=body).status_code
            if op == "update":
                return client.patch(
                    f"/api/v1/contacts/{target}", json={"title": f"T{n}"}
                ).status_code
            return client.get("/api/v1/contacts", params={"limit": 50}).status_code
        except httpx.HTTPError:
            return 0


def api_load(work: Path) -> None:
    work.mkdir(parents=True)
    with teams_on_own_orgs(work, ["api"]) as [team]:
        with write_transaction(team.engine) as conn:
            key = create_api_key(conn, team.team_id, name="load").secret
        ids = [
            team.create("contact", last_name=f"Seed {i}", email=f"s{i}@api.example")
            for i in range(200)
        ]
        drainer = DrainerThread(team)
        drainer.start()
        port = _free_port()
        server = Server(create_app(team.engine), port)
        server.start()
        server.wait_ready()
        generator = OpenLoop(f"http://127.0.0.1:{port}", key, ids, random.Random(7))
        print(f"REST API, open loop, {STEP_SECONDS:.0f} s per step, engine draining meanwhile:")
        generator.run(10, 3)  # warm-up (connections, caches), not reported
        held = 0
        for rate in RATES:
            latencies, statuses, elapsed = generator.run(rate, STEP_SECONDS)
            errors = sum(1 for s in statuses if s == 0 or s >= 400)
            p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
            print(
                f"  target {rate:4d}/s: achieved {len(latencies) / elapsed:6.1f}/s, "
                f"p50 {p50:7.1f} ms, p99 {p99:8.1f} ms, errors {errors}"
            )
            if p99 <= P99_BAR_MS and errors == 0:
                held = rate
            if len(latencies) / elapsed < 0.9 * rate:
                break  # saturated: the server no longer keeps up with the schedule
        print(f"  held: {held} requests/s with p99 ≤ {P99_BAR_MS:.0f} ms")
        drainer.stop()
        team.drain_to_the_end()
        report = team.check()
        print(f"  after the load: {report.summary()}")
        server.server.should_exit = True
        server.join(timeout=10)
