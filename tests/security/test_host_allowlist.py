"""The token endpoint and instance URL allow-list, through the real
``PUT /api/v1/salesforce/connection`` (reliability §3.2, ASVS 1.3.6): look-alike hosts, userinfo,
fragment and backslash tricks, homographs, IP literals, plain HTTP, ports and trailing dots are
refused with a message naming the field — and nothing is sent: the variants that would reach a
local listener leave it without a single connection."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from security_helpers import SecTeam, fingerprint
from sqlalchemy.engine import Engine

from pushforce.config import Config
from pushforce.web.app import create_app

PATH = "/api/v1/salesforce/connection"

LOOK_ALIKES = [
    "https://salesforce.com.evil.com",
    "https://login.salesforce.com.evil.com",
    "https://evil-salesforce.com",
    "https://evilsalesforce.com",
    "https://my.salesforce.com@evil.com",
    "https://login.salesforce.com:443@evil.com",
    "https://evil.com#.salesforce.com",
    "https://evil.com?.salesforce.com",
    "https://evil.com/.salesforce.com",
    "https://evil.com\\.salesforce.com",
    "https://evil.com%2f.salesforce.com",
    "https://xn--slesforce-51a.com",  # punycode homograph (sаlesforce with a Cyrillic а)
    "https://login.sаlesforce.com",  # the same homograph, unencoded
    "https://login.salesforce.com.",  # trailing dot
    "http://login.salesforce.com",
    "https://login.salesforce.com:8443",
    "https://10.0.0.1",
    "https://169.254.169.254",
    "https://[::1]",
    "https://2130706433",  # 127.0.0.1 as one decimal number
    "ftp://login.salesforce.com",
    "javascript:alert(1)",
]  # (a blank login_url means the default, login.salesforce.com — itself on the list)


class Listener:
    """A TCP socket on loopback that counts every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture
def api(engine: Engine, tmp_path) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    app = create_app(engine)
    app.state.config = Config(data_dir=tmp_path)  # no extra hosts allowed: production's list
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _aimed_at(listener: Listener) -> list[str]:
    port = listener.port
    return [
        f"https://127.0.0.1:{port}",
        f"https://localhost:{port}",
        f"http://127.0.0.1:{port}",
        f"https://login.salesforce.com@127.0.0.1:{port}",
        f"https://127.0.0.1:{port}#.salesforce.com",
        f"https://127.0.0.1:{port}\\.salesforce.com",
        f"https://127.0.0.1:{port}/.my.salesforce.com",
        f"https://[::ffff:127.0.0.1]:{port}",
    ]


def _refresh_body(url: str) -> dict[str, str]:
    return {
        "flow": "refresh-token",
        "login_url": url,
        "client_id": "c",
        "client_secret": "s",
        "refresh_token": "r",
    }


def _access_body(url: str) -> dict[str, str]:
    return {"flow": "access-token", "access_token": "00Dx!token", "instance_url": url}


def _assert_refused(answer, field: str) -> None:  # type: ignore[no-untyped-def]
    assert answer.status_code == 422, (answer.status_code, answer.text[:200])
    error = answer.json()["errors"][0]
    assert error["path"] == f"body.{field}"
    assert error["message"]


@pytest.mark.parametrize("url", LOOK_ALIKES)
@pytest.mark.parametrize("field", ["login_url", "instance_url"])
def test_a_look_alike_host_is_refused_and_nothing_is_saved(
    api: TestClient, engine: Engine, team_a: SecTeam, listener: Listener, url: str, field: str
) -> None:
    body = _refresh_body(url) if field == "login_url" else _access_body(url)
    before = fingerprint(engine)
    _assert_refused(api.put(PATH, json=body, headers=team_a.headers), field)
    assert fingerprint(engine) == before


def test_urls_aimed_at_a_local_listener_never_reach_it(
    api: TestClient, team_a: SecTeam, listener: Listener
) -> None:
    for url in _aimed_at(listener):
        _assert_refused(api.put(PATH, json=_refresh_body(url), headers=team_a.headers), "login_url")
        _assert_refused(
            api.put(PATH, json=_access_body(url), headers=team_a.headers), "instance_url"
        )
    assert listener.connections == 0
    assert api.get(PATH, headers=team_a.headers).json()["connected"] is False
