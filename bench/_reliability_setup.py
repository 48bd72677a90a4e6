"""Shared by bench/soak.py and bench/load.py: teams on their own localforce orgs, drained by
background drainer threads, with lag read back from the sync log and the checker's verdict."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from localforce.testing import ControlClient, RunningServer, running_server
from pushforce.app.check import check_team
from pushforce.app.check_report import CheckReport
from pushforce.app.drain import Drainer, drain_team
from pushforce.config import Config
from pushforce.inputs import KIND_MODELS
from pushforce.salesforce.connections import connect, gateway_for_team
from pushforce.salesforce.oauth import Flow, FlowParams
from pushforce.salesforce.secret import Secret
from pushforce.store import (
    create_team,
    insert_record,
    make_engine,
    migrate,
    read_connection,
    update_record,
    write_transaction,
)
from pushforce.store.push_schema import push_jobs, sync_log
from pushforce.store.settings_repo import save_settings

SUCCESS = ("created", "linked", "updated", "relinked")
ORG_CONFIG = {"restricted_picklists": ["Account.Industry"]}
TIMEOUT = (5.0, 3.0)  # a hung Salesforce call gives up after 3 s


class OffsetClock:
    """Wall-clock time plus an offset moved only at the end, to let backoffs fall due at once."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def random(self) -> float:
        return 0.5

    def advance(self, minutes: float) -> None:
        self.offset += timedelta(minutes=minutes)


@dataclass
class BenchTeam:
    engine: Engine
    team_id: int
    config: Config
    lf: RunningServer
    clock: OffsetClock
    name: str
    _gateway: Any = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def gateway_for(self, team_id: int) -> Any:
        with self.lock:
            if self._gateway is None:
                self._gateway = gateway_for_team(self.engine, team_id, self.config, timeout=TIMEOUT)
            return self._gateway

    def settings(self, **document: Any) -> None:
        with write_transaction(self.engine) as conn:
            save_settings(conn, self.team_id, document, None)

    def create(self, kind: str, **values: Any) -> int:
        model = KIND_MODELS[kind][0].model_validate(values)
        with write_transaction(self.engine) as conn:
            return int(insert_record(conn, self.team_id, kind, model.model_dump())["id"])

    def change(self, kind: str, record_id: int, **values: Any) -> None:
        model = KIND_MODELS[kind][1].model_validate(values)
        with write_transaction(self.engine) as conn:
            update_record(conn, self.team_id, kind, record_id, model.model_dump(exclude_unset=True))

    def drain(self, batch_size: int = 200) -> int:
        drainer = Drainer(
            self.engine, self.gateway_for, self.clock, f"{self.name}-drainer", batch_size
        )
        return drain_team(drainer, self.team_id).jobs

    def open_jobs(self) -> int:
        c = push_jobs.c
        query = sa.select(sa.func.count()).where(
            c.team_id == self.team_id, c.state.in_(("pending", "running"))
        )
        with read_connection(self.engine) as conn:
            return int(conn.execute(query).scalar_one())

    def drain_to_the_end(self, max_rounds: int = 60) -> int:
        for rounds in range(1, max_rounds + 1):
            self.drain()
            if not self.open_jobs():
                return rounds
            self.clock.advance(minutes=10)
        raise RuntimeError(f"{self.name}: not drained after {max_rounds} rounds")

    def check(self) -> CheckReport:
        return check_team(
            self.engine, self.team_id, self.gateway_for(self.team_id), self.clock.now()
        )

    def log(self) -> list[dict[str, Any]]:
        c = sync_log.c
        query = sa.select(c.kind, c.record_id, c.outcome, c.at).where(c.team_id == self.team_id)
        with read_connection(self.engine) as conn:
            return [dict(row._mapping) for row in conn.execute(query.order_by(c.id))]


def store_engine(work: Path) -> Engine:
    url = os.environ.get("PUSHFORCE_BENCH_DATABASE_URL") or f"sqlite:///{work / 'pushforce.db'}"
    engine = make_engine(url)
    migrate(engine)
    return engine


