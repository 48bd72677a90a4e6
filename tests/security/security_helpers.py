"""Helpers of the security suite: teams with a user and an API key, every route of the app
(FastAPI includes routers lazily, so ``app.routes`` alone does not list them), and a full
fingerprint of the database to prove a refused request changed nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.routing import _IncludedRouter
from record_samples import KINDS, Refs
from sqlalchemy.engine import Engine
from store_helpers import create_values
from ui_helpers import UiTeam, make_team

from pushforce.store import create_api_key, insert_record, read_connection, write_transaction
from pushforce.store.push_all_runs import RecordFilter, create_run
from pushforce.store.schema import metadata
from pushforce.store.settings_repo import current_settings, save_settings

# Tables whose rows a refused request may legitimately touch (a key's last use).
VOLATILE_TABLES = {"api_keys", "alembic_version"}


@dataclass(frozen=True)
class SecTeam:
    ui: UiTeam
    key: str
    records: dict[str, int]  # kind → one record of the team
    run_id: int  # a push-all run of the team
    version: int  # a saved settings version of the team

    @property
    def team_id(self) -> int:
        return self.ui.team_id

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def new_team(engine: Engine, name: str, versions: int = 1, **kw: str) -> SecTeam:
    """A team with a user, an API key, one record of every kind, a push-all run and saved
    settings versions: something of each sort another team might try to reach. (Versions are
    numbered per team: give the owner more than the intruder so its last one is its own.)"""
    ui = make_team(engine, name, **kw)
    with write_transaction(engine) as conn:
        team_id = ui.team_id
        key = create_api_key(conn, team_id, ui.user_id, "security tests")
        refs = Refs(ui.account_id, ui.contact_id, 0, ui.user_id)
        deal = insert_record(conn, team_id, "deal", create_values("deal", refs))
        refs = Refs(ui.account_id, ui.contact_id, deal["id"], ui.user_id)
        records = {"account": ui.account_id, "contact": ui.contact_id, "deal": deal["id"]}
        for kind in KINDS:
            if kind not in records:
                records[kind] = insert_record(conn, team_id, kind, create_values(kind, refs))["id"]
        run_id = create_run(conn, RecordFilter(team_id, "contact"), "tests", 1, datetime.now(UTC))
        document, _ = current_settings(conn, team_id)
        for _ in range(versions):
            saved = save_settings(conn, team_id, document.model_dump(mode="json"), ui.user_id)
    return SecTeam(ui, key.secret, records, run_id, saved.version)


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app answers, HEAD left out (it mirrors GET)."""
    found: set[tuple[str, str]] = set()

    def walk(items: Any) -> None:
        for item in items:
            if isinstance(item, _IncludedRouter):
                walk(item.effective_candidates())
                continue
            route = getattr(item, "original_route", item)
            path = getattr(item, "path", "") or route.path
            for method in getattr(route, "methods", None) or {"MOUNT"}:
                if method != "HEAD":
                    found.add((method, path))

    walk(app.router.routes)
    return found


def fingerprint(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but the volatile ones), in a stable order."""
    tables = [t for t in metadata.sorted_tables if t.name not in VOLATILE_TABLES]
    with read_connection(engine) as conn:
        return {
            table.name: sorted(
                (tuple(str(v) for v in row) for row in conn.execute(sa.select(table))), key=str
            )
            for table in tables
        }
