"""The write hook: every record insert, update and delete calls ``record_written``.

``store.records`` calls ``record_written(conn, change)`` inside the writer's transaction after
each write, so a listener (the push engine's outbox) can enqueue work atomically with the
record. Listeners are registered per engine with ``add_write_listener``; a listener that raises
aborts the whole transaction, record write included.
"""

from __future__ import annotations

from collections.abc import Callable
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
