"""Activity acceptance fixtures (R13, R14, R16): a team on SQLite connected over HTTPS to a real
localforce, drained by the engine through the engine harness of ``tests/engine``."""

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
from store_engines import postgres_store, sqlite_store

# An org where Task and Event carry Pushforce_Id__c as an External ID: creates are upserts.
UPSERT_ORG = {
    "custom_fields": {
        "Task": [{"name": "Pushforce_Id__c", "type": "string", "length": 64, "external_id": True}],
        "Event": [{"name": "Pushforce_Id__c", "type": "string", "length": 64, "external_id": True}],
    }
}


@pytest.fixture(scope="session")
def activity_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with sqlite_store(tmp_path_factory.mktemp("activity-store")) as engine:
        yield engine


@pytest.fixture(scope="session")
def activity_postgres_engine() -> Iterator[Engine]:
    with postgres_store("pushforce_activities") as engine:
        yield engine


@pytest.fixture(scope="session")
def default_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """localforce's default org: Pushforce_Id__c is an External ID on people, accounts and
    opportunities, and a plain text field on Task and Event (activities cannot upsert)."""
    with running_server(tmp_path_factory.mktemp("activity-lf")) as server:
        yield server


@pytest.fixture(scope="session")
def bare_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """An org without Pushforce_Id__c anywhere: every create is plain (R16 verifies first)."""
    config = {"pushforce_id_fields": False}
    with running_server(tmp_path_factory.mktemp("activity-bare"), config=config) as server:
        yield server


@pytest.fixture(scope="session")
def upsert_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """An org whose Task and Event hold Pushforce_Id__c as an External ID: creates upsert."""
    with running_server(tmp_path_factory.mktemp("activity-upsert"), config=UPSERT_ORG) as server:
        yield server


@pytest.fixture
def config(tmp_path: Path) -> Config:
    key = base64.b64encode(os.urandom(32)).decode()
    return Config(data_dir=tmp_path, secret_key=key, allowed_salesforce_hosts="127.0.0.1,localhost")


def connected_org(engine: Engine, server: RunningServer, config: Config) -> Org:
    server.control.reset()
    forget_org_states()
    with write_transaction(engine) as conn:
        team = int(create_team(conn, f"team-{uuid.uuid4().hex[:8]}")["id"])
    org = Org(engine, team, server, config, FakeClock())
    org.connect()
    org.settings(enabled=True)
    return org


@pytest.fixture
def org(activity_engine: Engine, default_server: RunningServer, config: Config) -> Org:
    return connected_org(activity_engine, default_server, config)


@pytest.fixture
def bare_org(activity_engine: Engine, bare_server: RunningServer, config: Config) -> Org:
    return connected_org(activity_engine, bare_server, config)


@pytest.fixture
def upsert_org(activity_engine: Engine, upsert_server: RunningServer, config: Config) -> Org:
    return connected_org(activity_engine, upsert_server, config)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_org(request: pytest.FixtureRequest, default_server: RunningServer, config: Config) -> Org:
    """The default org with the store on SQLite and on PostgreSQL (skipped with its reason)."""
    engine = request.getfixturevalue(
        "activity_engine" if request.param == "sqlite" else "activity_postgres_engine"
    )
    return connected_org(engine, default_server, config)
