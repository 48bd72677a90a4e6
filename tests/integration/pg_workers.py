"""Helpers of the PostgreSQL integration tests: connected teams, ``pushforce worker``
subprocesses, waiting for a condition with a deadline."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine

from localforce.testing import RunningServer
from pushforce.config import Config
from pushforce.salesforce.connections import connect
from pushforce.salesforce.oauth import Flow, FlowParams
from pushforce.salesforce.secret import Secret
from pushforce.store import create_team, write_transaction
from pushforce.store.settings_repo import save_settings

ROOT = Path(__file__).resolve().parents[2]


def connected_team(engine: Engine, lf: RunningServer, config: Config) -> int:
    with write_transaction(engine) as conn:
        team_id = int(create_team(conn, f"team-{uuid.uuid4().hex[:8]}")["id"])
        save_settings(conn, team_id, {"enabled": True}, None)
    params = FlowParams(
        Flow.CLIENT_CREDENTIALS,
        lf.base_url,
        client_id="localforce-client",
        client_secret=Secret("localforce-secret"),
    )
    connect(engine, team_id, params, config, ca_file=str(lf.ca_path))
    return team_id


class Workers:
    """``pushforce worker`` subprocesses with the test's configuration."""

    def __init__(self, config: Config, log_dir: Path) -> None:
        self.config = config
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "PUSHFORCE_DATABASE_URL": self.config.database_url,
            "PUSHFORCE_SECRET_KEY": self.config.secret_key,
            "PUSHFORCE_DATA_DIR": str(self.config.data_dir),
            "PUSHFORCE_ALLOWED_SALESFORCE_HOSTS": self.config.allowed_salesforce_hosts,
            "PUSHFORCE_LEASE_SECONDS": str(self.config.lease_seconds),
            "PUSHFORCE_DRAIN_BATCH_SIZE": str(self.config.drain_batch_size),
        }
        log = open(self.log_dir / f"worker-{len(self.processes)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from pushforce.cli import main; main()",
                "worker",
                "--concurrency",
                "2",
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.log_dir.glob("*.log")))


def wait_for(
    condition: Callable[[], bool], seconds: float, what: str, details: Callable[[], str] = str
) -> None:
    """Poll until `condition` holds, failing with `what` after the deadline (no fixed sleeps)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}\n{details()}")
        time.sleep(0.1)
