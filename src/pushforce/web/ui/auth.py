"""Signing in to the web UI: argon2 password hashes, signed session cookies, CSRF tokens.

* Passwords are hashed with argon2id (``argon2-cffi`` defaults); a hash made with older
  parameters is re-hashed on the next successful sign-in.
* The session cookie is ``<user>.<issued>.<nonce>.<mac>``: an HMAC-SHA256 over the user, the
  time it was issued, a random nonce and the user's current password hash — so it expires
  (``SESSION_LIFETIME``) and dies when the password changes. It is HttpOnly, SameSite=Lax, and
  Secure (with the ``__Host-`` prefix) when the request came over HTTPS.
* The signing key is derived from ``PUSHFORCE_SECRET_KEY`` when set (``session_key_from``);
  without it, a random key of the process (a restart signs everyone out).
* CSRF (signed double submit, reliability §3.4): a random nonce lives in an HttpOnly cookie; the
  token every form and htmx request must send (field ``csrf_token`` or header ``X-CSRF-Token``)
  is an HMAC of that nonce and the session cookie, so a page on another site can neither read
  nor forge it. Signing in rotates both the nonce and the session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Request, Response
from sqlalchemy.engine import Connection

from pushforce.store.schema import users

SESSION_LIFETIME = 12 * 3600  # seconds: an absolute timeout, then sign in again
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_hasher = PasswordHasher()
# Verified when the e-mail is unknown, so a wrong e-mail costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class UiUser:
    id: int
    team_id: int
    email: str
    name: str

    @property
    def display_name(self) -> str:
        return self.name or self.email


class CsrfRejected(Exception):
    """A state-changing request without a valid CSRF token."""


# ---- passwords -------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def set_password(conn: Connection, user_id: int, password: str) -> None:
    statement = sa.update(users).where(users.c.id == user_id)
    conn.execute(statement.values(password_hash=hash_password(password)))


def authenticate(conn: Connection, email: str, password: str) -> UiUser | None:
    """The user whose e-mail and password these are, or ``None`` (same cost either way)."""
    row = conn.execute(sa.select(users).where(users.c.email == email.strip().lower())).first()
    stored = row.password_hash if row is not None and row.password_hash else None
    if not _password_matches(stored or _DUMMY_HASH, password) or row is None or stored is None:
        return None
    if _hasher.check_needs_rehash(stored):
        set_password(conn, row.id, password)
    return _user(row)


def _password_matches(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _user(row: Any) -> UiUser:
    return UiUser(row.id, row.team_id, row.email, row.name or "")


# ---- signing ---------------------------------------------------------------------------------


class Signer:
    """HMAC-SHA256 under one key (the UI's; random per process unless one is given)."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)

    def mac(self, *parts: str) -> str:
        message = "\x1f".join(parts).encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def matches(self, mac: str, *parts: str) -> bool:
        return hmac.compare_digest(mac.encode(), self.mac(*parts).encode())


_signer_lock = threading.Lock()


def signer_of(request: Request) -> Signer:
    """The app's signer, made on first use: keyed from ``PUSHFORCE_SECRET_KEY`` when the app has
    a Config with one (sessions survive restarts and are shared by processes), else random."""
    state = request.app.state
    with _signer_lock:
        if getattr(state, "ui_signer", None) is None:
            state.ui_signer = Signer(session_key_from(getattr(state, "config", None)))
        signer: Signer = state.ui_signer
    return signer


def session_key_from(config: Any) -> bytes | None:
    secret = str(getattr(config, "secret_key", "") or "").split(",")[0].strip()
    if not secret:
        return None
    # A key of its own (never the token-encryption key itself): HMAC of a fixed label.
    return hmac.new(secret.encode(), b"pushforce-ui-sessions", hashlib.sha256).digest()


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def cookie_name(request: Request, base: str) -> str:
    """``__Host-`` names need Secure, so plain-HTTP development servers get the bare name."""
    return f"__Host-{base}" if is_https(request) else base


def _set_cookie(request: Request, response: Response, base: str, value: str, max_age: int) -> None:
    response.set_cookie(
        cookie_name(request, base),
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )


# ---- sessions --------------------------------------------------------------------------------


def start_session(request: Request, response: Response, user_id: int, password_hash: str) -> None:
    issued, nonce = str(int(time.time())), secrets.token_urlsafe(16)
    mac = signer_of(request).mac("session", str(user_id), issued, nonce, password_hash)
    _set_cookie(
        request, response, "pf_session", f"{user_id}.{issued}.{nonce}.{mac}", SESSION_LIFETIME
    )
    rotate_csrf(request, response)


class SignedOut:
    """Nonces of sessions signed out in this process, remembered until they would expire
    anyway: a copy of the cookie stops working here at once (other processes: at expiry)."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def add(self, nonce: str, expires_at: float) -> None:
        with self._lock:
            now = time.time()
            self._until = {n: t for n, t in self._until.items() if t > now}
            self._until[nonce] = expires_at

    def __contains__(self, nonce: object) -> bool:
        with self._lock:
            return isinstance(nonce, str) and self._until.get(nonce, 0.0) > time.time()


def signed_out_of(request: Request) -> SignedOut:
    state = request.app.state
    with _signer_lock:
        if getattr(state, "ui_signed_out", None) is None:
            state.ui_signed_out = SignedOut()
        found: SignedOut = state.ui_signed_out
    return found


def end_session(request: Request, response: Response) -> None:
    parts = request.cookies.get(cookie_name(request, "pf_session"), "").split(".")
    if len(parts) == 4 and parts[1].isdigit():
        signed_out_of(request).add(parts[2], int(parts[1]) + SESSION_LIFETIME)
    for base in ("pf_session", "pf_csrf"):
        response.delete_cookie(
            cookie_name(request, base),
            path="/",
            secure=is_https(request),
            httponly=True,
            samesite="lax",
        )


def session_user(request: Request, conn: Connection) -> UiUser | None:
    """The signed-in user of this request, or ``None`` (no, expired or forged cookie)."""
    parts = request.cookies.get(cookie_name(request, "pf_session"), "").split(".")
    if len(parts) != 4 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    user_id, issued, nonce, mac = parts
    if not 0 <= time.time() - int(issued) < SESSION_LIFETIME or len(user_id) > 18:
        return None
    if nonce in signed_out_of(request):
        return None
    row = conn.execute(sa.select(users).where(users.c.id == int(user_id))).first()
    if row is None or not row.password_hash:
        return None
    if not signer_of(request).matches(mac, "session", user_id, issued, nonce, row.password_hash):
        return None
    return _user(row)


def password_hash_of(conn: Connection, user_id: int) -> str:
    found = conn.execute(sa.select(users.c.password_hash).where(users.c.id == user_id)).scalar()
    return str(found or "")


# ---- CSRF ------------------------------------------------------------------------------------


def _csrf_nonce(request: Request) -> str | None:
    rotated = getattr(request.state, "csrf_nonce", None)
    return rotated or request.cookies.get(cookie_name(request, "pf_csrf"))


def rotate_csrf(request: Request, response: Response) -> str:
    nonce = secrets.token_urlsafe(24)
    request.state.csrf_nonce = nonce
    _set_cookie(request, response, "pf_csrf", nonce, SESSION_LIFETIME)
    return nonce


def ensure_csrf_cookie(request: Request, response: Response) -> None:
    """Give a visitor without a CSRF nonce one (the sign-in form needs a token too)."""
    if not request.cookies.get(cookie_name(request, "pf_csrf")):
        nonce = getattr(request.state, "csrf_nonce", None) or secrets.token_urlsafe(24)
        request.state.csrf_nonce = nonce
        _set_cookie(request, response, "pf_csrf", nonce, SESSION_LIFETIME)


def csrf_token(request: Request) -> str:
    """The token pages embed (``csrf_token`` field, ``X-CSRF-Token`` header via hx-headers)."""
    nonce = _csrf_nonce(request)
    if nonce is None:
        nonce = secrets.token_urlsafe(24)
        request.state.csrf_nonce = nonce
    return signer_of(request).mac("csrf", nonce, _session_value(request))


def _session_value(request: Request) -> str:
    """The token is bound to the session too, so a planted nonce cookie alone is not enough."""
    return request.cookies.get(cookie_name(request, "pf_session"), "")


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing request whose token does not match the visitor's nonce."""
    if request.method not in UNSAFE_METHODS:
        return
    nonce = request.cookies.get(cookie_name(request, "pf_csrf"))
    sent = request.headers.get(CSRF_HEADER) or await _form_token(request)
    if not nonce or not sent:
        raise CsrfRejected()
    if not signer_of(request).matches(sent, "csrf", nonce, _session_value(request)):
        raise CsrfRejected()


async def _form_token(request: Request) -> str | None:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return None
    value = (await request.form()).get(CSRF_FIELD)
    return value if isinstance(value, str) else None


# ---- the demo --------------------------------------------------------------------------------


def fresh_sign_in(engine: Any, team_id: int) -> tuple[str, str]:
    """The team's first user with a new random password: ``pushforce demo`` prints it (only
    its hash is stored, so like the API key it cannot be shown again later)."""
    from pushforce.store import write_transaction

    password = secrets.token_urlsafe(12)
    with write_transaction(engine) as conn:
        first = sa.select(users.c.id, users.c.email).where(users.c.team_id == team_id)
        row = conn.execute(first.order_by(users.c.id).limit(1)).one()
        set_password(conn, row.id, password)
    return str(row.email), password
