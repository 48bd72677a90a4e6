"""The Python API: record writes inside the caller's own database transaction.

A platform engineer running Pushforce beside their product writes records here, in the same
transaction as their own rows; the push job of each write is enqueued in that transaction too
(the store's write hook), so a rollback leaves neither the record nor its push behind::

    engine = pushforce.make_engine(url)
    with pushforce.write_transaction(engine) as conn:
        contact = pushforce.create_record(conn, team_id, "contact", {"last_name": "Lovelace"})

Input is validated by the same models as the REST API and the CSV import; bad input raises
``pydantic.ValidationError`` (field paths in ``errors()``) or ``InvalidRecordInput`` and
writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Connection

from pushforce.inputs import KIND_MODELS, check_update
from pushforce.store import records


def create_record(
    conn: Connection, team_id: int, kind: str, values: Mapping[str, Any]
) -> dict[str, Any]:
    """Validate and insert one record; its push is enqueued in ``conn``'s transaction."""
    model = KIND_MODELS[kind][0].model_validate(dict(values))
    return records.insert_record(conn, team_id, kind, model.model_dump())


def update_record(
    conn: Connection, team_id: int, kind: str, record_id: int, changes: Mapping[str, Any]
) -> dict[str, Any] | None:
    """Validate and apply ``changes``; ``None`` when the team has no such record."""
    patch = KIND_MODELS[kind][1].model_validate(dict(changes)).model_dump(exclude_unset=True)
    current = records.get_record(conn, team_id, kind, record_id)
    if current is None:
        return None
    check_update(kind, current, patch)
    return records.update_record(conn, team_id, kind, record_id, patch)


def delete_record(conn: Connection, team_id: int, kind: str, record_id: int) -> bool:
    """Delete in Pushforce only: Salesforce is never touched by a delete (R14)."""
    return records.delete_record(conn, team_id, kind, record_id)


def get_record(conn: Connection, team_id: int, kind: str, record_id: int) -> dict[str, Any] | None:
    return records.get_record(conn, team_id, kind, record_id)
