"""The push engine's adapters from a Config: the teams' gateways and a drainer.

``gateways(engine, config)`` asks the connection store for each team's gateway on every call
(a reconnect takes effect at once; per-org state — describe cache, API meter, concurrency cap
— is shared in the process by the gateway itself).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from pushforce.app.drain import Drainer, new_owner
from pushforce.app.ports import Clock, GatewayFor, Salesforce, SystemClock
from pushforce.config import Config


def gateways(engine: Engine, config: Config) -> GatewayFor:
    from pushforce.salesforce.connections import gateway_for_team

    def gateway_for(team_id: int) -> Salesforce | None:
        return gateway_for_team(engine, team_id, config)

    return gateway_for


def drainer(
    engine: Engine, config: Config, *, owner: str | None = None, clock: Clock | None = None
) -> Drainer:
    return Drainer(
        engine,
        gateways(engine, config),
        clock or SystemClock(),
        owner or new_owner(),
        batch_size=config.drain_batch_size,
        lease_ttl=timedelta(seconds=config.lease_seconds),
    )
