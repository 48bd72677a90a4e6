"""``GET /api/v1/stages``: the team's stages, in order, with their Salesforce values."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy.engine import Engine

from pushforce.store import list_stages, read_connection
from pushforce.web.api.deps import Caller, current_caller, get_engine

router = APIRouter(tags=["stages"])


class StageOut(BaseModel):
    id: int
    object: Literal["contact", "account", "deal"]
    name: str
    position: int
    salesforce_value: str | None


@router.get("/stages", response_model=list[StageOut], summary="List the team's stages")
def stages(
    caller: Annotated[Caller, Depends(current_caller)],
    engine: Annotated[Engine, Depends(get_engine)],
    object: Annotated[Literal["contact", "account", "deal"] | None, Query()] = None,
) -> list[StageOut]:
    with read_connection(engine) as conn:
        rows = list_stages(conn, caller.team_id, object)
    return [StageOut.model_validate(row) for row in rows]
