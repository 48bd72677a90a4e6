"""The ASGI application: routes, Salesforce-shaped error handlers, the middleware, lifespan.

The SOQL engineer's `routes_query` (``/query``, ``/queryAll``), `bulk` and `lifecycle` modules
are mounted when present: each may expose ``router`` (an APIRouter) or
``register(app, org_provider)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp

from localforce import responses
from localforce.errors import OrgError
from localforce.httputil import error_response
from localforce.middleware import LocalforceMiddleware
from localforce.state import ServerState

log = logging.getLogger("localforce")
OPTIONAL_MODULES = ("localforce.routes_query", "localforce.bulk", "localforce.lifecycle")


def create_app(state: ServerState) -> ASGIApp:
    app = FastAPI(lifespan=_lifespan(state), openapi_url=None, docs_url=None, redoc_url=None)
    app.state.localforce = state
    app.router.redirect_slashes = False
    _add_error_handlers(app)
    _include_routes(app, state)
    state.inner_app = app
    return LocalforceMiddleware(app, state)


def _include_routes(app: FastAPI, state: ServerState) -> None:
    from localforce import (
        routes_collections,
        routes_composite,
        routes_control,
        routes_graph,
        routes_meta,
        routes_oauth,
        routes_replication,
        routes_sobjects,
    )

    for module in (
        routes_graph,
        routes_meta,
        routes_oauth,
        routes_control,
        routes_collections,
        routes_composite,
        routes_replication,
    ):
        app.include_router(module.router)
    for name in OPTIONAL_MODULES:
        mount_optional(app, name, state)
    app.include_router(routes_sobjects.router)  # last: its /sobjects/{x}/{y} paths are broad


def mount_optional(app: FastAPI, module_name: str, state: ServerState) -> bool:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return False
    if hasattr(module, "register"):
        module.register(app, lambda: state.org)
    elif hasattr(module, "router"):
        app.include_router(module.router)
    else:
        return False
    return True


def _add_error_handlers(app: FastAPI) -> None:
    async def org_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, OrgError)
        return error_response(exc, request.path_params.get("version"))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 405:
            return responses.json_response(
                [
                    {
                        "errorCode": "METHOD_NOT_ALLOWED",
                        "message": f"HTTP Method '{request.method}' not allowed.",
                    }
                ],
                405,
            )
        return responses.json_response(responses.NOT_FOUND, exc.status_code)

    async def validation_error(request: Request, exc: Exception) -> Response:
        return responses.json_response(responses.NOT_FOUND, 404)

    app.add_exception_handler(OrgError, org_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)


def _lifespan(state: ServerState) -> Any:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(_snapshot_periodically(state))
        try:
            yield
        finally:
            task.cancel()
            if state.persistence is not None:
                state.persistence.save()

    return lifespan


async def _snapshot_periodically(state: ServerState) -> None:
    interval = state.config.snapshot_interval_seconds
    while state.persistence is not None and interval > 0:
        await asyncio.sleep(interval)
        if state.persistence.dirty:
            try:
                await asyncio.to_thread(state.persistence.save)
            except OSError:
                log.exception("localforce: snapshot failed")
