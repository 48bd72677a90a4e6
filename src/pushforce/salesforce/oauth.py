"""OAuth 2.0 flows against any allowed token endpoint (reference §1): JWT bearer, refresh token
(with rotation) and client credentials, plus a pre-issued access token (localforce's
``--token``), token revocation and ``/userinfo``.

Every URL goes through :func:`hosts.checked_origin` first — the token endpoint before a
secret is sent, the ``instance_url`` of the answer before a token is sent there. Token
endpoint error bodies are reduced to Salesforce's ``error`` code and short description (they
may echo the request, reliability §3.5).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import jwt
import requests

from pushforce.salesforce.hosts import checked_origin
from pushforce.salesforce.secret import Secret

__all__ = [
    "Flow",
    "FlowParams",
    "OAuthFailed",
    "OAuthUnavailable",
    "TokenGrant",
    "request_token",
    "revoke",
    "userinfo",
]

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
JWT_LIFETIME_SECONDS = 180  # Salesforce accepts exp up to about 3 minutes ahead
TOKEN_TIMEOUT = (10.0, 30.0)


class Flow(StrEnum):
    JWT = "jwt"
    REFRESH_TOKEN = "refresh-token"
    CLIENT_CREDENTIALS = "client-credentials"
    ACCESS_TOKEN = "access-token"  # a pre-issued bearer token; cannot be refreshed


class OAuthFailed(Exception):
    """The token endpoint refused (``invalid_grant``, ``invalid_client``, …): reconnect."""

    def __init__(self, error: str, description: str = "") -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error, self.description = error, description


class OAuthUnavailable(Exception):
    """The token endpoint could not be reached or answered 5xx: try again later."""


@dataclass(frozen=True)
class FlowParams:
    """What a flow needs. Secrets are :class:`Secret` so they never print."""

    flow: Flow
    login_url: str
    client_id: str = ""
    client_secret: Secret | None = None
    username: str = ""
    private_key: Secret | None = None
    refresh_token: Secret | None = None
    audience: str = ""
    access_token: Secret | None = None
    instance_url: str = ""

    def with_refresh_token(self, token: Secret) -> FlowParams:
        return replace(self, refresh_token=token)


@dataclass(frozen=True)
class TokenGrant:
    access_token: Secret
    instance_url: str  # an allowed origin
    identity_url: str = ""
    refresh_token: Secret | None = None  # set when Salesforce sent one (rotation)

    @property
    def org_id(self) -> str:
        return _identity_part(self.identity_url, -2)

    @property
    def user_id(self) -> str:
        return _identity_part(self.identity_url, -1)


def request_token(
    params: FlowParams, allowed: Iterable[str], session: requests.Session
) -> TokenGrant:
    """Run ``params.flow`` once and return the checked grant."""
    allowed = frozenset(allowed)
    if params.flow is Flow.ACCESS_TOKEN:
        return _pre_issued(params, allowed)
    token_url = checked_origin(params.login_url, allowed, what="token endpoint")
    form, headers = _request_of(params, token_url)
    body = _post_token(session, f"{token_url}/services/oauth2/token", form, headers)
    return _grant(body, allowed)


def revoke(
    login_url: str, token: Secret, allowed: Iterable[str], session: requests.Session
) -> bool:
    """Best-effort revocation (``POST /services/oauth2/revoke``); True when Salesforce agreed."""
    origin = checked_origin(login_url, allowed, what="revoke endpoint")
    try:
        response = session.post(
            f"{origin}/services/oauth2/revoke",
            data={"token": token.reveal()},
            timeout=TOKEN_TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException:
        return False
    return response.status_code == 200


def userinfo(
    instance_url: str, token: Secret, allowed: Iterable[str], session: requests.Session
) -> dict[str, Any]:
    """``GET /services/oauth2/userinfo`` — who the token acts as; verifies the token works."""
    origin = checked_origin(instance_url, allowed, what="instance URL")
    try:
        response = session.get(
            f"{origin}/services/oauth2/userinfo",
            headers={"Authorization": f"Bearer {token.reveal()}"},
            timeout=TOKEN_TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        raise OAuthUnavailable(f"userinfo could not be reached ({type(error).__name__})") from None
    if response.status_code in (401, 403):
        raise OAuthFailed("invalid_token", "Salesforce did not accept the access token")
    if response.status_code != 200:
        raise OAuthUnavailable(f"userinfo answered HTTP {response.status_code}")
    body: dict[str, Any] = response.json()
    return body


def _request_of(params: FlowParams, token_url: str) -> tuple[dict[str, str], dict[str, str]]:
    if params.flow is Flow.JWT:
        return {"grant_type": JWT_GRANT, "assertion": _assertion(params, token_url)}, {}
    if params.flow is Flow.REFRESH_TOKEN:
        if not params.refresh_token:
            raise ValueError("refresh_token: required for the refresh-token flow")
        form = {"grant_type": "refresh_token", "refresh_token": params.refresh_token.reveal()}
        form["client_id"] = _required(params.client_id, "client_id")
        if params.client_secret:
            form["client_secret"] = params.client_secret.reveal()
        return form, {}
    if params.flow is Flow.CLIENT_CREDENTIALS:
        secret = params.client_secret.reveal() if params.client_secret else ""
        pair = f"{_required(params.client_id, 'client_id')}:{_required(secret, 'client_secret')}"
        basic = base64.b64encode(pair.encode()).decode()
        return {"grant_type": "client_credentials"}, {"Authorization": f"Basic {basic}"}
    raise ValueError(f"flow: {params.flow!r} has no token request")


def _assertion(params: FlowParams, token_url: str) -> str:
    """RS256 JWT: iss = consumer key, sub = username, aud = login/test or the given audience."""
    if not params.private_key:
        raise ValueError("private_key: required for the JWT bearer flow")
    claims = {
        "iss": _required(params.client_id, "client_id"),
        "sub": _required(params.username, "username"),
        "aud": params.audience or _default_audience(token_url),
        "exp": int(time.time()) + JWT_LIFETIME_SECONDS,
    }
    try:
        return jwt.encode(claims, params.private_key.reveal(), algorithm="RS256")
    except (ValueError, TypeError, jwt.PyJWTError):
        raise ValueError("private_key: not a PEM RSA private key") from None


def _default_audience(token_url: str) -> str:
    host = urlsplit(token_url).hostname or ""
    if host == "test.salesforce.com" or host.endswith(".sandbox.my.salesforce.com"):
        return "https://test.salesforce.com"
    if host.endswith(".salesforce.com") or host.endswith(".force.com"):
        return "https://login.salesforce.com"
    return token_url  # an allowed non-Salesforce host (localforce accepts its own URL)


def _post_token(
    session: requests.Session, url: str, form: Mapping[str, str], headers: Mapping[str, str]
) -> dict[str, Any]:
    try:
        response = session.post(
            url,
            data=dict(form),
            headers=dict(headers),
            timeout=TOKEN_TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        raise OAuthUnavailable(f"token endpoint unreachable ({type(error).__name__})") from None
    body = _json_or_none(response)
    if response.status_code == 200 and isinstance(body, dict):
        return body
    if response.status_code in (400, 401, 403) and isinstance(body, dict) and "error" in body:
        description = str(body.get("error_description", ""))[:200]
        raise OAuthFailed(str(body["error"]), description)
    raise OAuthUnavailable(f"token endpoint answered HTTP {response.status_code}")


def _grant(body: Mapping[str, Any], allowed: frozenset[str]) -> TokenGrant:
    access, instance = body.get("access_token"), body.get("instance_url")
    if not isinstance(access, str) or not isinstance(instance, str):
        raise OAuthUnavailable("token response lacks access_token or instance_url")
    refresh = body.get("refresh_token")
    return TokenGrant(
        access_token=Secret(access),
        instance_url=checked_origin(instance, allowed, what="instance_url"),
        identity_url=str(body.get("id", "")),
        refresh_token=Secret(refresh) if isinstance(refresh, str) and refresh else None,
    )


def _pre_issued(params: FlowParams, allowed: frozenset[str]) -> TokenGrant:
    if not params.access_token:
        raise ValueError("access_token: required for a pre-issued token")
    origin = checked_origin(
        _required(params.instance_url, "instance_url"), allowed, what="instance_url"
    )
    return TokenGrant(access_token=params.access_token, instance_url=origin)


def _identity_part(url: str, index: int) -> str:
    parts = [part for part in urlsplit(url).path.split("/") if part]
    return parts[index] if len(parts) >= 3 and parts[-3] == "id" else ""


def _required(value: str, name: str) -> str:
    if not value:
        raise ValueError(f"{name}: required for this flow")
    return value


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
