"""One HTTPS localforce for the server tests (config in `server_config`), reset before each
test that uses it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from server_config import jwt_key_and_certificate, server_config

from localforce.testing import ControlClient, RunningServer, running_server


@pytest.fixture(scope="session")
def jwt_private_key(server_bundle: tuple[RunningServer, bytes]) -> bytes:
    return server_bundle[1]


@pytest.fixture(scope="session")
def server_bundle(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[RunningServer, bytes]]:
    key, certificate = jwt_key_and_certificate()
    data_dir: Path = tmp_path_factory.mktemp("localforce")
    with running_server(data_dir, config=server_config(certificate)) as server:
        yield server, key


@pytest.fixture
def lf(server_bundle: tuple[RunningServer, bytes]) -> RunningServer:
    server = server_bundle[0]
    server.control.reset()  # also brings limits, latency and the bulk rate back to the config
    return server


@pytest.fixture
def control(lf: RunningServer) -> ControlClient:
    return lf.control


@pytest.fixture
def sf(lf: RunningServer) -> Any:
    return lf.simple_salesforce()
