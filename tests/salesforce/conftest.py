"""Gateway and connection tests run against a real localforce over HTTPS.

One localforce per session (OAuth clients: the default one with a configured refresh token,
one that rotates refresh tokens, one with a JWT certificate), reset before every test; the org
state the gateways share in-process is forgotten too (localforce's org ids repeat).
"""

from __future__ import annotations

import base64
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sf_helpers import JWT_CLIENT, REFRESH_TOKEN, ROTATING_CLIENT, rsa_key_and_certificate

from localforce.testing import RunningServer, running_server
from pushforce.config import Config
from pushforce.salesforce.orgs import forget_org_states
from pushforce.store import create_team, make_engine, migrate, write_transaction


@pytest.fixture(scope="session")
def jwt_key() -> tuple[str, str]:
    return rsa_key_and_certificate()


@pytest.fixture(scope="session")
def lf_server(
    tmp_path_factory: pytest.TempPathFactory, jwt_key: tuple[str, str]
) -> Iterator[RunningServer]:
    config = {
        "oauth_clients": [
            {
                "client_id": "localforce-client",
                "client_secret": "localforce-secret",
                "refresh_tokens": [REFRESH_TOKEN],
            },
            {
                "client_id": ROTATING_CLIENT,
                "client_secret": "rotating-secret",
                "rotate_refresh_tokens": True,
            },
            {
                "client_id": JWT_CLIENT,
                "client_secret": "jwt-secret",
                "username": "jwt@localforce.test",
                "jwt_certificate": jwt_key[1],
            },
        ],
    }
    with running_server(tmp_path_factory.mktemp("localforce"), config=config) as server:
        yield server


@pytest.fixture
def lf(lf_server: RunningServer) -> RunningServer:
    lf_server.control.reset()
    lf_server.control._call("POST", "/tokens/restore")
    lf_server.control._call("DELETE", "/log")
    return lf_server


@pytest.fixture(autouse=True)
def _fresh_org_states() -> None:
    forget_org_states()


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('store') / 'pushforce.db'}")
    migrate(engine, "heads")
    yield engine
    engine.dispose()


@pytest.fixture
def team_id(engine: Engine) -> int:
    with write_transaction(engine) as conn:
        return int(create_team(conn, f"team-{os.urandom(4).hex()}")["id"])


@pytest.fixture
def config(tmp_path: Path) -> Config:
    key = base64.b64encode(os.urandom(32)).decode()
    return Config(data_dir=tmp_path, secret_key=key, allowed_salesforce_hosts="127.0.0.1,localhost")
