"""Where ``pushforce settings`` reads and writes: a Pushforce server, or the database itself.

* `HttpBackend` — the REST API with a team API key: the server validates and the key's user is
  the author of every version.
* `LocalBackend` — the configured database (like ``pushforce import``): the team is chosen with
  ``--team``, the author with ``--user EMAIL``.

Both answer with the REST API's JSON shapes and raise `BackendError` (lines to print) on failure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from pushforce.core.settings import SettingsError
from pushforce.store import read_connection, write_transaction
from pushforce.store.schema import users
from pushforce.store.settings_repo import (
    UnknownVersion,
    current_settings,
    list_versions,
    restore_version,
    save_settings,
)

SETTINGS_PATH = "/api/v1/salesforce/settings"


class BackendError(Exception):
    def __init__(self, lines: list[str]) -> None:
        super().__init__("; ".join(lines))
        self.lines = lines


class Backend(Protocol):
    def current(self) -> tuple[dict[str, Any], int]: ...

    def save(self, document: dict[str, Any], read_version: int) -> dict[str, Any]: ...

    def versions(self) -> list[dict[str, Any]]: ...

    def restore(self, version: int) -> dict[str, Any]: ...


def _http_client(url: str, api_key: str) -> httpx.Client:
    headers = {"Authorization": f"Bearer {api_key}"}
    return httpx.Client(base_url=url, headers=headers, timeout=30.0)


# Tests swap this for a client bound to an in-process app.
client_factory: Callable[[str, str], httpx.Client] = _http_client


def etag(version: int) -> str:
    return f'"settings-v{version}"'


@dataclass(frozen=True)
class HttpBackend:
    url: str
    api_key: str

    def current(self) -> tuple[dict[str, Any], int]:
        response = self._call("GET", SETTINGS_PATH)
        tag = response.headers.get("ETag", "").strip('"').removeprefix("settings-v")
        return response.json(), int(tag) if tag.isdigit() else 0

    def save(self, document: dict[str, Any], read_version: int) -> dict[str, Any]:
        headers = {"If-Match": etag(read_version)}
        return dict(self._call("PUT", SETTINGS_PATH, json=document, headers=headers).json())

    def versions(self) -> list[dict[str, Any]]:
        return list(self._call("GET", f"{SETTINGS_PATH}/versions").json())

    def restore(self, version: int) -> dict[str, Any]:
        return dict(self._call("POST", f"{SETTINGS_PATH}/versions/{version}/restore").json())

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            with client_factory(self.url, self.api_key) as client:
                response = client.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise BackendError([f"cannot reach Pushforce at {self.url}: {error}"]) from None
        if not response.is_success:
            raise BackendError(_error_lines(response))
        return response


def _error_lines(response: httpx.Response) -> list[str]:
    try:
        errors = response.json().get("errors", [])
    except ValueError:
        errors = [{"path": None, "message": response.text or response.reason_phrase}]
    lines = []
    for error in errors:
        path = str(error.get("path") or "").removeprefix("body.")
        lines.append(f"{path}: {error.get('message')}" if path else str(error.get("message")))
    return lines or [f"HTTP {response.status_code}"]


@dataclass(frozen=True)
class LocalBackend:
    engine: Engine
    team_id: int
    user_id: int | None

    def current(self) -> tuple[dict[str, Any], int]:
        with read_connection(self.engine) as conn:
            settings, version = current_settings(conn, self.team_id)
        return settings.model_dump(mode="json"), version or 0

    def save(self, document: dict[str, Any], read_version: int) -> dict[str, Any]:
        with write_transaction(self.engine) as conn, _explained():
            _, version = current_settings(conn, self.team_id)
            if (version or 0) != read_version:
                raise BackendError([f"the settings changed meanwhile (now version {version})"])
            saved = save_settings(conn, self.team_id, document, self.user_id)
        return saved.as_json(with_document=True)

    def versions(self) -> list[dict[str, Any]]:
        with read_connection(self.engine) as conn:
            return [found.as_json() for found in list_versions(conn, self.team_id)]

    def restore(self, version: int) -> dict[str, Any]:
        with write_transaction(self.engine) as conn, _explained():
            saved = restore_version(conn, self.team_id, version, self.user_id)
        return saved.as_json(with_document=True)


def find_user(engine: Engine, team_id: int, email: str) -> int:
    """The id of the team's user with ``email`` (the author of local saves)."""
    statement = sa.select(users.c.id).where(
        users.c.team_id == team_id, users.c.email == email.strip().lower()
    )
    with read_connection(engine) as conn:
        found = conn.execute(statement).scalar_one_or_none()
    if found is None:
        raise BackendError([f"the team has no user with email {email!r}"])
    return int(found)


class _explained:
    """Turns the repository's errors into `BackendError` (inside the transaction, so the
    rollback still happens)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: object, _tb: object) -> None:
        if isinstance(error, SettingsError):
            raise BackendError([str(problem) for problem in error.problems]) from None
        if isinstance(error, UnknownVersion):
            raise BackendError([str(error)]) from None
