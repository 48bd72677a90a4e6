"""``/api/v1/salesforce/connection``: connect the team to its Salesforce org (``PUT``), show the
connection (``GET``), disconnect (``DELETE``). Answers never contain a token or secret."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from sqlalchemy.engine import Engine

from pushforce.config import Config
from pushforce.salesforce.connections import ConnectionInfo, connect, connection_info, disconnect
from pushforce.salesforce.errors import CallFailure
from pushforce.salesforce.hosts import DisallowedHost, allowed_hosts
from pushforce.salesforce.oauth import OAuthFailed, OAuthUnavailable
from pushforce.salesforce.params import ca_file_allowed, flow_params
from pushforce.web.api.deps import Caller, current_caller, get_engine
from pushforce.web.errors import ApiError

router = APIRouter(prefix="/salesforce", tags=["salesforce"])

FlowName = Literal["jwt", "refresh-token", "client-credentials", "access-token"]


class ConnectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    flow: FlowName
    login_url: str | None = Field(
        None, description="Token endpoint origin (default: login.salesforce.com)"
    )
    client_id: str | None = None
    client_secret: SecretStr | None = None
    username: str | None = Field(None, description="JWT bearer: the Salesforce username (sub)")
    private_key: SecretStr | None = Field(None, description="JWT bearer: PEM RSA private key")
    refresh_token: SecretStr | None = None
    audience: str | None = Field(None, description="JWT bearer: aud (default from the login URL)")
    access_token: SecretStr | None = Field(
        None, description="access-token flow: a pre-issued token"
    )
    instance_url: str | None = Field(None, description="access-token flow: the org's URL")
    ca_file: str | None = Field(
        None, description="CA file to trust; only for hosts in PUSHFORCE_ALLOWED_SALESFORCE_HOSTS"
    )


class ApiUsageOut(BaseModel):
    used: int
    limit: int
    percent: float
    observed_at: datetime


class ConnectionOut(BaseModel):
    connected: bool
    state: Literal["connected", "needs_reconnect", "disconnected"]
    flow: str | None = None
    org_id: str | None = None
    instance_url: str | None = None
    user_id: str | None = None
    user_name: str | None = None
    username: str | None = None
    connected_at: datetime | None = None
    updated_at: datetime | None = None
    last_error: str | None = None
    api_usage: ApiUsageOut | None = None


def get_config(request: Request) -> Config:
    config = getattr(request.app.state, "config", None)
    return config if isinstance(config, Config) else Config()


def _out(info: ConnectionInfo | None) -> ConnectionOut:
    if info is None:
        return ConnectionOut(connected=False, state="disconnected")
    usage = info.api_usage
    return ConnectionOut(
        connected=info.state == "connected",
        state=info.state,  # type: ignore[arg-type]
        flow=info.flow,
        org_id=info.org_id,
        instance_url=info.instance_url,
        user_id=info.user_id,
        user_name=info.user_name,
        username=info.username,
        connected_at=info.connected_at,
        updated_at=info.updated_at,
        last_error=info.last_error,
        api_usage=ApiUsageOut(
            used=usage.used,
            limit=usage.limit,
            percent=round(usage.percent, 2),
            observed_at=usage.observed_at,
        )
        if usage
        else None,
    )


@router.get("/connection", response_model=ConnectionOut, summary="The team's Salesforce connection")
def show(
    caller: Annotated[Caller, Depends(current_caller)],
    engine: Annotated[Engine, Depends(get_engine)],
) -> ConnectionOut:
    return _out(connection_info(engine, caller.team_id))


@router.put("/connection", response_model=ConnectionOut, summary="Connect to Salesforce")
def put(
    body: ConnectionIn,
    caller: Annotated[Caller, Depends(current_caller)],
    engine: Annotated[Engine, Depends(get_engine)],
    config: Annotated[Config, Depends(get_config)],
) -> ConnectionOut:
    """Runs the OAuth flow, checks the token with ``/userinfo`` and ``/limits``, then stores the
    connection (state ``connected``). Nothing is stored when any step fails."""
    values = {
        name: (value.get_secret_value() if isinstance(value, SecretStr) else value)
        for name, value in body.model_dump(exclude={"flow", "login_url", "ca_file"}).items()
    }
    try:
        params = flow_params(body.flow, body.login_url, **values)
        if body.ca_file and not ca_file_allowed(
            params, allowed_hosts(config.allowed_salesforce_hosts)
        ):
            raise ApiError(
                422,
                "body.ca_file",
                "a CA file may only be given for a host in PUSHFORCE_ALLOWED_SALESFORCE_HOSTS",
            )
        info = connect(engine, caller.team_id, params, config, ca_file=body.ca_file)
    except DisallowedHost as refused:
        where = "body.instance_url" if "instance" in str(refused) else "body.login_url"
        raise ApiError(422, where, str(refused)) from None
    except ValueError as bad:
        field, _, message = str(bad).partition(": ")
        raise ApiError(422, f"body.{field}", message or str(bad)) from None
    except OAuthFailed as refused:
        raise ApiError(400, None, f"Salesforce refused the credentials: {refused}") from None
    except (OAuthUnavailable, CallFailure) as down:
        raise ApiError(502, None, f"Salesforce could not be reached or verified: {down}") from None
    return _out(info)


@router.delete("/connection", status_code=204, summary="Disconnect from Salesforce")
def delete(
    caller: Annotated[Caller, Depends(current_caller)],
    engine: Annotated[Engine, Depends(get_engine)],
    config: Annotated[Config, Depends(get_config)],
) -> Response:
    """Revokes the token at Salesforce (best effort) and forgets the connection."""
    if not disconnect(engine, caller.team_id, config):
        raise ApiError(404, None, "the team has no Salesforce connection")
    return Response(status_code=204)
