"""The write hook: every record insert, update and delete calls ``record_written``.

``store.records`` calls ``record_written(conn, change)`` inside the writer's transaction after
each write, so a listener (the push engine's outbox) can enqueue work atomically with the
record. Listeners are registered per engine with ``add_write_listener``; a listener that raises
aborts the whole transaction, record write included.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal
from weakref import WeakKeyDictionary

from sqlalchemy.engine import Connection, Engine

Operation = Literal["insert", "update", "delete"]


@dataclass(frozen=True)
class RecordChange:
    team_id: int
    kind: str
    record_id: int
    operation: Operation
    fields: frozenset[str]  # the record fields written (all of them on insert; none on delete)


WriteListener = Callable[[Connection, RecordChange], None]

_listeners: WeakKeyDictionary[Engine, list[WriteListener]] = WeakKeyDictionary()


def add_write_listener(engine: Engine, listener: WriteListener) -> Callable[[], None]:
    """Call ``listener`` after every record write made through ``engine``; returns a remover."""
    listeners = _listeners.setdefault(engine, [])
    listeners.append(listener)
    return lambda: listeners.remove(listener)


def record_written(conn: Connection, change: RecordChange) -> None:
    """THE hook: called by ``store.records`` for every insert, update and delete of a record."""
    for listener in list(_listeners.get(conn.engine, ())):
        listener(conn, change)


def records_written(conn: Connection, changes: Sequence[RecordChange]) -> None:
    """The hook for a bulk write: a listener with a ``many(conn, changes)`` attribute gets them
    at once (the outbox enqueues a whole import chunk in a few statements); others one by one."""
    for listener in list(_listeners.get(conn.engine, ())):
        many = getattr(listener, "many", None)
        if many is not None:
            many(conn, changes)
        else:
            for change in changes:
                listener(conn, change)
