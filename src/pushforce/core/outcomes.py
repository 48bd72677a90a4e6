"""Salesforce status + error code → an :class:`Outcome` the engine can act on (R14, R16, R18).

One function, :func:`classify`, turns what the gateway saw — an HTTP status (or ``None`` for
a timeout), an ``errorCode``/``statusCode`` and its message — into one of the
:class:`OutcomeKind` values, with a fix hint for every permanent code. The gateway refines two
kinds with a follow-up query it alone can make: a deleted record whose ``MasterRecordId`` is set
was merged (:func:`merged`), and a converted Lead carries ``ConvertedContactId``
(:func:`converted`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from pushforce.core.error_catalog import (
    AMBIGUOUS_HINT,
    AUTH_CODES,
    AUTH_HINT,
    CONVERTED_HINT,
    DELETED_HINT,
    GENERIC_PERMANENT_HINT,
    LIMIT_HINT,
    MERGED_HINT,
    PERMANENT_HINTS,
    TRANSIENT_CODES,
    TRANSIENT_HINT,
    OutcomeKind,
)

__all__ = [
    "Operation",
    "Outcome",
    "OutcomeKind",
    "Success",
    "Successor",
    "classify",
    "classify_timeout",
    "converted",
    "merged",
]


class Operation(StrEnum):
    """What the failed call was doing; it decides whether a 5xx/timeout is ambiguous."""

    CREATE = "create"
    UPSERT = "upsert"
    UPDATE = "update"  # by Salesforce Id, of a linked record
    DELETE = "delete"
    QUERY = "query"
    READ = "read"

    @property
    def writes(self) -> bool:
        return self in (Operation.CREATE, Operation.UPSERT, Operation.UPDATE, Operation.DELETE)


@dataclass(frozen=True, slots=True)
class Successor:
    """Where a merged or converted record lives now."""

    sobject: str
    sf_id: str
    account_id: str | None = None


@dataclass(frozen=True, slots=True)
class Success:
    """A write Salesforce accepted."""

    sobject: str
    sf_id: str
    created: bool


@dataclass(frozen=True, slots=True)
class Outcome:
    """A classified failure. ``hint`` is set for every kind; ``code`` is Salesforce's own."""

    kind: OutcomeKind
    code: str
    message: str = ""
    hint: str = ""
    fields: tuple[str, ...] = ()
    retry_after_seconds: float | None = None
    existing_id: str | None = None  # the record a DUPLICATE_VALUE collided with
    successor: Successor | None = None


_DUPLICATE_ID = re.compile(r"record with id:\s*([A-Za-z0-9]{15,18})")
_INNER_CODE = re.compile(r"first error:\s*([A-Z_]+)")
_CONCURRENT_LIMIT = "ConcurrentPerOrgLongTxn"
_ROLLED_BACK = frozenset(
    {"UNABLE_TO_LOCK_ROW", "PROCESSING_HALTED", "ALL_OR_NONE_OPERATION_ROLLED_BACK"}
)
_STATUS_CODES = {300: "DUPLICATE_EXTERNAL_ID_MULTIPLE_CHOICES", 405: "METHOD_NOT_ALLOWED"}
_STATUS_CODES |= {410: "API_VERSION_RETIRED", 414: "URI_TOO_LONG", 431: "URI_TOO_LONG"}


def classify(
    status: int | None,
    code: str | None,
    message: str = "",
    *,
    fields: Sequence[str] = (),
    operation: Operation = Operation.READ,
    retry_after_seconds: float | None = None,
) -> Outcome:
    """Classify one Salesforce error.

    ``status`` is the HTTP status of the response (200 for a per-record error inside a
    collections result), or ``None`` when the call timed out. ``code`` is the ``errorCode`` or
    ``statusCode``; ``None`` when the body was not JSON (Salesforce Edge answers 502/503 in HTML).
    """
    base = Outcome(
        kind=OutcomeKind.PERMANENT,
        code=code or _code_from_status(status),
        message=message,
        fields=tuple(fields),
        retry_after_seconds=retry_after_seconds,
    )
    return _classify(status, base, operation)


def classify_timeout(operation: Operation) -> Outcome:
    """A call that got no answer: ambiguous for writes (R16), transient for reads."""
    return classify(None, "TIMEOUT", "Salesforce did not answer in time", operation=operation)


