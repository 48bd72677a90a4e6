"""Test and benchmark helpers: `running_server` and a `ControlClient` for ``/__localforce__``.

with running_server(tmp_path, config={"duplicate_rules": [...]}) as lf:
    sf = lf.simple_salesforce()
    lf.control.add_fault({"kind": "503", "count": 1})
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from localforce.config import Config, config_from_dict
from localforce.server import BackgroundServer, prepare
from localforce.state import ServerState


def trusting_session(ca_path: Path) -> requests.Session:
    """A session that trusts localforce's CA.

    `trust_env` is off because requests lets ``REQUESTS_CA_BUNDLE`` override `Session.verify`.
    """
    session = requests.Session()
    session.verify = str(ca_path)
    session.trust_env = False
    return session


class ControlClient:
    def __init__(self, base_url: str, token: str, ca_path: Path) -> None:
        self.base = f"{base_url}/__localforce__"
        self.session = trusting_session(ca_path)
        self.session.headers["Authorization"] = f"Bearer {token}"

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.session.request(method, f"{self.base}{path}", timeout=30, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def reset(self) -> None:
        self._call("POST", "/reset")

    def seed(
        self, records: dict[str, list[dict[str, Any]]], validate: bool = False
    ) -> dict[str, list[str]]:
        return self._call("POST", "/seed", json={"records": records, "validate": validate})["ids"]  # type: ignore[no-any-return]

    def add_fault(self, rule: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/faults", json=rule)  # type: ignore[no-any-return]

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def set_limits(self, **limits: Any) -> dict[str, Any]:
        return self._call("POST", "/limits", json=limits)  # type: ignore[no-any-return]

    def set_clock(self, **clock: Any) -> dict[str, Any]:
        return self._call("POST", "/clock", json=clock)  # type: ignore[no-any-return]

    def expire_tokens(self) -> int:
        return self._call("POST", "/tokens/expire")["expired"]  # type: ignore[no-any-return]

    def mint_refresh_token(self, client_id: str) -> str:
        minted = self._call("POST", "/oauth/refresh-tokens", json={"client_id": client_id})
        return str(minted["refresh_token"])

    def log(self, since: int = 0) -> list[dict[str, Any]]:
        return self._call("GET", "/log", params={"since": since})  # type: ignore[no-any-return]

    def counters(self) -> dict[str, Any]:
        return self._call("GET", "/counters")  # type: ignore[no-any-return]

    def records(self, sobject: str, include_deleted: bool = False) -> list[dict[str, Any]]:
        params = {"include_deleted": str(include_deleted).lower()}
        return self._call("GET", f"/records/{sobject}", params=params)  # type: ignore[no-any-return]

    def record(self, record_id: str) -> dict[str, Any] | None:
        response = self.session.get(f"{self.base}/record/{record_id}", timeout=30)
        return None if response.status_code == 404 else response.json()


@dataclass
class RunningServer:
    base_url: str
    token: str
    ca_path: Path
    control: ControlClient
    state: ServerState

    def session(self) -> requests.Session:
        return trusting_session(self.ca_path)

    def simple_salesforce(self, version: str = "60.0", **kwargs: Any) -> Any:
        from simple_salesforce.api import Salesforce

        return Salesforce(
            instance_url=self.base_url,
            session_id=self.token,
            session=self.session(),
            version=version,
            **kwargs,
        )

    def __iter__(self) -> Iterator[Any]:
        return iter((self.base_url, self.token, self.ca_path, self.control))


@contextlib.contextmanager
def running_server(
    data_dir: Path, token: str | None = None, config: Config | dict[str, Any] | None = None
) -> Iterator[RunningServer]:
    """localforce on a free 127.0.0.1 port in a background thread, until the block ends."""
    if not isinstance(config, Config):
        config = config_from_dict(config or {})
    token = token or secrets.token_urlsafe(24)
    prepared = prepare(Path(data_dir), token, config)
    server = BackgroundServer(prepared)
    server.start()
    try:
        ca_path = prepared.certificate.ca_path
        yield RunningServer(
            server.base_url,
            token,
            ca_path,
            ControlClient(server.base_url, token, ca_path),
            prepared.state,
        )
    finally:
        server.stop()
