"""Dependencies of UI routes: the engine and the signed-in user (``UserDep``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy.engine import Engine

from pushforce.store import read_connection
from pushforce.web.ui.auth import UiUser, check_csrf, session_user


class NeedsSignIn(Exception):
    """No valid session: pages redirect to the sign-in form."""


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def signed_in_user(request: Request, engine: Engine = Depends(get_engine)) -> UiUser:
    with read_connection(engine) as conn:
        user = session_user(request, conn)
    if user is None:
        raise NeedsSignIn()
    request.state.ui_user = user
    return user


UserDep = Annotated[UiUser, Depends(signed_in_user)]
EngineDep = Annotated[Engine, Depends(get_engine)]


def ui_router() -> APIRouter:
    """A router whose every state-changing route checks the CSRF token first."""
    return APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
