"""``/api/v1/salesforce/push-all``: push every contact, account or deal of the team (R12).

* ``POST /salesforce/push-all`` ``{"kind": "contacts", "stage": "Qualified", "saved": true,
  "preview": true}`` — with ``preview`` (the default) what would be created, linked, updated
  and skipped with reasons, and the API calls it would cost; nothing is written (R22).
  With ``"preview": false`` the run starts in the background: 202 with its progress.
* ``GET  /salesforce/push-all/{id}`` — progress: done, created, linked, updated, skipped,
  failed, percent, state (starting / running / finished / cancelled).
* ``POST /salesforce/push-all/{id}/cancel`` — stop it; pending records are not pushed.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.engine import Engine

from pushforce.app.drain import new_owner
from pushforce.app.ports import GatewayFor
from pushforce.app.push_all import (
    PushAllBusy,
    PushAllError,
    PushAllRequest,
    cancel_push_all,
    preview_push_all,
    push_all_progress,
    start_in_background,
    start_push_all,
)
from pushforce.web.api.deps import Caller, current_caller, get_engine
from pushforce.web.api.ops_deps import CLOCK, actor_of, gateway_source
from pushforce.web.errors import ApiError

router = APIRouter(prefix="/salesforce/push-all", tags=["push"])

CallerDep = Annotated[Caller, Depends(current_caller)]
EngineDep = Annotated[Engine, Depends(get_engine)]
GatewayDep = Annotated[GatewayFor, Depends(gateway_source)]
RunId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class PushAllIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="contacts, accounts or deals")
    stage: str | None = Field(default=None, max_length=255, description="only records at it")
    saved: bool | None = Field(default=None, description="only saved (true) / unsaved (false)")
    preview: bool = Field(default=True, description="true: say what would happen, write nothing")


def _request(body: PushAllIn) -> PushAllRequest:
    return PushAllRequest(body.kind, body.stage, body.saved)


def _refused(error: PushAllError) -> ApiError:
    status = 409 if isinstance(error, PushAllBusy) else 422
    return ApiError(status, f"body.{error.field}", str(error))


@router.post("", summary="Preview or start a push-all")
def push_all(body: PushAllIn, caller: CallerDep, engine: EngineDep, gateway_for: GatewayDep) -> Any:
    try:
        if body.preview:
            return preview_push_all(engine, CLOCK, caller.team_id, _request(body))
        if gateway_for(caller.team_id) is None:
            message = "this team has no Salesforce connection; connect it first"
            raise ApiError(409, None, message)
        run_id = start_push_all(engine, CLOCK, caller.team_id, _request(body), actor_of(caller))
    except PushAllError as error:
        raise _refused(error) from error
    start_in_background(engine, gateway_for, CLOCK, caller.team_id, run_id, new_owner())
    progress = push_all_progress(engine, CLOCK, caller.team_id, run_id)
    return JSONResponse(progress, status_code=202)


def _known(action: Any, engine: Engine, team_id: int, run_id: int) -> Any:
    try:
        return action(engine, CLOCK, team_id, run_id)
    except PushAllError as error:
        raise ApiError(404, "path.run_id", str(error)) from error


@router.get("/{run_id}", summary="A push-all's progress")
def progress(run_id: RunId, caller: CallerDep, engine: EngineDep) -> Any:
    return _known(push_all_progress, engine, caller.team_id, run_id)


@router.post("/{run_id}/cancel", summary="Cancel a push-all")
def cancel(run_id: RunId, caller: CallerDep, engine: EngineDep) -> Any:
    return _known(cancel_push_all, engine, caller.team_id, run_id)