@contextmanager
def teams_on_own_orgs(work: Path, names: list[str]) -> Iterator[list[BenchTeam]]:
    """One store, one localforce org per team (real HTTPS), each team connected to its org."""
    key = base64.b64encode(os.urandom(32)).decode()
    config = Config(data_dir=work, secret_key=key, allowed_salesforce_hosts="127.0.0.1,localhost")
    engine = store_engine(work)
    with ExitStack() as stack:
        teams = []
        for name in names:
            lf = stack.enter_context(org_server(work / f"lf-{name}"))
            teams.append(_connected(engine, config, lf, name))
        yield teams
    engine.dispose()


@contextmanager
def org_server(data_dir: Path) -> Iterator[RunningServer]:
    """A localforce org in a process of its own (as Salesforce is not in ours), unless
    BENCH_ORGS_IN_PROCESS=1 asks for in-process threads."""
    if os.environ.get("BENCH_ORGS_IN_PROCESS") == "1":
        with running_server(data_dir, config=ORG_CONFIG) as lf:
            yield lf
        return
    data_dir.mkdir(parents=True)
    (data_dir / "org.json").write_text(json.dumps(ORG_CONFIG))
    token = secrets.token_urlsafe(24)
    command = [sys.executable, "-m", "localforce", "serve", "--host", "127.0.0.1", "--port", "0"]
    command += [
        "--data-dir",
        str(data_dir),
        f"--token={token}",  # a token may start with '-'
        "--config",
        str(data_dir / "org.json"),
    ]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert server.stdout is not None
        ready = server.stdout.readline()
        found = re.search(r"ready on (https://\S+) \(CA: ([^)]+)\)", ready)
        if found is None:
            raise SystemExit(f"localforce did not start: {ready}")
        base_url, ca_path = found.group(1), Path(found.group(2))
        control = ControlClient(base_url, token, ca_path)
        yield RunningServer(base_url, token, ca_path, control, None)  # type: ignore[arg-type]
    finally:
        server.terminate()
        server.wait(timeout=30)


def _connected(engine: Engine, config: Config, lf: RunningServer, name: str) -> BenchTeam:
    with write_transaction(engine) as conn:
        team_id = int(create_team(conn, f"{name}-{uuid.uuid4().hex[:6]}")["id"])
    params = FlowParams(
        Flow.CLIENT_CREDENTIALS,
        lf.base_url,
        client_id="localforce-client",
        client_secret=Secret("localforce-secret"),
    )
    connect(engine, team_id, params, config, ca_file=str(lf.ca_path))
    team = BenchTeam(engine, team_id, config, lf, OffsetClock(), name)
    team.settings(enabled=True)
    return team


class DrainerThread(threading.Thread):
    """Drains its team whenever anything is due, polling like the periodic sweep does."""

    def __init__(self, team: BenchTeam, idle: float = 0.1, batch_size: int = 200) -> None:
        super().__init__(daemon=True, name=f"drain-{team.name}")
        self.team, self.idle, self.batch_size = team, idle, batch_size
        self.stopping = threading.Event()
        self.errors: list[BaseException] = []

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                if self.team.drain(self.batch_size) == 0:
                    self.stopping.wait(self.idle)
            except Exception as error:  # a fault the engine did not absorb: count it, go on
                self.errors.append(error)
                self.stopping.wait(self.idle)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=60)


def lags(changes: list[tuple[str, int, datetime]], log: list[dict[str, Any]]) -> list[float]:
    """Seconds from each change's commit to the first successful push of its record after it."""
    pushed: dict[tuple[str, int], list[datetime]] = {}
    for entry in log:
        if entry["outcome"] in SUCCESS:
            pushed.setdefault((entry["kind"], entry["record_id"]), []).append(_utc(entry["at"]))
    found = []
    for kind, record_id, at in changes:
        later = [moment for moment in pushed.get((kind, record_id), []) if moment >= at]
        if later:
            found.append((min(later) - at).total_seconds())
    return found


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def describe_lags(values: list[float]) -> str:
    if not values:
        return "no pushes"
    return (
        f"p50 {percentile(values, 50):.2f} s, p99 {percentile(values, 99):.2f} s, "
        f"max {max(values):.2f} s, mean {statistics.fmean(values):.2f} s (n={len(values)})"
    )


def now() -> datetime:
    return datetime.now(UTC)


def wait_until(condition: Any, deadline: float) -> bool:
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            return False
        time.sleep(0.1)
    return True
