"""The store-backed chunk writer: one write transaction per chunk, one per row on failure.

A chunk is written in a single transaction (look-ups, account creation, contact inserts and
updates). If that transaction fails — a row the store refuses, a conflict with a concurrent
writer — it is rolled back whole and every row of the chunk is retried in a transaction of its
own, so the good rows land, the bad one is reported with the store's reason, and no row is ever
half-written (a contact and the company it creates commit together or not at all).
"""

from __future__ import annotations

import logging

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from pushforce.importing.bulk import StageNames
from pushforce.importing.headers import Kind
from pushforce.importing.report import ChunkOutcome, ImportReport
from pushforce.importing.rows import PreparedRow
from pushforce.importing.upserts import upsert_accounts, upsert_contacts
from pushforce.store.db import write_transaction
from pushforce.store.errors import StoreError

log = logging.getLogger(__name__)

_STAGE_OBJECT = {"contacts": "contact", "accounts": "account"}


def write_chunk(
    conn: Connection, team_id: int, kind: Kind, rows: list[PreparedRow]
) -> ChunkOutcome:
    """Match and write valid rows inside ``conn``'s transaction."""
    stages = StageNames(conn, team_id, _STAGE_OBJECT[kind])
    if kind == "contacts":
        return upsert_contacts(conn, team_id, rows, stages)
    return upsert_accounts(conn, team_id, rows, stages)


def _failure_reason(exc: Exception) -> tuple[str | None, str]:
    if isinstance(exc, StoreError):
        return _unindexed(exc.field), exc.message
    detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    return None, f"the row could not be written: {detail}"


def _unindexed(field: str) -> str:
    """``insert_records`` names a field by its record's index (``0.account_id``); a row retried
    alone is reported by the field's own column."""
    index, _, name = field.partition(".")
    return name if index.isdigit() and name else field


class StoreWriter:
    """Writes chunks of valid rows for one team."""

    def __init__(self, engine: Engine, team_id: int) -> None:
        self.engine = engine
        self.team_id = team_id

    def write(self, kind: Kind, rows: list[PreparedRow], report: ImportReport) -> None:
        try:
            outcome = self._in_transaction(kind, rows)
        except Exception:
            # Whatever refused the chunk (the store, the database, a write-hook listener), the
            # transaction is rolled back; retrying row by row finds and reports the culprit.
            outcome = self._row_by_row(kind, rows)
        outcome.add_to(report)

    def _in_transaction(self, kind: Kind, rows: list[PreparedRow]) -> ChunkOutcome:
        with write_transaction(self.engine) as conn:
            return write_chunk(conn, self.team_id, kind, rows)

    def _row_by_row(self, kind: Kind, rows: list[PreparedRow]) -> ChunkOutcome:
        total = ChunkOutcome()
        for row in rows:
            try:
                total.merge(self._in_transaction(kind, [row]))
            except Exception as exc:
                if not isinstance(exc, StoreError | SQLAlchemyError):
                    log.warning("import row %s refused", row.number, exc_info=True)
                field, reason = _failure_reason(exc)
                total.reject(row.number, field and row.column(field), reason)
        return total
