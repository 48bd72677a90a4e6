"""Push-engine fixtures: the store on SQLite and PostgreSQL (skipped with its reason when the
server cannot be reached), and teams connected to a real localforce over HTTPS (`org`: an org
with Pushforce_Id__c; `strict_org`: one without it and with a restricted Industry picklist)."""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from harness import FakeClock, Org
from sqlalchemy.engine import Engine

from localforce.testing import RunningServer, running_server
from pushforce.config import Config
from pushforce.salesforce.orgs import forget_org_states
from pushforce.store import create_team, write_transaction
from store_engines import postgres_store, sqlite_store


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with sqlite_store(tmp_path_factory.mktemp("engine-store")) as engine:
        yield engine


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    with postgres_store("pushforce_engine") as engine:
        yield engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def team_id(engine: Engine) -> int:
    with write_transaction(engine) as conn:
        return int(create_team(conn, f"team-{uuid.uuid4().hex[:8]}")["id"])


# ---- against localforce (real HTTPS) --------------------------------------------------------


@pytest.fixture(scope="session")
def lf_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("localforce")) as server:
        yield server


STRICT_ORG = {"pushforce_id_fields": False, "restricted_picklists": ["Account.Industry"]}


@pytest.fixture(scope="session")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """An org without Pushforce_Id__c (creates are plain creates, R16 verifies before a retry)
    and with a restricted Industry picklist (a permanent validation error, R18)."""
    with running_server(tmp_path_factory.mktemp("strict"), config=STRICT_ORG) as server:
        yield server


@pytest.fixture
def strict_org(store: Engine, strict_server: RunningServer, config: Config) -> Org:
    strict_server.control.reset()
    return _connected_org(store, strict_server, config)


@pytest.fixture
def lf(lf_server: RunningServer) -> RunningServer:
    lf_server.control.reset()
    return lf_server


@pytest.fixture
def config(tmp_path: Path) -> Config:
    key = base64.b64encode(os.urandom(32)).decode()
    return Config(data_dir=tmp_path, secret_key=key, allowed_salesforce_hosts="127.0.0.1,localhost")


@pytest.fixture
def org(store: Engine, lf: RunningServer, config: Config) -> Org:
    """A team connected to a freshly reset localforce, automatic pushing on."""
    return _connected_org(store, lf, config)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest) -> Engine:
    """The acceptance tests run on both databases (the same store statements, DESIGN.md §3)."""
    return request.getfixturevalue(f"{request.param}_engine")


def _connected_org(engine: Engine, lf: RunningServer, config: Config) -> Org:
    forget_org_states()
    with write_transaction(engine) as conn:
        team = int(create_team(conn, f"team-{uuid.uuid4().hex[:8]}")["id"])
    org = Org(engine, team, lf, config, FakeClock())
    org.connect()
    org.settings(enabled=True)
    return org
