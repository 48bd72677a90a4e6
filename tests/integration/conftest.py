"""Integration on PostgreSQL: real ``pushforce worker`` processes drain teams connected to a
real localforce over HTTPS. Skipped with the reason when PostgreSQL cannot be reached."""

from __future__ import annotations

import base64
import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_workers import Workers
from sqlalchemy.engine import Engine

from localforce.testing import RunningServer, running_server
from pushforce.config import Config
from store_engines import postgres_store


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    with postgres_store("pushforce_integration") as engine:
        yield engine


@pytest.fixture
def localforce(tmp_path: Path) -> Iterator[RunningServer]:
    with running_server(tmp_path / "localforce") as server:
        yield server


@pytest.fixture
def three_orgs(tmp_path: Path) -> Iterator[list[RunningServer]]:
    """Three separate orgs (three localforce servers)."""
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(running_server(tmp_path / f"org{i}")) for i in range(3)]


@pytest.fixture
def config(tmp_path: Path, pg_engine: Engine) -> Config:
    url = pg_engine.url.render_as_string(hide_password=False)
    return Config(
        data_dir=tmp_path / "data",
        database_url=url,
        secret_key=base64.b64encode(os.urandom(32)).decode(),
        allowed_salesforce_hosts="127.0.0.1,localhost",
        lease_seconds=5,
        drain_batch_size=1000,  # several collection calls per stage: the org's cap is exercised
    )


@pytest.fixture
def workers(config: Config, tmp_path: Path) -> Iterator[Workers]:
    running = Workers(config, tmp_path)
    yield running
    running.stop()
