"""OAuth 2.0: `/services/oauth2/token` (client credentials, password, refresh token, JWT bearer),
`/revoke` and `/userinfo`, with Salesforce's response shape and error bodies (§1)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any
from urllib.parse import parse_qsl

import jwt
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import APIRouter, Request
from starlette.responses import Response

from localforce import responses
from localforce.config import OAuthClient
from localforce.httputil import state_of
from localforce.middleware import bearer_token
from localforce.state import ServerState

router = APIRouter(prefix="/services/oauth2")
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
JWT_AUDIENCES = ("https://login.salesforce.com", "https://test.salesforce.com")


class OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status

    def response(self) -> Response:
        return responses.json_response(
            {"error": self.error, "error_description": self.description}, self.status
        )


def instance_url(request: Request) -> str:
    return f"https://{request.headers.get('host', 'localhost')}"


async def form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", "replace")
    return {**dict(request.query_params), **dict(parse_qsl(body))}


@router.post("/token")
async def token(request: Request) -> Response:
    params = await form(request)
    state = state_of(request)
    grant = params.get("grant_type", "")
    handlers = {
        "client_credentials": _client_credentials,
        "password": _password,
        "refresh_token": _refresh,
        JWT_GRANT: _jwt_bearer,
    }
    try:
        if grant not in handlers:
            raise OAuthError("unsupported_grant_type", "grant type not supported")
        client, extra = handlers[grant](state, request, params)
    except OAuthError as exc:
        return exc.response()
    return responses.json_response(_token_body(state, request, client, extra, grant))


def _token_body(
    state: ServerState, request: Request, client: OAuthClient, extra: dict[str, Any], grant: str
) -> dict[str, Any]:
    issued = state.tokens.issue(client.client_id, extra.get("refresh_token"))
    base = instance_url(request)
    identity = f"{base}/id/{state.org.org_id}/{state.org.user_id}"
    issued_at = str(int(issued.issued_at.timestamp() * 1000))
    signature = hmac.new(
        client.client_secret.encode(), (identity + issued_at).encode(), hashlib.sha256
    ).digest()
    body: dict[str, Any] = {
        "access_token": issued.value,
        "signature": base64.b64encode(signature).decode(),
        "scope": "api refresh_token" if grant != JWT_GRANT else "api",
        "instance_url": base,
        "id": identity,
        "token_type": "Bearer",
        "issued_at": issued_at,
    }
    if grant == "client_credentials":
        body["api_instance_url"] = base
    if extra.get("return_refresh_token"):
        body["refresh_token"] = extra["refresh_token"]
    return body


def _client(
    state: ServerState, client_id: str | None, secret: str | None, secret_required: bool = True
) -> OAuthClient:
    client = state.client(client_id or "")
    if client is None:
        raise OAuthError("invalid_client_id", "client identifier invalid")
    if (secret_required or secret is not None) and secret != client.client_secret:
        raise OAuthError("invalid_client", "invalid client credentials")
    return client


def _basic_credentials(request: Request) -> tuple[str | None, str | None]:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None, None
    decoded = base64.b64decode(header[6:]).decode("utf-8", "replace")
    client_id, _, secret = decoded.partition(":")
    return client_id, secret


def _client_credentials(
    state: ServerState, request: Request, params: dict[str, str]
) -> tuple[OAuthClient, dict[str, Any]]:
    client_id, secret = _basic_credentials(request)
    client_id = client_id or params.get("client_id")
    secret = secret if secret is not None else params.get("client_secret")
    return _client(state, client_id, secret), {}


def _password(
    state: ServerState, request: Request, params: dict[str, str]
) -> tuple[OAuthClient, dict[str, Any]]:
    client = _client(state, params.get("client_id"), params.get("client_secret"))
    password = params.get("password", "")
    if params.get("username") != client.username or not password.startswith(client.password):
        raise OAuthError("invalid_grant", "authentication failure")
    return client, {}


def _refresh(
    state: ServerState, request: Request, params: dict[str, str]
) -> tuple[OAuthClient, dict[str, Any]]:
    client = _client(
        state, params.get("client_id"), params.get("client_secret"), secret_required=False
    )
    refresh_token = params.get("refresh_token", "")
    if state.tokens.refresh.get(refresh_token) != client.client_id:
        raise OAuthError("invalid_grant", "expired access/refresh token")
    if client.rotate_refresh_tokens:
        rotated = state.tokens.rotate(refresh_token, client.client_id)
        return client, {"refresh_token": rotated, "return_refresh_token": True}
    return client, {"refresh_token": refresh_token}


def _jwt_bearer(
    state: ServerState, request: Request, params: dict[str, str]
) -> tuple[OAuthClient, dict[str, Any]]:
    assertion = params.get("assertion", "")
    try:
        claims = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise OAuthError("invalid_grant", "invalid assertion") from None
    client = state.client(str(claims.get("iss", "")))
    if client is None:
        raise OAuthError("invalid_client_id", "client identifier invalid")
    if client.jwt_certificate:
        _verify_signature(assertion, client.jwt_certificate)
    _check_claims(state, request, client, claims)
    return client, {}


def _verify_signature(assertion: str, certificate_pem: str) -> None:
    public_key = x509.load_pem_x509_certificate(certificate_pem.encode()).public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise OAuthError("invalid_grant", "invalid assertion")
    try:
        jwt.decode(
            assertion,
            public_key,
            algorithms=["RS256"],
            options={"verify_aud": False, "verify_exp": False},
        )
    except jwt.PyJWTError:
        raise OAuthError("invalid_grant", "invalid assertion") from None


def _check_claims(
    state: ServerState, request: Request, client: OAuthClient, claims: dict[str, Any]
) -> None:
    audiences = claims.get("aud")
    audiences = audiences if isinstance(audiences, list) else [audiences]
    if not set(audiences) & {*JWT_AUDIENCES, instance_url(request)}:
        raise OAuthError("invalid_grant", "audience is invalid")
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or expires <= state.org.now().timestamp():
        raise OAuthError("invalid_grant", "expired authorization code")
    if claims.get("sub") != client.username:
        raise OAuthError("invalid_grant", "user hasn't approved this consumer")


@router.post("/revoke")
@router.get("/revoke")
async def revoke(request: Request) -> Response:
    params = await form(request)
    if not state_of(request).tokens.revoke(params.get("token", "")):
        return OAuthError("unsupported_token_type", "this token type is not supported").response()
    return Response(status_code=200)


@router.get("/userinfo")
async def userinfo(request: Request) -> Response:
    state = state_of(request)
    if not state.tokens.is_valid(bearer_token(request.scope)):
        return Response("Bad_OAuth_Token", 403, media_type="text/plain")
    user = state.org.get(state.org.user_id) or {}
    base = instance_url(request)
    return responses.json_response(
        {
            "sub": f"{base}/id/{state.org.org_id}/{state.org.user_id}",
            "user_id": state.org.user_id,
            "organization_id": state.org.org_id,
            "preferred_username": user.get("Username"),
            "nickname": user.get("Alias"),
            "name": user.get("Name"),
            "email": user.get("Email"),
            "email_verified": True,
            "given_name": user.get("FirstName"),
            "family_name": user.get("LastName"),
            "zoneinfo": user.get("TimeZoneSidKey"),
            "locale": user.get("LocaleSidKey"),
            "language": user.get("LanguageLocaleKey"),
            "active": True,
            "user_type": "STANDARD",
            "is_app_installed": True,
            "urls": {
                "rest": f"{base}/services/data/v{{version}}/",
                "sobjects": f"{base}/services/data/v{{version}}/sobjects/",
                "query": f"{base}/services/data/v{{version}}/query/",
            },
        }
    )
