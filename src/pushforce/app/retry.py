"""Retry on request (R18, PRODUCT.md §6): one record, one error class, or every failed push.

Failed and held jobs go back to pending, due now, with their attempts reset; the team is woken
so the embedded runner drains them at once (a worker's sweep finds them otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pushforce.store import write_transaction
from pushforce.store.push_status import RetrySelection, retry_stopped

RETRYABLE_KINDS = frozenset(
    {"account", "contact", "deal", "email", "note", "task", "call", "meeting", "conversation"}
)


class RetryError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class RetryRequest:
    """Exactly one of: a record (``kind`` + ``record_id``), an error class, or ``all``."""

    kind: str | None = None
    record_id: int | None = None
    error_class: str | None = None
    all: bool = False

    def selection(self) -> RetrySelection:
        chosen = [self.record_id is not None, self.error_class is not None, self.all]
        if sum(chosen) != 1:
            raise RetryError("record", "name one of: a record, an error class, or all")
        if self.record_id is not None and self.kind not in RETRYABLE_KINDS:
            raise RetryError("record", f"unknown record kind {self.kind!r}")
        if self.all:
            return RetrySelection()
        return RetrySelection(self.kind, self.record_id, self.error_class)


def parse_record(text: str) -> tuple[str, int]:
    """``contact:42`` → ("contact", 42)."""
    kind, _, number = text.partition(":")
    if kind not in RETRYABLE_KINDS or not number.isdigit():
        raise RetryError("record", f"a record is KIND:ID, e.g. contact:42 — not {text!r}")
    return kind, int(number)


def retry_failed(
    engine: Any,
    team_id: int,
    request: RetryRequest,
    now: datetime,
    wake: Callable[[int], None] | None = None,
) -> int:
    """How many records will be pushed again."""
    selection = request.selection()
    with write_transaction(engine) as conn:
        count = retry_stopped(conn, team_id, selection, now)
    if count and wake is not None:
        wake(team_id)
    return count
