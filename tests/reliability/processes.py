"""Real worker processes for the kill and stop scenarios (tests/reliability/drain_worker.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from reliability_helpers import Team

WORKER = Path(__file__).with_name("drain_worker.py")
DEADLINE = 60.0


def start_worker(
    team: Team, failpoint: str | None = None, batch_size: int = 200
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PUSHFORCE_DATABASE_URL": team.engine.url.render_as_string(hide_password=False),
        "PUSHFORCE_SECRET_KEY": team.config.secret_key,
        "PUSHFORCE_ALLOWED_SALESFORCE_HOSTS": "127.0.0.1,localhost",
        "PUSHFORCE_DATA_DIR": str(team.config.data_dir),
    }
    env.pop("PUSHFORCE_FAILPOINT", None)
    if failpoint is not None:
        env["PUSHFORCE_FAILPOINT"] = failpoint
    command = [sys.executable, str(WORKER), str(team.team_id), str(batch_size)]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_for(condition: Callable[[], bool], what: str, deadline: float = DEADLINE) -> None:
    """Poll ``condition`` until it holds (no fixed sleeps decide anything)."""
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def finish(worker: subprocess.Popen[str]) -> tuple[int, str]:
    out, err = worker.communicate(timeout=DEADLINE)
    return worker.returncode, out + err
