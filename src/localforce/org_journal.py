"""Per-request write counting, undo journals for all-or-none work, and the 300 error.

`WRITES` holds a one-element list the HTTP layer sets per request; every org write adds to it.
A `Transaction` records the previous version of every record written while it is the current
one (a context variable), so `rollback` restores exactly what the unit of work touched.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from localforce.errors import OrgError, SalesforceError

if TYPE_CHECKING:
    from localforce.org import Org

Record = dict[str, Any]
WRITES: ContextVar[list[int] | None] = ContextVar("localforce_writes", default=None)


class Transaction:
    """Undo journal of one unit of work; `rollback` restores every record it touched."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self.journal: list[tuple[str, Record | None]] = []

    def rollback(self) -> None:
        with self.org.lock:
            for record_id, previous in reversed(self.journal):
                self.org._restore(record_id, previous)
            self.journal.clear()


_TRANSACTION: ContextVar[Transaction | None] = ContextVar("localforce_transaction", default=None)


def duplicate_external_id() -> SalesforceError:
    return SalesforceError(
        "DUPLICATE_EXTERNAL_ID",
        "A user-specified external ID matches more than one record during an upsert.",
        (),
    )


class MultipleMatches(OrgError):
    """Several records match an upsert's external id (REST answers 300)."""

    def __init__(self, sobject: str, record_ids: list[str]) -> None:
        super().__init__(300, [duplicate_external_id()])
        self.sobject = sobject
        self.record_ids = record_ids
