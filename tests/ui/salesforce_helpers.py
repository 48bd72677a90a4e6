"""Connecting a UI test team to a running localforce (real HTTPS, client-credentials flow)."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from localforce.testing import RunningServer
from pushforce.config import Config
from pushforce.salesforce.connections import connect
from pushforce.salesforce.oauth import Flow, FlowParams
from pushforce.salesforce.orgs import forget_org_states
from pushforce.salesforce.secret import Secret


def localforce_config(data_dir: Path) -> Config:
    key = base64.b64encode(os.urandom(32)).decode()
    hosts = "127.0.0.1,localhost"
    return Config(data_dir=data_dir, secret_key=key, allowed_salesforce_hosts=hosts)


def connect_team(engine: object, team_id: int, server: RunningServer, config: Config) -> None:
    forget_org_states()
    params = FlowParams(
        Flow.CLIENT_CREDENTIALS,
        server.base_url,
        client_id="localforce-client",
        client_secret=Secret("localforce-secret"),
    )
    connect(engine, team_id, params, config, ca_file=str(server.ca_path))  # type: ignore[arg-type]
