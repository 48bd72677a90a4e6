"""Access and refresh tokens: issue, validate (lifetime on the org clock), revoke, expire.

The static ``--token`` never ages out but can be revoked or expired like any other token
(fault injection); the control API restores it on reset.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from localforce.clock import Clock


@dataclass
class AccessToken:
    value: str
    client_id: str | None
    issued_at: datetime
    expires_at: datetime | None
    refresh_token: str | None = None
    revoked: bool = False


class TokenStore:
    def __init__(
        self, clock: Clock, lifetime_seconds: float, static_token: str | None, token_prefix: str
    ) -> None:
        self.clock = clock
        self.lifetime = timedelta(seconds=lifetime_seconds)
        self.static_token = static_token
        self.prefix = token_prefix
        self._lock = threading.Lock()
        self.access: dict[str, AccessToken] = {}
        self.refresh: dict[str, str] = {}  # refresh token → client id
        self.restore_static()

    def restore_static(self) -> None:
        if self.static_token:
            with self._lock:
                self.access[self.static_token] = AccessToken(
                    self.static_token, None, self.clock.now(), None
                )

    def issue(self, client_id: str, refresh_token: str | None = None) -> AccessToken:
        now = self.clock.now()
        token = AccessToken(
            f"{self.prefix}!{secrets.token_urlsafe(48)}",
            client_id,
            now,
            now + self.lifetime,
            refresh_token,
        )
        with self._lock:
            self.access[token.value] = token
        return token

    def mint_refresh_token(self, client_id: str) -> str:
        value = f"5Aep{secrets.token_urlsafe(40)}"
        with self._lock:
            self.refresh[value] = client_id
        return value

    def add_refresh_tokens(self, client_id: str, values: tuple[str, ...]) -> None:
        with self._lock:
            self.refresh.update(dict.fromkeys(values, client_id))

    def is_valid(self, value: str | None) -> bool:
        token = self.access.get(value or "")
        if token is None or token.revoked:
            return False
        return token.expires_at is None or self.clock.now() < token.expires_at

    def revoke(self, value: str) -> bool:
        with self._lock:
            if value in self.refresh:
                del self.refresh[value]
                for token in self.access.values():
                    if token.refresh_token == value:
                        token.revoked = True
                return True
            access = self.access.get(value)
            if access is None:
                return False
            access.revoked = True
            return True

    def expire_all(self) -> int:
        with self._lock:
            live = [t for t in self.access.values() if not t.revoked]
            for token in live:
                token.revoked = True
            return len(live)

    def rotate(self, old: str, client_id: str) -> str:
        with self._lock:
            self.refresh.pop(old, None)
        return self.mint_refresh_token(client_id)
