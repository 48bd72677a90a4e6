"""Manual push (R11) and its preview (R22):
``POST /api/v1/{contacts|accounts|deals}/{id}/salesforce/push[?dry_run=true]``.

The push runs now, synchronously, and answers the Salesforce Id and URL — or the classified
error with its fix hint. The preview writes nothing and calls nothing.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Engine

from pushforce.app.manual import ManualResult, preview_push, push_now
from pushforce.app.ports import GatewayFor, SystemClock
from pushforce.config import Config
from pushforce.runners.wiring import gateways
from pushforce.web.api.deps import Caller, current_caller, get_engine
from pushforce.web.errors import ApiError

router = APIRouter(tags=["push"])
KINDS = {"contacts": "contact", "accounts": "account", "deals": "deal"}
STATUS_CODES = {
    "pushed": 200,
    "unchanged": 200,
    "skipped": 200,
    "retrying": 202,
    "waiting": 202,
    "failed": 422,
    "held": 409,
    "busy": 409,
    "no_connection": 409,
    "paused": 409,
}


def gateway_factory(request: Request, engine: Engine = Depends(get_engine)) -> GatewayFor:
    """The app's gateways (tests may set ``app.state.gateway_for``)."""
    custom: GatewayFor | None = getattr(request.app.state, "gateway_for", None)
    if custom is not None:
        return custom
    config = getattr(request.app.state, "config", None) or Config()
    return gateways(engine, config)


def _actor(caller: Caller) -> str:
    if caller.user_id is not None:
        return f"user:{caller.user_id}"
    return f"api_key:{caller.api_key_id}"


def _kind(plural: str) -> str:
    kind = KINDS.get(plural)
    if kind is None:
        raise ApiError(404, "path.kind", f"only {', '.join(KINDS)} can be pushed by hand")
    return kind


@router.post("/{plural}/{record_id}/salesforce/push", response_model=None)
def push_record(
    plural: str,
    record_id: int,
    dry_run: bool = Query(False, description="Preview only (R22): write and call nothing."),
    caller: Caller = Depends(current_caller),
    engine: Engine = Depends(get_engine),
    gateway_for: GatewayFor = Depends(gateway_factory),
) -> JSONResponse | dict[str, Any]:
    """Push one record to Salesforce now, overriding the push settings' eligibility (R11)."""
    kind = _kind(plural)
    clock = SystemClock()
    if dry_run:
        preview = preview_push(engine, clock, caller.team_id, kind, record_id)
        if preview is None:
            raise ApiError(404, "path.record_id", f"no {kind} {record_id} in this team")
        return {"dry_run": True, "kind": kind, "record_id": record_id, **preview}
    result = push_now(engine, gateway_for, clock, caller.team_id, kind, record_id, _actor(caller))
    if result.status == "not_found":
        raise ApiError(404, "path.record_id", f"no {kind} {record_id} in this team")
    return JSONResponse(_body(result), status_code=STATUS_CODES.get(result.status, 200))


def _body(result: ManualResult) -> dict[str, Any]:
    return {name: value for name, value in asdict(result).items() if value is not None}
