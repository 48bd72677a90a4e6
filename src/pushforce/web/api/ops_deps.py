"""What the push-all, status, log and retry routers share: the team's gateway, the clock, the
acting user's name, and waking the team's drain (no ``router`` here: not mounted)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.engine import Engine

from pushforce.app.ports import GatewayFor, SystemClock
from pushforce.config import Config
from pushforce.web.api.deps import Caller

CLOCK = SystemClock()


def get_config(request: Request) -> Config:
    config = getattr(request.app.state, "config", None)
    return config if isinstance(config, Config) else Config()


def gateway_source(request: Request) -> GatewayFor:
    """The team's Salesforce gateway, or None when it has no usable connection. Tests may set
    ``app.state.gateway_for``."""
    given = getattr(request.app.state, "gateway_for", None)
    if given is not None:
        source: GatewayFor = given
        return source
    from pushforce.salesforce.connections import gateway_for_team

    engine: Engine = request.app.state.engine
    config = get_config(request)

    def gateway_for(team_id: int) -> Any:
        return gateway_for_team(engine, team_id, config)

    return gateway_for


def actor_of(caller: Caller) -> str:
    if caller.user_id is not None:
        return f"user:{caller.user_id}"
    return f"api-key:{caller.api_key_id}"


def wake(engine: Engine, team_id: int) -> None:
    from pushforce.store.push_hook import wake_teams

    wake_teams(engine, [team_id])
