"""The team's push status (issue 5 item 7): connection, pause, queue depth per kind, the
oldest pending job's age, failures by error class, and API usage against the budget (R19).

`connection_and_usage` reads the connection and the org's meter (as last seen by this process);
`team_status` takes them as plain values and reads the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pushforce.core.policy import ApiUsage
from pushforce.store import leases, read_connection
from pushforce.store import push_status as queue
from pushforce.store.settings_repo import current_settings


@dataclass(frozen=True, slots=True)
class ConnectionView:
    """What status shows of a connection (never a secret)."""

    state: str
    org_id: str | None
    instance_url: str | None
    username: str | None
    last_error: str | None = None


def connection_and_usage(
    engine: Any, team_id: int
) -> tuple[ConnectionView | None, ApiUsage | None]:
    """The connection as status shows it, and the org's meter as last seen in this process."""
    from pushforce.salesforce.connections import connection_info

    info = connection_info(engine, team_id)
    if info is None:
        return None, None
    view = ConnectionView(
        info.state, info.org_id, info.instance_url, info.username, info.last_error
    )
    return view, info.api_usage


def team_status(
    engine: Any,
    team_id: int,
    now: datetime,
    connection: ConnectionView | None,
    usage: ApiUsage | None,
) -> dict[str, Any]:
    with read_connection(engine) as conn:
        settings, _version = current_settings(conn, team_id)
        pause = leases.pause_of(conn, team_id)
        depth = queue.queue_depth(conn, team_id)
        oldest = queue.oldest_pending(conn, team_id)
        failures = queue.failures_by_class(conn, team_id)
    budget = settings.limits.api_budget_percent
    return {
        "connection": _connection(connection),
        "enabled": settings.enabled,
        "paused": None if pause is None else _pause(pause),
        "queue": {kind: _states(states) for kind, states in sorted(depth.items())},
        "pending": sum(states.get("pending", 0) for states in depth.values()),
        "oldest_pending_age_seconds": _age(oldest, now),
        "failures_by_class": dict(sorted(failures.items())),
        "failed": sum(failures.values()),
        "api_usage": _usage(usage, budget),
    }


def _connection(view: ConnectionView | None) -> dict[str, Any]:
    if view is None:
        return {"state": "not_connected"}
    return {
        "state": view.state,
        "org_id": view.org_id,
        "instance_url": view.instance_url,
        "username": view.username,
        "last_error": view.last_error,
    }


def _pause(pause: leases.Pause) -> dict[str, Any]:
    at = pause.at.isoformat() if pause.at else None
    return {"reason": pause.reason, "hint": pause.hint, "since": at}


def _states(states: dict[str, int]) -> dict[str, int]:
    return {state: states.get(state, 0) for state in ("pending", "running", "failed", "held")}


def _age(oldest: datetime | None, now: datetime) -> float | None:
    return None if oldest is None else max(0.0, round((now - oldest).total_seconds(), 1))


def _usage(usage: ApiUsage | None, budget_percent: int) -> dict[str, Any] | None:
    if usage is None:
        return {"budget_percent": budget_percent, "used": None, "limit": None}
    budget_calls = usage.limit * budget_percent // 100
    return {
        "used": usage.used,
        "limit": usage.limit,
        "percent": round(usage.percent, 2),
        "budget_percent": budget_percent,
        "budget_calls": budget_calls,
        "over_budget": usage.used >= budget_calls,
        "observed_at": usage.observed_at.isoformat(),
    }
