"""The sync log and retry on request (PRODUCT.md §6, R18).

* ``GET  /salesforce/log?kind=&record=contact:42&outcome=failed&error_class=&trigger=&since=
  &until=&limit=&cursor=`` — newest first → ``{"items", "next_cursor"}``.
* ``POST /salesforce/retry`` ``{"record": "contact:42"}`` | ``{"error_class": "X"}`` |
  ``{"all": true}`` → ``{"retried": n}``: failed pushes go back to the queue, due now.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.engine import Engine

from pushforce.app.retry import RetryError, RetryRequest, parse_record, retry_failed
from pushforce.store import read_connection
from pushforce.store.push_status import LogFilter, log_page
from pushforce.web.api.deps import Caller, current_caller, get_engine
from pushforce.web.api.ops_deps import CLOCK, wake
from pushforce.web.errors import ApiError

router = APIRouter(prefix="/salesforce", tags=["push"])

CallerDep = Annotated[Caller, Depends(current_caller)]
EngineDep = Annotated[Engine, Depends(get_engine)]
Text = Annotated[str | None, Query(max_length=255)]


def _record(text: str | None, location: str) -> tuple[str | None, int | None]:
    if text is None:
        return None, None
    try:
        return parse_record(text)
    except RetryError as error:
        raise ApiError(422, location, str(error)) from error


@router.get("/log", summary="The sync log, newest first")
def sync_log(
    caller: CallerDep,
    engine: EngineDep,
    kind: Text = None,
    record: Text = None,
    outcome: Text = None,
    error_class: Text = None,
    trigger: Text = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
) -> Any:
    record_kind, record_id = _record(record, "query.record")
    if record_kind is not None and kind is not None and kind != record_kind:
        raise ApiError(422, "query.kind", f"kind {kind!r} contradicts record {record!r}")
    flt = LogFilter(record_kind or kind, record_id, outcome, error_class, trigger, since, until)
    with read_connection(engine) as conn:
        items, next_cursor = log_page(conn, caller.team_id, flt, before_id=cursor, limit=limit)
    return {"items": jsonable_encoder(items), "next_cursor": next_cursor}


class RetryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    record: str | None = Field(default=None, max_length=80, description="KIND:ID")
    error_class: str | None = Field(default=None, max_length=255, description="an error code")
    all: bool = False


@router.post("/retry", summary="Retry failed pushes")
def retry(body: RetryIn, caller: CallerDep, engine: EngineDep) -> Any:
    kind, record_id = _record(body.record, "body.record")
    request = RetryRequest(kind, record_id, body.error_class, body.all)
    try:
        count = retry_failed(
            engine, caller.team_id, request, CLOCK.now(), lambda team: wake(engine, team)
        )
    except RetryError as error:
        raise ApiError(422, f"body.{error.field}", str(error)) from error
    return {"retried": count}
