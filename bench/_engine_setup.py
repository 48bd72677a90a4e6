"""Set-up shared by the engine benchmark: a Pushforce store and team connected to a localforce
subprocess, records seeded through the one bulk write path, timers and memory probes."""

from __future__ import annotations

import base64
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from localforce.testing import ControlClient
from pushforce.app.drain import Drainer, drain_team
from pushforce.app.push_all import PushAllRequest, run_push_all, start_push_all
from pushforce.config import Config
from pushforce.inputs import KIND_MODELS
from pushforce.salesforce.connections import connect, gateway_for_team
from pushforce.salesforce.oauth import Flow, FlowParams
from pushforce.salesforce.orgs import forget_org_states
from pushforce.salesforce.secret import Secret
from pushforce.store import create_team, insert_records, make_engine, migrate, write_transaction
from pushforce.store.settings_repo import save_settings

SEED_CHUNK = 5_000


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def random(self) -> float:
        return 0.5


@dataclass
class Bench:
    """One Pushforce store and team, connected to the benchmark's localforce."""

    engine: Engine
    team_id: int
    config: Config
    control: ControlClient
    clock: Clock = field(default_factory=Clock)
    _gateway: Any = None

    def gateway_for(self, team_id: int) -> Any:
        if self._gateway is None:
            self._gateway = gateway_for_team(self.engine, team_id, self.config)
        return self._gateway

    def api_calls(self) -> int:
        return int(self.control.counters()["api_calls"])

    def settings(self, **document: Any) -> None:
        with write_transaction(self.engine) as conn:
            save_settings(conn, self.team_id, document, None)

    def push_all(self, kind: str, batch_size: int) -> dict[str, Any]:
        run = start_push_all(self.engine, self.clock, self.team_id, PushAllRequest(kind), "bench")
        return run_push_all(
            self.engine,
            self.gateway_for,
            self.clock,
            self.team_id,
            run,
            owner=f"bench-{uuid.uuid4().hex[:6]}",
            batch_size=batch_size,
            idle_seconds=5.0,
        )

    def drain(self, batch_size: int = 200) -> int:
        drainer = Drainer(self.engine, self.gateway_for, self.clock, "bench", batch_size)
        return drain_team(drainer, self.team_id).jobs


@contextmanager
def pushforce_team(work: Path, port: int, token: str, name: str) -> Iterator[Bench]:
    """A fresh SQLite store and team connected to localforce (client credentials)."""
    directory = work / name
    directory.mkdir()
    key = base64.b64encode(os.urandom(32)).decode()
    config = Config(
        data_dir=directory, secret_key=key, allowed_salesforce_hosts="127.0.0.1,localhost"
    )
    engine = make_engine(f"sqlite:///{directory / 'pushforce.db'}")
    migrate(engine)
    with write_transaction(engine) as conn:
        team_id = int(create_team(conn, name)["id"])
    forget_org_states()
    base_url = f"https://127.0.0.1:{port}"
    params = FlowParams(
        Flow.CLIENT_CREDENTIALS,
        base_url,
        client_id="localforce-client",
        client_secret=Secret("localforce-secret"),
    )
    ca = str(work / "localforce" / "ca.pem")
    connect(engine, team_id, params, config, ca_file=ca)
    try:
        yield Bench(engine, team_id, config, ControlClient(base_url, token, Path(ca)))
    finally:
        engine.dispose()


def account_row(i: int) -> dict[str, Any]:
    return {"name": f"Company {i}", "website": f"https://company{i}.example"}


def contact_row(i: int, accounts: int) -> dict[str, Any]:
    return {
        "first_name": f"First{i}",
        "last_name": f"Last{i}",
        "email": f"person{i}@company{i % accounts}.example",
        "email_status": "verified",
        "title": "Buyer",
    }


def seed(bench: Bench, accounts: int, contacts: int) -> tuple[list[int], list[int]]:
    """Records through ``insert_records`` (the hook enqueues each), in chunks."""
    account_ids = _insert(bench, "account", (account_row(i) for i in range(accounts)), accounts)
    rows = (
        {**contact_row(i, accounts), "account_id": account_ids[i % accounts]}
        for i in range(contacts)
    )
    return account_ids, _insert(bench, "contact", rows, contacts)


def _insert(bench: Bench, kind: str, rows: Iterator[dict[str, Any]], total: int) -> list[int]:
    model = KIND_MODELS[kind][0]
    ids: list[int] = []
    while len(ids) < total:
        chunk = [
            model.model_validate(next(rows)).model_dump()
            for _ in range(min(SEED_CHUNK, total - len(ids)))
        ]
        with write_transaction(bench.engine) as conn:
            ids += insert_records(conn, bench.team_id, kind, chunk)
    return ids


# ---- measuring ---------------------------------------------------------------------------------


def reset_peak_rss() -> None:
    """Linux: VmHWM restarts from the current RSS (``clear_refs`` 5)."""
    with suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_rss_mb() -> float:
    text = Path("/proc/self/status").read_text()
    found = re.search(r"VmHWM:\s+(\d+) kB", text)
    return int(found.group(1)) / 1024 if found else float("nan")


@dataclass
class Measured:
    seconds: float
    calls: int
    peak_mb: float
    result: Any = None


def measure(bench: Bench, action: Callable[[], Any]) -> Measured:
    reset_peak_rss()
    calls = bench.api_calls()
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    return Measured(seconds, bench.api_calls() - calls, peak_rss_mb(), result)


def latency(bench: Bench, per_request_ms: int) -> None:
    bench.control.set_limits(per_request_ms=per_request_ms)
