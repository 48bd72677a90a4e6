"""Acceptance fixtures: the real app (TestClient) on SQLite, a team with an API key connected
to a real localforce over HTTPS, and the engine harness (``tests/engine``) to drain and to read
localforce's state."""

from __future__ import annotations

import base64
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "engine"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ops"))

from acceptance_helpers import Team
from harness import FakeClock, Org

from localforce.testing import RunningServer, running_server
from pushforce.config import Config
from pushforce.salesforce.orgs import forget_org_states
from pushforce.store import create_api_key, create_team, write_transaction
from pushforce.web.app import create_app
from store_engines import sqlite_store

# A Block duplicate rule on Contact.Title: a contact whose title an existing Salesforce contact
# has fails permanently (DUPLICATES_DETECTED, R18) until that contact is gone. Records without a
# title are never matched (blank values are not compared).
LOCALFORCE_CONFIG = {
    "duplicate_rules": [{"object": "Contact", "fields": ["Title"], "action": "block"}]
}


@pytest.fixture(scope="session")
def acceptance_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with sqlite_store(tmp_path_factory.mktemp("acceptance-store")) as engine:
        yield engine


@pytest.fixture(scope="session")
def acceptance_lf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("acceptance-lf"), config=LOCALFORCE_CONFIG) as lf:
        yield lf


@pytest.fixture(scope="session")
def secret_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def config(tmp_path: Path, acceptance_engine: Engine, secret_key: str) -> Config:
    return Config(
        data_dir=tmp_path,
        database_url=str(acceptance_engine.url),
        secret_key=secret_key,
        allowed_salesforce_hosts="127.0.0.1,localhost",
    )


@pytest.fixture
def team(acceptance_engine: Engine, acceptance_lf: RunningServer, config: Config) -> Iterator[Team]:
    """A fresh team, connected, automatic pushing off (the demo's state), with an API key."""
    acceptance_lf.control.reset()
    forget_org_states()
    name = f"team-{uuid.uuid4().hex[:8]}"
    with write_transaction(acceptance_engine) as conn:
        team_id = int(create_team(conn, name)["id"])
        key = create_api_key(conn, team_id, None, "acceptance").secret
    org = Org(acceptance_engine, team_id, acceptance_lf, config, FakeClock())
    org.connect()
    app = create_app(acceptance_engine)
    app.state.config = config
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Team(org, client, key, name)
