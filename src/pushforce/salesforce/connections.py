"""Connecting a team to its Salesforce org, and the gateway the drain and manual push use.

* :func:`connect` runs the OAuth flow, verifies the token with ``/services/oauth2/userinfo``
  and ``/limits``, and stores org id, instance URL and user with the secrets sealed
  (state ``connected``).
* :func:`gateway_for_team` builds the team's gateway (``None`` without a usable connection).
* :func:`mark_needs_reconnect` — renewing failed for good (R18 auth: the team is paused).
* :func:`disconnect` revokes the token (best effort) and deletes the connection.
* :func:`rotate_keys` re-seals every connection with the current ``PUSHFORCE_SECRET_KEY``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from pushforce.config import Config
from pushforce.core.policy import ApiUsage
from pushforce.salesforce.crypto import DecryptionFailed, Keyring, keyring_from
from pushforce.salesforce.factory import auth_session, build_gateway
from pushforce.salesforce.gateway import SalesforceGateway
from pushforce.salesforce.hosts import DisallowedHost, allowed_hosts
from pushforce.salesforce.oauth import Flow, FlowParams, request_token, revoke, userinfo
from pushforce.salesforce.orgs import org_state
from pushforce.salesforce.sealing import seal_state, state_of_row
from pushforce.salesforce.secret import Secret
from pushforce.salesforce.tokens import MemoryTokenStore, SessionLost, TokenState
from pushforce.store import connections as repo
from pushforce.store import read_connection, write_transaction

__all__ = [
    "ConnectionInfo",
    "DbTokenStore",
    "Rotation",
    "connect",
    "connection_info",
    "disconnect",
    "gateway_for_team",
    "mark_needs_reconnect",
    "rotate_keys",
]


@dataclass(frozen=True)
class ConnectionInfo:
    """What may be shown about a connection: never a secret."""

    state: str
    flow: str
    org_id: str
    instance_url: str
    user_id: str
    user_name: str
    username: str
    connected_at: datetime
    updated_at: datetime
    last_error: str | None
    api_usage: ApiUsage | None


def _now() -> datetime:
    return datetime.now(UTC)


def _keyring(config: Config) -> Keyring:
    return keyring_from(config.secret_key, config.data_dir)


def connect(
    engine: Engine, team_id: int, params: FlowParams, config: Config, *, ca_file: str | None = None
) -> ConnectionInfo:
    """Raises ``OAuthFailed``/``OAuthUnavailable``, ``DisallowedHost``/``ValueError`` (bad
    parameters, naming the field) or ``CallFailure`` (``/limits`` failed); stores nothing then."""
    allowed = allowed_hosts(config.allowed_salesforce_hosts)
    if ca_file and not Path(ca_file).is_file():
        raise ValueError(f"ca_file: no such file: {ca_file}")
    grant = request_token(params, allowed, auth_session(ca_file))
    user = userinfo(grant.instance_url, grant.access_token, allowed, auth_session(ca_file))
    if grant.refresh_token is not None:
        params = params.with_refresh_token(grant.refresh_token)
    org_id = grant.org_id or str(user.get("organization_id") or "")
    state = TokenState(params, grant.access_token, grant.instance_url, org_id)
    probe = build_gateway(
        MemoryTokenStore(state), key=f"probe:{team_id}", allowed=allowed, ca_file=ca_file
    )
    probe.refresh_limits()
    probe.org.forget_describes()  # a (re)connect reads the org's metadata afresh
    columns = _columns(params, state, user, ca_file)
    _store(engine, team_id, _keyring(config), state, columns)
    info = connection_info(engine, team_id)
    assert info is not None
    return info


def _columns(
    params: FlowParams, state: TokenState, user: dict[str, Any], ca_file: str | None
) -> dict[str, Any]:
    return {
        "state": repo.CONNECTED,
        "flow": params.flow.value,
        "login_url": params.login_url,
        "instance_url": state.instance_url,
        "client_id": params.client_id,
        "username": params.username or str(user.get("preferred_username") or ""),
        "audience": params.audience,
        "org_id": state.org_id,
        "user_id": str(user.get("user_id") or ""),
        "user_name": str(user.get("name") or ""),
        "ca_file": ca_file,
        "last_error": None,
    }


def _store(
    engine: Engine, team_id: int, keyring: Keyring, state: TokenState, columns: dict[str, Any]
) -> None:
    now = _now()
    with write_transaction(engine) as conn:
        existing = repo.connection_for_team(conn, team_id, for_update=True)
        if existing is None:
            values = {**columns, "team_id": team_id, "secrets": "", "connected_at": now}
            connection_id = repo.insert_connection(conn, {**values, "updated_at": now})
        else:
            connection_id = existing.id
        sealed = seal_state(keyring, team_id, connection_id, state)
        values = {**columns, "secrets": sealed, "connected_at": now, "updated_at": now}
        repo.update_connection(conn, connection_id, values)


def connection_info(engine: Engine, team_id: int) -> ConnectionInfo | None:
    with read_connection(engine) as conn:
        row = repo.connection_for_team(conn, team_id)
    if row is None:
        return None
    usage = org_state(row.org_id or row.instance_url).usage
    return ConnectionInfo(
        row.state,
        row.flow,
        row.org_id,
        row.instance_url,
        row.user_id,
        row.user_name,
        row.username,
        row.connected_at,
        row.updated_at,
        row.last_error,
        usage,
    )


def gateway_for_team(
    engine: Engine, team_id: int, config: Config, **options: Any
) -> SalesforceGateway | None:
    """The team's gateway, or ``None`` when it has no connection or must reconnect."""
    with read_connection(engine) as conn:
        row = repo.connection_for_team(conn, team_id)
    if row is None or row.state != repo.CONNECTED:
        return None
    store = DbTokenStore(engine, team_id, _keyring(config))
    allowed = allowed_hosts(config.allowed_salesforce_hosts)
    try:
        return build_gateway(
            store, key=f"team:{team_id}", allowed=allowed, ca_file=row.ca_file, **options
        )
    except (DisallowedHost, DecryptionFailed) as unusable:  # config changed since connecting
        mark_needs_reconnect(engine, team_id, f"the stored connection is unusable: {unusable}")
        return None