def merged(deleted: Outcome, master: Successor) -> Outcome:
    """Refine a deleted outcome once the gateway found the record's ``MasterRecordId``."""
    return _with(deleted, OutcomeKind.MERGED, MERGED_HINT, successor=master)


def converted(outcome: Outcome, contact: Successor) -> Outcome:
    """Attach the Contact (and Account) a converted Lead became."""
    return _with(outcome, OutcomeKind.CONVERTED, CONVERTED_HINT, successor=contact)


def _classify(status: int | None, base: Outcome, operation: Operation) -> Outcome:
    code = base.code
    if status == 401 or code in AUTH_CODES:
        return _with(base, OutcomeKind.AUTH, AUTH_CODES.get(code, AUTH_HINT))
    if code == "REQUEST_LIMIT_EXCEEDED":
        return _limit(base)
    if status is None or status >= 500 or code in TRANSIENT_CODES:
        return _unavailable(status, base, operation)
    if code == "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY":
        return _automation_failure(base)
    return _record_level(status, base, operation)


def _record_level(status: int | None, base: Outcome, operation: Operation) -> Outcome:
    code = base.code
    if code == "ENTITY_IS_DELETED" or _missing_on_write(status, code, operation):
        return _with(base, OutcomeKind.DELETED, DELETED_HINT)
    if code == "CANNOT_UPDATE_CONVERTED_LEAD":
        return _with(base, OutcomeKind.CONVERTED, CONVERTED_HINT)
    if status == 429:
        return _with(base, OutcomeKind.TRANSIENT, TRANSIENT_HINT)
    return _permanent(base)


def _missing_on_write(status: int | None, code: str, operation: Operation) -> bool:
    """PATCH/DELETE of an Id that no longer exists answers 404 (reference §8)."""
    by_id = operation in (Operation.UPDATE, Operation.DELETE)
    return by_id and status == 404 and code in ("INVALID_CROSS_REFERENCE_KEY", "NOT_FOUND")


def _limit(base: Outcome) -> Outcome:
    if _CONCURRENT_LIMIT in base.message:
        return _with(base, OutcomeKind.TRANSIENT, TRANSIENT_HINT)
    return _with(base, OutcomeKind.LIMIT_EXCEEDED, LIMIT_HINT)


def _unavailable(status: int | None, base: Outcome, operation: Operation) -> Outcome:
    """Only a whole-call failure can leave a write half-known; per-record errors are definite,
    and so are the codes that say Salesforce rolled the write back."""
    whole_call_failed = status is None or status >= 500
    if whole_call_failed and operation.writes and base.code not in _ROLLED_BACK:
        return _with(base, OutcomeKind.AMBIGUOUS, AMBIGUOUS_HINT)
    return _with(base, OutcomeKind.TRANSIENT, TRANSIENT_HINT)


def _automation_failure(base: Outcome) -> Outcome:
    """A trigger failure wraps an inner code; lock contention inside a trigger is transient."""
    inner = _INNER_CODE.search(base.message)
    if inner and inner.group(1) in TRANSIENT_CODES:
        return _with(base, OutcomeKind.TRANSIENT, TRANSIENT_HINT)
    return _permanent(base)


def _permanent(base: Outcome) -> Outcome:
    template = PERMANENT_HINTS.get(base.code, GENERIC_PERMANENT_HINT)
    fields = ", ".join(base.fields) if base.fields else "(named in the message)"
    hint = template.format(fields=fields, message=base.message.strip(), code=base.code)
    return _with(base, OutcomeKind.PERMANENT, hint, existing_id=_duplicate_of(base))


def _duplicate_of(base: Outcome) -> str | None:
    if base.code != "DUPLICATE_VALUE":
        return None
    found = _DUPLICATE_ID.search(base.message)
    return found.group(1) if found else None


def _code_from_status(status: int | None) -> str:
    if status is None:
        return "TIMEOUT"
    return _STATUS_CODES.get(status, f"HTTP_{status}")


def _with(
    base: Outcome,
    kind: OutcomeKind,
    hint: str,
    *,
    existing_id: str | None = None,
    successor: Successor | None = None,
) -> Outcome:
    return Outcome(
        kind=kind,
        code=base.code,
        message=base.message,
        hint=hint,
        fields=base.fields,
        retry_after_seconds=base.retry_after_seconds,
        existing_id=existing_id or base.existing_id,
        successor=successor or base.successor,
    )
