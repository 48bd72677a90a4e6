"""Dependencies every ``/api/v1`` router uses: the engine and the authenticated caller.

    @router.get("/things")
    def list_things(caller: Caller = Depends(current_caller), engine: Engine = Depends(get_engine)):
        with read_connection(engine) as conn: ...  # always scope queries by caller.team_id

Authentication is a bearer API key (``Authorization: Bearer pf_…``) that belongs to one team.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Engine

from pushforce.store import read_connection, team_for_api_key, write_transaction
from pushforce.store.records import utcnow
from pushforce.store.teams import needs_touch, touch_api_key
from pushforce.web.errors import ApiError

bearer = HTTPBearer(auto_error=False, description="A team's API key: `Authorization: Bearer pf_…`")


@dataclass(frozen=True)
class Caller:
    team_id: int
    user_id: int | None
    api_key_id: int


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _unauthorized(message: str) -> ApiError:
    headers = {"WWW-Authenticate": "Bearer"}
    return ApiError(401, "header.authorization", message, headers=headers)


def current_caller(
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
    engine: Engine = Depends(get_engine),
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized("send a team API key as 'Authorization: Bearer <key>'")
    with read_connection(engine) as conn:
        owner = team_for_api_key(conn, credentials.credentials)
    if owner is None:
        raise _unauthorized("the API key is unknown or revoked")
    now = utcnow()
    if needs_touch(owner, now):
        with write_transaction(engine) as conn:
            touch_api_key(conn, owner.api_key_id, now)
    return Caller(owner.team_id, owner.user_id, owner.api_key_id)
