"""Ops fixtures (push-all, status, log, retry): a team on SQLite connected to a real localforce
over HTTPS, drained through its real gateway (the engine suite's harness, ``tests/engine``)."""

from __future__ import annotations

import base64
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "engine"))

from harness import FakeClock, Org

from localforce.testing import RunningServer, running_server
from pushforce.config import Config
from pushforce.salesforce.orgs import forget_org_states
from pushforce.store import create_team, write_transaction
from store_engines import sqlite_store


@pytest.fixture(scope="session")
def ops_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with sqlite_store(tmp_path_factory.mktemp("ops-store")) as engine:
        yield engine


@pytest.fixture(scope="session")
def ops_lf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("ops-localforce")) as server:
        yield server


@pytest.fixture
def config(tmp_path: Path) -> Config:
    key = base64.b64encode(os.urandom(32)).decode()
    return Config(data_dir=tmp_path, secret_key=key, allowed_salesforce_hosts="127.0.0.1,localhost")


@pytest.fixture
def org(ops_engine: Engine, ops_lf: RunningServer, config: Config) -> Org:
    """A fresh team connected to a freshly reset localforce; ``enabled`` stays off (R11, R12:
    push-all and manual pushes work without it)."""
    ops_lf.control.reset()
    forget_org_states()
    with write_transaction(ops_engine) as conn:
        team = int(create_team(conn, f"team-{uuid.uuid4().hex[:8]}")["id"])
    org = Org(ops_engine, team, ops_lf, config, FakeClock())
    org.connect()
    return org
