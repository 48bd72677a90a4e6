"""``GET /api/v1/salesforce/status``: connection state, pause, queue depth per kind, the oldest
pending push's age, failures by error class, and API usage against the budget (R19)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from sqlalchemy.engine import Engine

from pushforce.app.status import connection_and_usage, team_status
from pushforce.web.api.deps import Caller, current_caller, get_engine
from pushforce.web.api.ops_deps import CLOCK

router = APIRouter(prefix="/salesforce", tags=["push"])


@router.get("/status", summary="Push status of the team")
def status(
    caller: Annotated[Caller, Depends(current_caller)],
    engine: Annotated[Engine, Depends(get_engine)],
) -> Any:
    view, usage = connection_and_usage(engine, caller.team_id)
    return team_status(engine, caller.team_id, CLOCK.now(), view, usage)
