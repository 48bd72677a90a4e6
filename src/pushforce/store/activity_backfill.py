"""R13 backfill reads: the activities of some people that were skipped because nobody of theirs
was in Salesforce (the sync log says so), for the engine to push once one of them is linked."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pushforce.store.kinds import spec_for
from pushforce.store.push_schema import sync_log
from pushforce.store.records import record_select

PERSON_SKIP_PREFIX = "person_not_in_salesforce"
BY_CONTACT_ID = ("note", "task", "call")
CHUNK = 200  # people per query
CHUNK = 500
ADDRESS_COLUMNS = {"email": ("to_addresses", "cc_addresses"), "meeting": ("participants",)}


def skipped_activities_of(
    conn: Connection,
    team_id: int,
    contact_ids: Iterable[int],
    addresses: Iterable[str],
    since: datetime,
) -> list[tuple[str, dict[str, Any]]]:
    """(kind, record) of every activity logged as skipped for "person not in Salesforce" since
    ``since`` that names one of the contacts (by id) or addresses."""
    ids, emails = sorted(set(contact_ids)), sorted({a.lower() for a in addresses if a})
    found: list[tuple[str, dict[str, Any]]] = []
    for kind in (*BY_CONTACT_ID, *ADDRESS_COLUMNS):
        seen: set[int] = set()
        # In chunks: SQLite refuses an expression tree deeper than 1,000 (big push-all batches).
        for start in range(0, max(len(ids), len(emails)), CHUNK):
            involved = _involving(kind, ids[start : start + CHUNK], emails[start : start + CHUNK])
            if involved is None:
                continue
            table = spec_for(kind).table
            query = record_select(spec_for(kind)).where(
                table.c.team_id == team_id,
                table.c.id.in_(_skipped_ids(team_id, kind, since)),
                involved,
            )
            for row in conn.execute(query).mappings():
                if row["id"] not in seen:
                    seen.add(row["id"])
                    found.append((kind, dict(row)))
    return found


def any_skipped_for_person(conn: Connection, team_id: int, since: datetime) -> bool:
    """Whether anything was skipped for "person not in Salesforce" since ``since`` (one indexed
    look-up, so a push-all that links many people costs nothing more when nothing waits)."""
    found = conn.execute(sa.select(_skip_rows(team_id, since).exists())).scalar()
    return bool(found)


def contact_emails(conn: Connection, team_id: int, contact_ids: Iterable[int]) -> dict[int, str]:
    """The (lower-cased) email of each contact that has one."""
    table = spec_for("contact").table
    ids = sorted(set(contact_ids))
    found: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        query = sa.select(table.c.id, table.c.email).where(
            table.c.team_id == team_id, table.c.id.in_(ids[start : start + CHUNK])
        )
        found |= {row.id: row.email.lower() for row in conn.execute(query) if row.email}
    return found


def _skip_rows(team_id: int, since: datetime) -> sa.Select[Any]:
    c = sync_log.c
    return sa.select(c.record_id).where(
        c.team_id == team_id,
        c.outcome == "skipped",
        c.at >= since,
        c.reason.like(f"{PERSON_SKIP_PREFIX}%"),
    )


def _skipped_ids(team_id: int, kind: str, since: datetime) -> sa.Select[Any]:
    return _skip_rows(team_id, since).where(sync_log.c.kind == kind)


def _involving(kind: str, contact_ids: list[int], addresses: list[str]) -> Any:
    table = spec_for(kind).table
    if kind in BY_CONTACT_ID:
        return table.c.contact_id.in_(contact_ids) if contact_ids else None
    if not addresses:
        return None
    columns = [table.c[name] for name in ADDRESS_COLUMNS[kind]]
    conditions = [
        sa.func.lower(sa.cast(column, sa.Text)).like(f'%"{_escaped(address)}"%', escape="\\")
        for column in columns
        for address in addresses
    ]
    if kind == "email":
        conditions.append(sa.func.lower(table.c.from_address).in_(addresses))
    return sa.or_(*conditions)


def _escaped(address: str) -> str:
    return address.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
