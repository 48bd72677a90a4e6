"""Reliability fixtures: a team on a fresh localforce org, drained by the real engine, judged by
the reconciliation checker (reliability.md §2). The engine suite's harness is reused."""

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

from harness import FakeClock
from reliability_helpers import Team, seed_for

from localforce.testing import RunningServer, running_server
from pushforce.config import Config
from pushforce.salesforce.orgs import forget_org_states
from pushforce.store import create_team, write_transaction
from store_engines import postgres_store, sqlite_store

# Pushforce_Id__c everywhere (R16 upserts); a restricted Industry picklist gives permanent,
# per-record validation errors on demand (the "bad records" of the partial-failure scenarios).
RELIABILITY_ORG = {"restricted_picklists": ["Account.Industry"]}


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("reliability-store")


@pytest.fixture(scope="session")
def sqlite_engine(store_dir: Path) -> Iterator[Engine]:
    with sqlite_store(store_dir) as engine:
        yield engine


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    with postgres_store("pushforce_reliability") as engine:
        yield engine


@pytest.fixture(scope="session")
def lf_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("lf"), config=RELIABILITY_ORG) as server:
        yield server


@pytest.fixture(scope="session")
def secret_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def config(store_dir: Path, secret_key: str) -> Config:
    return Config(
        data_dir=store_dir, secret_key=secret_key, allowed_salesforce_hosts="127.0.0.1,localhost"
    )


@pytest.fixture
def seed(request: pytest.FixtureRequest) -> int:
    """The scenario's seed: PUSHFORCE_SEED replays one; it is printed on every run."""
    value = seed_for(request.node.nodeid)
    print(f"\nseed={value} (replay: PUSHFORCE_SEED={value} pytest '{request.node.nodeid}')")
    return value


def new_team(engine: Engine, lf: RunningServer, config: Config) -> Team:
    forget_org_states()
    with write_transaction(engine) as conn:
        team_id = int(create_team(conn, f"team-{uuid.uuid4().hex[:8]}")["id"])
    team = Team(engine, team_id, lf, config, FakeClock())
    team.connect()
    team.settings(enabled=True)
    return team


@pytest.fixture
def team(sqlite_engine: Engine, lf_server: RunningServer, config: Config) -> Team:
    """A team on SQLite, connected to a freshly reset org, automatic pushing on."""
    lf_server.control.reset()
    return new_team(sqlite_engine, lf_server, config)


@pytest.fixture
def pg_team(postgres_engine: Engine, lf_server: RunningServer, config: Config) -> Team:
    lf_server.control.reset()
    return new_team(postgres_engine, lf_server, config)


@pytest.fixture(scope="session")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """An org without Pushforce_Id__c: creates are plain creates, R16 looks up before a retry."""
    config = {**RELIABILITY_ORG, "pushforce_id_fields": False}
    with running_server(tmp_path_factory.mktemp("strict"), config=config) as server:
        yield server


@pytest.fixture
def strict_team(sqlite_engine: Engine, strict_server: RunningServer, config: Config) -> Team:
    strict_server.control.reset()
    return new_team(sqlite_engine, strict_server, config)
