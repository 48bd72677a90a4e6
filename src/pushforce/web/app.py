"""The FastAPI application: ``create_app(config_or_engine)``.

Given a ``Config`` it asks ``wiring`` for the engine (SQLite is migrated on start; PostgreSQL is
migrated by ``pushforce migrate``); given an ``Engine`` it uses it as is (tests, embedding).
OpenAPI is served at ``/docs`` (and ``/openapi.json``).
"""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.engine import Engine

from pushforce import __version__
from pushforce.config import Config
from pushforce.web.api import api_router
from pushforce.web.errors import install_error_handlers
from pushforce.web.limits import RequestLimits
from pushforce.web.ui import install_ui


def create_app(source: Config | Engine) -> FastAPI:
    if isinstance(source, Engine):
        engine = source
    else:
        from pushforce.wiring import build_engine

        engine = build_engine(source)
    app = FastAPI(
        title="Pushforce",
        version=__version__,
        description="Records and activity a sales team keeps in Pushforce, pushed to Salesforce.",
        docs_url="/docs",
    )
    app.state.engine = engine
    app.state.config = source if isinstance(source, Config) else None  # None: Config() per use
    install_error_handlers(app)
    app.include_router(api_router())
    install_ui(app)
    config = source if isinstance(source, Config) else Config()
    app.add_middleware(RequestLimits, max_body_bytes=config.max_request_body_bytes)
    return app
