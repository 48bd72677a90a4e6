"""Access tokens for the gateway, renewed once per expiry however many callers saw the 401.

:class:`Credentials` hands out the current access token; on a 401 every caller calls
:meth:`Credentials.refreshed_after` with the token that failed. The first one in renews it
(through the flow that made it: a new JWT, the refresh token — storing a rotated one — or
client credentials); the others find the token already changed and reuse it. The lock is per
connection and shared by all gateways in the process; the :class:`TokenStore` decides what
"already changed" means across processes (the database row, locked while renewing).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Protocol

import requests

from pushforce.salesforce.errors import CallFailure
from pushforce.salesforce.oauth import (
    Flow,
    FlowParams,
    OAuthFailed,
    OAuthUnavailable,
    request_token,
)
from pushforce.salesforce.secret import Secret

__all__ = ["Credentials", "MemoryTokenStore", "SessionLost", "TokenState", "TokenStore"]


@dataclass(frozen=True)
class TokenState:
    params: FlowParams
    access_token: Secret
    instance_url: str
    org_id: str = ""


class SessionLost(Exception):
    """Renewing failed for good (revoked refresh token, disabled app): reconnect."""


class TokenStore(Protocol):
    def load(self) -> TokenState: ...

    def replace(self, stale: Secret, renew: Callable[[TokenState], TokenState]) -> TokenState:
        """Atomically: if the stored access token is still ``stale``, store ``renew(state)``.
        Returns what is stored afterwards. Exceptions from ``renew`` store nothing."""
        ...

    def lost(self, reason: str) -> None: ...


class MemoryTokenStore:
    """A token store in memory (tests, one-off scripts)."""

    def __init__(self, state: TokenState) -> None:
        self.state = state
        self.lost_reason: str | None = None
        self.renewals = 0
        self._lock = threading.Lock()

    def load(self) -> TokenState:
        return self.state

    def replace(self, stale: Secret, renew: Callable[[TokenState], TokenState]) -> TokenState:
        with self._lock:
            if self.state.access_token == stale:
                self.state = renew(self.state)
                self.renewals += 1
            return self.state

    def lost(self, reason: str) -> None:
        self.lost_reason = reason


_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(key: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


class Credentials:
    def __init__(
        self, store: TokenStore, key: str, allowed: Iterable[str], session: requests.Session
    ) -> None:
        self._store = store
        self._lock = _lock_for(key)
        self._allowed = frozenset(allowed)
        self._session = session
        self._current: TokenState | None = None

    def __repr__(self) -> str:
        return f"Credentials({self._lock!r})"

    def state(self) -> TokenState:
        if self._current is None:
            self._current = self._store.load()
        return self._current

    def access_token(self) -> Secret:
        return self.state().access_token

    def refreshed_after(self, stale: Secret) -> Secret:
        """The token to retry with after ``stale`` got a 401; raises :class:`CallFailure`."""
        try:
            with self._lock:
                self._current = self._store.replace(stale, self._renew)
        except SessionLost as lost:
            self._store.lost(str(lost))
            raise CallFailure(401, "INVALID_SESSION_ID", str(lost)) from None
        return self._current.access_token

    def _renew(self, state: TokenState) -> TokenState:
        if state.params.flow is Flow.ACCESS_TOKEN:
            raise SessionLost("the pre-issued access token expired and cannot be renewed")
        try:
            grant = request_token(state.params, self._allowed, self._session)
        except OAuthFailed as refused:
            raise SessionLost(
                f"Salesforce refused to renew the session ({refused.error})"
            ) from None
        except OAuthUnavailable as down:
            raise CallFailure(
                429, "TOKEN_REFRESH_UNAVAILABLE", f"{down}; nothing was written"
            ) from None
        if state.org_id and grant.org_id and grant.org_id != state.org_id:
            raise SessionLost("renewing returned a token of a different Salesforce org")
        params = state.params
        if grant.refresh_token is not None:
            params = params.with_refresh_token(grant.refresh_token)
        return replace(
            state, params=params, access_token=grant.access_token, instance_url=grant.instance_url
        )
