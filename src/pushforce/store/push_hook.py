"""Every record write enqueues its push in the same transaction (R17, DESIGN.md §1).

``install(engine)`` registers the outbox on the store's write hook (``store.hooks``), which
``store.records`` — the one write path of the API, the CSV import, the CLI and the Python API —
calls for every insert, update and delete. ``make_engine`` installs it, so no engine of the
store writes a record without its job. Jobs carry their parent (a contact's account, an
activity's contact or deal) so the drain pushes children after parents.

Wake-ups: teams that got work in a transaction are announced to ``add_wake_listener``
callbacks once it has committed — when the connection goes back to the pool, because
SQLAlchemy's ``commit`` event fires before the database commits and a drainer woken then
could miss the job (the embedded runner drains them at once; the sweep catches any wake-up
that is lost).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from pushforce.store import outbox
from pushforce.store.hooks import RecordChange, add_write_listener
from pushforce.store.kinds import spec_for
from pushforce.store.records import utcnow

# The record fields naming the parent a job waits for, in order of preference.
PARENT_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "contact": (("account_id", "account"),),
    "deal": (("account_id", "account"),),
    "note": (("contact_id", "contact"), ("deal_id", "deal"), ("account_id", "account")),
    "task": (("contact_id", "contact"), ("account_id", "account")),
    "call": (("contact_id", "contact"),),
    "conversation": (("deal_id", "deal"),),
}
WAKE_KEY = "pushforce_wake_teams"  # enqueued in the open transaction
COMMITTED_KEY = "pushforce_wake_committed"  # committed, announced at check-in

WakeListener = Callable[[set[int]], None]
_wake_listeners: WeakKeyDictionary[Engine, list[WakeListener]] = WeakKeyDictionary()
_installed: WeakKeyDictionary[Engine, bool] = WeakKeyDictionary()


def install(engine: Engine) -> None:
    """Enqueue a push for every record write made through ``engine`` (idempotent)."""
    if _installed.get(engine):
        return
    _installed[engine] = True
    add_write_listener(engine, OUTBOX_LISTENER)
    sa.event.listen(engine, "commit", _committed)
    sa.event.listen(engine, "rollback", _forget)

    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        teams = record.info.pop(COMMITTED_KEY, None) if record is not None else None
        if teams:
            wake_teams(engine, teams)

    sa.event.listen(engine.pool, "checkin", checked_in)


def enqueue_for_change(conn: Connection, change: RecordChange) -> None:
    """The write listener: the record's job, coalesced with a pending one (R17)."""
    if change.operation == "delete":
        outbox.drop_pending(conn, change.team_id, change.kind, change.record_id)
        return
    row = _record_row(conn, change)
    if row is None:
        return
    trigger = _trigger(change, row)
    parent = _parent(change.kind, row)
    now = utcnow()
    outbox.enqueue(
        conn, change.team_id, change.kind, change.record_id, trigger=trigger, now=now, parent=parent
    )
    note_wake(conn, change.team_id)


def enqueue_for_changes(conn: Connection, changes: Sequence[RecordChange]) -> None:
    """The bulk listener (``insert_records``): one read of the records and one insert of
    their jobs per kind, instead of four statements per record."""
    inserts: dict[tuple[int, str], list[int]] = {}
    for change in changes:
        if change.operation == "insert":
            inserts.setdefault((change.team_id, change.kind), []).append(change.record_id)
        else:
            enqueue_for_change(conn, change)
    now = utcnow()
    for (team_id, kind), ids in inserts.items():
        rows = _record_rows(conn, kind, ids)
        items = [
            (record_id, _insert_trigger(rows[record_id]), _parent(kind, rows[record_id]))
            for record_id in ids
            if record_id in rows
        ]
        outbox.enqueue_new(conn, team_id, kind, items, now)
        note_wake(conn, team_id)


class _OutboxListener:
    """The write listener, with its bulk form for ``hooks.records_written``."""

    def __call__(self, conn: Connection, change: RecordChange) -> None:
        enqueue_for_change(conn, change)

    def many(self, conn: Connection, changes: Sequence[RecordChange]) -> None:
        enqueue_for_changes(conn, changes)


OUTBOX_LISTENER = _OutboxListener()


def _record_rows(conn: Connection, kind: str, ids: list[int]) -> dict[int, Any]:
    """The columns a job is made of (origin, parent references), not whole records."""
    table = spec_for(kind).table
    wanted = ("id", "origin", *(field for field, _ in PARENT_FIELDS.get(kind, ())))
    columns = [table.c[name] for name in wanted if name in table.c]
    found: dict[int, Any] = {}
    for start in range(0, len(ids), outbox.CHUNK):
        query = sa.select(*columns).where(table.c.id.in_(ids[start : start + outbox.CHUNK]))
        found.update({row.id: row for row in conn.execute(query)})
    return found


def _record_row(conn: Connection, change: RecordChange) -> Any:
    table = spec_for(change.kind).table
    query = sa.select(table).where(table.c.id == change.record_id)
    return conn.execute(query).first()


def _trigger(change: RecordChange, row: Any) -> str:
    return "updated" if change.operation == "update" else _insert_trigger(row)


def _insert_trigger(row: Any) -> str:
    origin = getattr(row, "origin", None)
    return origin if origin in ("imported", "api") else "created"


def _parent(kind: str, row: Any) -> tuple[str, int] | None:
    for field, parent_kind in PARENT_FIELDS.get(kind, ()):
        value = getattr(row, field, None)
        if value is not None:
            return parent_kind, int(value)
    return None


# ---- wake-ups after commit ------------------------------------------------------------------


def add_wake_listener(engine: Engine, listener: WakeListener) -> Callable[[], None]:
    """Call ``listener(team_ids)`` when a transaction that enqueued work for them commits."""
    listeners = _wake_listeners.setdefault(engine, [])
    listeners.append(listener)
    return lambda: listeners.remove(listener)


def note_wake(conn: Connection, team_id: int) -> None:
    conn.info.setdefault(WAKE_KEY, set()).add(team_id)


def _committed(conn: Connection) -> None:
    teams: set[int] = conn.info.pop(WAKE_KEY, set())
    if teams:
        conn.info.setdefault(COMMITTED_KEY, set()).update(teams)


def _forget(conn: Connection) -> None:
    if not conn.invalidated:
        conn.info.pop(WAKE_KEY, None)


def wake_teams(engine: Engine, teams: Iterable[int]) -> None:
    """Announce work directly (manual retries, the sweep)."""
    wanted = set(teams)
    if wanted:
        for listener in list(_wake_listeners.get(engine, ())):
            listener(set(wanted))
