"""Composition root: turns a Config into adapters. Nothing else constructs adapters."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.engine import Engine

from pushforce.config import Config
from pushforce.store import make_engine, migrate
from pushforce.store.dialect import is_sqlite


def build_engine(config: Config, *, migrate_sqlite: bool = True) -> Engine:
    """The store's engine. The embedded SQLite file is migrated on the spot (one process owns
    it); PostgreSQL is migrated explicitly with ``pushforce migrate`` before workers start."""
    engine = make_engine(config.resolved_database_url())
    if migrate_sqlite and is_sqlite(engine):
        migrate(engine)
    return engine


def build_app(config: Config) -> FastAPI:
    from pushforce.web.app import create_app

    return create_app(build_engine(config))
