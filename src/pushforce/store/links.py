"""Links: a Pushforce record (or one Salesforce write made for it) ↔ a Salesforce record.

One row per write, keyed by (team, external id) — ``pf-<team>-<kind>-<id>`` for the record
itself, ``…-p<contact>`` per person of an activity, and so on (``core.records.PlanContext``).
``pushed_values`` are the Salesforce values of the last successful push (R15); ``state`` is what
Salesforce last said about the record (R14: deleted, merged, converted).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from pushforce.core.records import Link
from pushforce.store.dialect import insert_ignoring_conflicts, is_sqlite
from pushforce.store.push_schema import links


def links_of(
    conn: Connection, team_id: int, refs: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], dict[str, Link]]:
    """Every link of each (kind, id), keyed by the write's external id."""
    wanted = set(refs)
    found: dict[tuple[str, int], dict[str, Link]] = {ref: {} for ref in wanted}
    for kind in {kind for kind, _ in wanted}:
        ids = [record_id for k, record_id in wanted if k == kind]
        query = sa.select(links).where(
            links.c.team_id == team_id, links.c.kind == kind, links.c.record_id.in_(ids)
        )
        for row in conn.execute(query):
            found[(row.kind, row.record_id)][row.external_id] = _link(row)
    return found


def _link(row: Any) -> Link:
    return Link(
        sobject=row.sobject,
        sf_id=row.sf_id,
        pushed_values=dict(row.pushed_values or {}),
        pushed_at=row.pushed_at,
        state=row.state,
        successor_id=row.successor_id,
        converted_account_id=row.converted_account_id,
    )


def save_link(
    conn: Connection,
    team_id: int,
    record: tuple[str, int],
    external_id: str,
    target: tuple[str, str],
    pushed: Mapping[str, object],
    now: datetime,
) -> None:
    """Record a successful write: the link now points at ``target`` (object, Id) and remembers
    the values sent, merged over what was pushed before (an update sends only changes, R15)."""
    current = _row(conn, team_id, external_id)
    merged = {**(current.pushed_values if current is not None else {}), **pushed}
    if current is not None and current.sf_id != target[1]:
        merged = dict(pushed)  # a different Salesforce record: its old values say nothing
    _upsert(conn, team_id, external_id, _active_link(record, target, merged, now))


def _active_link(
    record: tuple[str, int], target: tuple[str, str], pushed: Mapping[str, object], now: datetime
) -> dict[str, Any]:
    """The columns of a link that points at ``target`` after a successful push."""
    return {
        "kind": record[0],
        "record_id": record[1],
        "sobject": target[0],
        "sf_id": target[1],
        "pushed_values": dict(pushed),
        "pushed_at": now,
        "state": "active",
        "successor_id": None,
        "converted_account_id": None,
        "updated_at": now,
    }


LinkSave = tuple[tuple[str, int], str, tuple[str, str], Mapping[str, object]]
"""(record (kind, id), external id, target (object, Id), values pushed): one ``save_link``."""
KEYS_PER_QUERY = 500


def save_links(conn: Connection, team_id: int, saves: Sequence[LinkSave], now: datetime) -> None:
    """``save_link`` for many writes: links already stored one by one (their pushed values
    merge), new ones in one statement — a batch of 2,000 activities makes 2,000 new links."""
    existing = _existing_keys(conn, team_id, [save[1] for save in saves])
    fresh: dict[str, dict[str, Any]] = {}
    for record, external_id, target, pushed in saves:
        if external_id in existing:
            save_link(conn, team_id, record, external_id, target, pushed, now)
        else:
            keys = {"team_id": team_id, "external_id": external_id}
            fresh[external_id] = {**keys, **_active_link(record, target, pushed, now)}
    if fresh:
        conn.execute(_insert_or_replace(conn), list(fresh.values()))


def _insert_or_replace(conn: Connection) -> Any:
    """INSERT of new links; a row a concurrent writer inserted meanwhile takes our values."""
    insert = (sqlite.insert if is_sqlite(conn) else postgresql.insert)(links)
    columns = [c.name for c in links.c if c.name not in ("id", "team_id", "external_id")]
    return insert.on_conflict_do_update(
        index_elements=["team_id", "external_id"],
        set_={name: insert.excluded[name] for name in columns},
    )


def _existing_keys(conn: Connection, team_id: int, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        query = sa.select(links.c.external_id).where(
            links.c.team_id == team_id, links.c.external_id.in_(chunk)
        )
        found.update(conn.execute(query).scalars())
    return found


def _upsert(conn: Connection, team_id: int, external_id: str, values: dict[str, Any]) -> None:
    where = sa.and_(links.c.team_id == team_id, links.c.external_id == external_id)
    if conn.execute(sa.update(links).where(where).values(values)).rowcount == 1:
        return
    row = {"team_id": team_id, "external_id": external_id, **values}
    if conn.execute(insert_ignoring_conflicts(conn, links).values(row)).rowcount != 1:
        conn.execute(sa.update(links).where(where).values(values))


def _row(conn: Connection, team_id: int, external_id: str) -> Any:
    query = sa.select(links).where(links.c.team_id == team_id, links.c.external_id == external_id)
    return conn.execute(query).first()


def move_link(
    conn: Connection,
    team_id: int,
    external_id: str,
    state: str,
    successor_id: str,
    account_id: str | None,
    now: datetime,
) -> None:
    """R14: the record was merged (``successor_id`` is the master) or converted (a Lead whose
    Contact is ``successor_id`` and Account ``account_id``)."""
    values = {
        "state": state,
        "successor_id": successor_id,
        "converted_account_id": account_id,
        "updated_at": now,
    }
    where = sa.and_(links.c.team_id == team_id, links.c.external_id == external_id)
    conn.execute(sa.update(links).where(where).values(values))


def mark_deleted(conn: Connection, team_id: int, external_id: str, now: datetime) -> None:
    """R14: deleted in Salesforce — the link stays as a tombstone so nothing re-creates it
    automatically; a manual push does."""
    where = sa.and_(links.c.team_id == team_id, links.c.external_id == external_id)
    conn.execute(sa.update(links).where(where).values(state="deleted", updated_at=now))


def all_links(conn: Connection, team_id: int) -> list[dict[str, Any]]:
    """Every link of a team (reconciliation, tests)."""
    query = sa.select(links).where(links.c.team_id == team_id).order_by(links.c.id)
    return [dict(row._mapping) for row in conn.execute(query)]