def mark_needs_reconnect(engine: Engine, team_id: int, reason: str) -> bool:
    with write_transaction(engine) as conn:
        return repo.set_state(conn, team_id, repo.NEEDS_RECONNECT, reason[:500], _now())


def disconnect(engine: Engine, team_id: int, config: Config) -> bool:
    """Revoke (best effort: the refresh token, else the access token), then delete."""
    with read_connection(engine) as conn:
        row = repo.connection_for_team(conn, team_id)
    if row is None:
        return False
    if row.flow != Flow.ACCESS_TOKEN:  # a pre-issued token is not ours to revoke
        _revoke(row, config)
    with write_transaction(engine) as conn:
        return repo.delete_connection(conn, team_id)


def _revoke(row: repo.ConnectionRow, config: Config) -> None:
    try:
        state = state_of_row(_keyring(config), row)
        token = state.params.refresh_token or state.access_token
        origin = row.login_url or row.instance_url
        revoke(
            origin, token, allowed_hosts(config.allowed_salesforce_hosts), auth_session(row.ca_file)
        )
    except Exception:
        pass


@dataclass(frozen=True)
class Rotation:
    resealed: int
    unreadable_teams: tuple[int, ...]  # sealed with a key no longer configured: reconnect them


def rotate_keys(engine: Engine, config: Config) -> Rotation:
    """Re-seal every connection an older key sealed with the current key."""
    keyring = _keyring(config)
    resealed, unreadable = 0, []
    with write_transaction(engine) as conn:
        for row in repo.list_connections(conn):
            if not keyring.needs_rotation(row.secrets):
                continue
            try:
                state = state_of_row(keyring, row)
            except DecryptionFailed:
                unreadable.append(row.team_id)
                continue
            sealed = seal_state(keyring, row.team_id, row.id, state)
            repo.update_connection(conn, row.id, {"secrets": sealed})
            resealed += 1
    return Rotation(resealed, tuple(unreadable))


class DbTokenStore:
    """Tokens in ``salesforce_connections``. Renewing makes no HTTP call inside a database
    transaction: it compares, renews, then stores only if nobody stored a newer token since."""

    def __init__(self, engine: Engine, team_id: int, keyring: Keyring) -> None:
        self.engine, self.team_id, self.keyring = engine, team_id, keyring

    def __repr__(self) -> str:
        return f"DbTokenStore(team_id={self.team_id})"

    def _row(self) -> repo.ConnectionRow:
        with read_connection(self.engine) as conn:
            row = repo.connection_for_team(conn, self.team_id)
        if row is None:
            raise SessionLost("the Salesforce connection was removed")
        return row

    def load(self) -> TokenState:
        return state_of_row(self.keyring, self._row())

    def replace(self, stale: Secret, renew: Callable[[TokenState], TokenState]) -> TokenState:
        row = self._row()
        state = state_of_row(self.keyring, row)
        if state.access_token != stale:
            return state
        try:
            fresh = renew(state)
        except SessionLost:
            again = self.load()  # another process may have renewed (single-use refresh token)
            if again.access_token != stale:
                return again
            raise
        return self._store_if_unchanged(row, fresh)

    def _store_if_unchanged(self, row: repo.ConnectionRow, fresh: TokenState) -> TokenState:
        sealed = seal_state(self.keyring, self.team_id, row.id, fresh)
        with write_transaction(self.engine) as conn:
            current = repo.connection_for_team(conn, self.team_id, for_update=True)
            if current is None or current.secrets != row.secrets:
                return self.load() if current else fresh
            values = {"secrets": sealed, "instance_url": fresh.instance_url, "updated_at": _now()}
            repo.update_connection(conn, row.id, values)
        return fresh

    def lost(self, reason: str) -> None:
        mark_needs_reconnect(self.engine, self.team_id, reason)
