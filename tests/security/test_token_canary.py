"""A canary token searched for everywhere (reliability §3.5, ASVS 16.2.5): the team connects to
localforce over real HTTPS with a distinctive refresh token, pushes (one push failing, one after
its access token expired, one after the refresh token was revoked), and then every answer of
the API, every page of the UI, the CLI's ``connect status``/``status``/``log``, every log record
at DEBUG on every logger and the bytes of the database file are searched: no token, refresh
token or client secret appears anywhere, and the database holds them encrypted."""

from __future__ import annotations

import base64
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from security_helpers import SecTeam, new_team
from sqlalchemy.engine import Engine
from typer.testing import CliRunner
from ui_helpers import sign_in

from localforce.testing import RunningServer, running_server
from pushforce.cli import app as cli
from pushforce.config import Config
from pushforce.salesforce.orgs import forget_org_states
from pushforce.store import make_engine, migrate
from pushforce.web.app import create_app

CANARY = "5AepCANARY0ce1ot-do-not-leak-7f3a9c2e5b1d"
CLIENT_SECRET = "localforce-secret"


@dataclass
class Site:
    engine: Engine
    config: Config
    lf: RunningServer
    team: SecTeam
    db_path: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data_dir = tmp_path_factory.mktemp("canary")
    key = base64.b64encode(os.urandom(32)).decode()
    config = Config(data_dir=data_dir, secret_key=key, allowed_salesforce_hosts="127.0.0.1")
    engine = make_engine(config.resolved_database_url())
    migrate(engine)
    with running_server(tmp_path_factory.mktemp("canary-lf")) as lf:
        yield Site(engine, config, lf, new_team(engine, "Canary Team"), data_dir / "pushforce.db")
    engine.dispose()


def _connect(api: TestClient, site: Site) -> None:
    site.lf.state.tokens.add_refresh_tokens("localforce-client", (CANARY,))
    body = {
        "flow": "refresh-token",
        "login_url": site.lf.base_url,
        "client_id": "localforce-client",
        "client_secret": CLIENT_SECRET,
        "refresh_token": CANARY,
        "ca_file": str(site.lf.ca_path),
    }
    answer = api.put("/api/v1/salesforce/connection", json=body, headers=site.team.headers)
    assert answer.status_code == 200, answer.text


def _pushes(api: TestClient, site: Site) -> list[str]:
    h, lf = site.team.headers, site.lf
    push = f"/api/v1/contacts/{site.team.records['contact']}/salesforce/push"
    shown = [api.post(push, headers=h).text]
    lf.control.add_fault({"kind": "UNABLE_TO_LOCK_ROW", "path": "composite/sobjects", "count": 1})
    account = f"/api/v1/accounts/{site.team.records['account']}"
    api.patch(account, json={"name": "Globex Two"}, headers=h)
    shown.append(api.post(f"{account}/salesforce/push", headers=h).text)  # fails: lock
    lf.control.expire_tokens()  # the next push refreshes with the canary
    api.patch(account, json={"name": "Globex Three"}, headers=h)
    shown.append(api.post(f"{account}/salesforce/push", headers=h).text)
    lf.state.tokens.revoke(CANARY)
    lf.control.expire_tokens()  # and now the refresh itself fails
    deal = f"/api/v1/deals/{site.team.records['deal']}/salesforce/push"
    shown.append(api.post(deal, headers=h).text)
    return shown


def _reads(api: TestClient, site: Site) -> list[str]:
    h = site.team.headers
    paths = [
        "/api/v1/salesforce/connection",
        "/api/v1/salesforce/status",
        "/api/v1/salesforce/log?limit=500",
        "/api/v1/salesforce/settings",
    ]
    shown = [api.get(path, headers=h).text for path in paths]
    sign_in(api, site.team.ui)
    pages = [
        "/status",
        "/sync-log",
        "/settings/integrations/salesforce",
        "/people",
        f"/people/{site.team.records['contact']}",
        f"/deals/{site.team.records['deal']}",
    ]
    return shown + [api.get(page).text for page in pages]


def _cli(site: Site, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("PUSHFORCE_DATA_DIR", str(site.config.data_dir))
    monkeypatch.setenv("PUSHFORCE_SECRET_KEY", site.config.secret_key)
    monkeypatch.setenv("PUSHFORCE_ALLOWED_SALESFORCE_HOSTS", "127.0.0.1")
    monkeypatch.delenv("PUSHFORCE_DATABASE_URL", raising=False)
    runner = CliRunner()
    team = ["--team", "Canary Team"]
    commands = [["connect", "status", *team], ["status", *team], ["log", *team]]
    results = [runner.invoke(cli, command) for command in commands]
    assert all(r.exit_code == 0 for r in results), [r.output for r in results]
    return [r.output for r in results]


def _secrets(site: Site) -> list[str]:
    issued = [t for t in site.lf.state.tokens.access if t != site.lf.token]
    minted = list(site.lf.state.tokens.refresh)
    return [CANARY, CLIENT_SECRET, *issued, *minted]


def _database_bytes(path: Path) -> bytes:
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-journal")]
    return b"".join(f.read_bytes() for f in files if f.exists())


def test_the_canary_token_appears_nowhere(
    site: Site, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    forget_org_states()
    app = create_app(site.engine)
    app.state.config = site.config
    with TestClient(app, raise_server_exceptions=False) as api:
        _connect(api, site)
        shown = _pushes(api, site) + _reads(api, site)
    statuses = [json.loads(text).get("status") for text in shown[:4]]
    assert statuses[0] == "pushed" and statuses[2] == "pushed" and statuses[3] == "paused"
    assert statuses[1] != "pushed"  # the injected lock failure
    shown += _cli(site, monkeypatch)
    logged = (
        [caplog.text]
        + [str(r.args) for r in caplog.records]
        + [str(r.exc_info) for r in caplog.records if r.exc_info]
    )
    stored = _database_bytes(site.db_path)
    secrets = _secrets(site)
    assert len(secrets) >= 4  # the canary, the client secret and two access tokens at least
    for secret in secrets:
        for text in shown + logged:
            assert secret not in text
        assert secret.encode() not in stored  # encrypted at rest, never plaintext
    assert len(caplog.records) > 0
