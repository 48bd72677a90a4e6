"""``/api/v1/salesforce/connection`` end to end over HTTP, against localforce: connect, show,
disconnect — and no token or secret in any answer (reliability §3.5)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sf_helpers import REFRESH_TOKEN
from sqlalchemy.engine import Engine

from localforce.testing import RunningServer
from pushforce.config import Config
from pushforce.salesforce.connections import DbTokenStore
from pushforce.salesforce.crypto import keyring_from
from pushforce.store import create_api_key, write_transaction
from pushforce.web.app import create_app

PATH = "/api/v1/salesforce/connection"


@pytest.fixture
def api(engine: Engine, config: Config) -> Iterator[TestClient]:
    app = create_app(engine)
    app.state.config = config
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def headers(engine: Engine, team_id: int) -> dict[str, str]:
    with write_transaction(engine) as conn:
        key = create_api_key(conn, team_id, None, "tests")
    return {"Authorization": f"Bearer {key.secret}"}


def _refresh_body(lf: RunningServer, token: str = REFRESH_TOKEN) -> dict[str, str]:
    return {
        "flow": "refresh-token",
        "login_url": lf.base_url,
        "client_id": "localforce-client",
        "client_secret": "localforce-secret",
        "refresh_token": token,
        "ca_file": str(lf.ca_path),
    }


def test_put_connects_and_get_shows_the_connection_without_secrets(
    api: TestClient,
    headers: dict[str, str],
    lf: RunningServer,
    engine: Engine,
    team_id: int,
    config: Config,
) -> None:
    assert api.get(PATH, headers=headers).json() == {
        **{
            k: None
            for k in (
                "flow",
                "org_id",
                "instance_url",
                "user_id",
                "user_name",
                "username",
                "connected_at",
                "updated_at",
                "last_error",
                "api_usage",
            )
        },
        "connected": False,
        "state": "disconnected",
    }
    put = api.put(PATH, headers=headers, json=_refresh_body(lf))
    assert put.status_code == 200, put.text
    shown = api.get(PATH, headers=headers)
    body = shown.json()
    assert body["connected"] and body["state"] == "connected"
    assert (body["org_id"], body["instance_url"]) == (lf.state.org.org_id, lf.base_url)
    assert body["api_usage"]["limit"] == 100000
    access = DbTokenStore(engine, team_id, keyring_from(config.secret_key, config.data_dir)).load()
    for text in (put.text, shown.text):
        assert access.access_token.reveal() not in text
        assert REFRESH_TOKEN not in text and "localforce-secret" not in text


def test_delete_disconnects_and_revokes(
    api: TestClient, headers: dict[str, str], lf: RunningServer
) -> None:
    minted = lf.control.mint_refresh_token("localforce-client")
    assert api.put(PATH, headers=headers, json=_refresh_body(lf, minted)).status_code == 200
    assert api.delete(PATH, headers=headers).status_code == 204
    assert minted not in lf.state.tokens.refresh
    assert api.get(PATH, headers=headers).json()["state"] == "disconnected"
    assert api.delete(PATH, headers=headers).status_code == 404


@pytest.mark.parametrize(
    ("change", "status", "path"),
    [
        ({"client_id": None}, 422, "body.client_id"),
        ({"flow": "password"}, 422, "body.flow"),
        ({"login_url": "https://evil.com#.salesforce.com", "ca_file": None}, 422, "body.login_url"),
        ({"login_url": "http://login.salesforce.com", "ca_file": None}, 422, "body.login_url"),
        ({"login_url": "https://login.salesforce.com"}, 422, "body.ca_file"),
        ({"surprise": 1}, 422, "body.surprise"),
        ({"refresh_token": "5AepNotAToken"}, 400, None),
    ],
)
def test_bad_requests_name_the_field_and_store_nothing(
    api: TestClient,
    headers: dict[str, str],
    lf: RunningServer,
    change: dict[str, object],
    status: int,
    path: str | None,
) -> None:
    body = {**_refresh_body(lf), **change}
    answer = api.put(PATH, headers=headers, json={k: v for k, v in body.items() if v is not None})
    assert answer.status_code == status, answer.text
    assert answer.json()["errors"][0]["path"] == path
    assert "5AepNotAToken" not in answer.text and "localforce-secret" not in answer.text
    assert api.get(PATH, headers=headers).json()["state"] == "disconnected"


def test_the_connection_needs_an_api_key(api: TestClient) -> None:
    assert api.get(PATH).status_code == 401
