"""Batched look-ups by natural key, for CSV re-import idempotency (match people by email,
companies by domain, then by name, case-insensitively). Each returns the records of the team
keyed by the normalised key (lower-cased); the oldest record wins when several share a key."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.store.kinds import spec_for
from pushforce.store.records import attach_deal_contacts, record_select

CHUNK = 500  # bound the IN list (SQLite's default variable limit is 32,766; keep plans small)


def find_contacts_by_emails(
    conn: Connection, team_id: int, emails: Iterable[str]
) -> dict[str, Any]:
    column = spec_for("contact").table.c.email
    return _find_by(conn, team_id, "contact", column, emails)


def find_accounts_by_domains(
    conn: Connection, team_id: int, domains: Iterable[str]
) -> dict[str, Any]:
    column = spec_for("account").table.c.domain
    return _find_by(conn, team_id, "account", column, domains)


def find_accounts_by_names(conn: Connection, team_id: int, names: Iterable[str]) -> dict[str, Any]:
    column = sa.func.lower(spec_for("account").table.c.name)
    return _find_by(conn, team_id, "account", column, names)


def _find_by(
    conn: Connection, team_id: int, kind: str, column: Any, keys: Iterable[str]
) -> dict[str, dict[str, Any]]:
    wanted = sorted({key.strip().lower() for key in keys if key and key.strip()})
    found: dict[str, dict[str, Any]] = {}
    spec = spec_for(kind)
    for start in range(0, len(wanted), CHUNK):
        statement = (
            record_select(spec)
            .add_columns(column.label("_key"))
            .where(spec.table.c.team_id == team_id, column.in_(wanted[start : start + CHUNK]))
            .order_by(spec.table.c.id.desc())
        )
        for row in conn.execute(statement).mappings():
            record = {k: v for k, v in row.items() if k != "_key"}
            found[row["_key"]] = record  # descending ids: the oldest is written last and wins
    attach_deal_contacts(conn, kind, list(found.values()))
    return found
