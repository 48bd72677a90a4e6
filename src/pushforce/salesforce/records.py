"""Writes → sObject Collections request bodies and Bulk API 2.0 CSV rows; results → outcomes.

Payloads arrive resolved (no ``SalesforceIdOf`` left). An ``Update`` sends its ``overwrite``
and ``fill_if_empty`` values together: the engine has already dropped the fill-if-empty
fields Salesforce holds a value for (R15).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pushforce.core.batching import WriteOp
from pushforce.core.decisions import SalesforceIdOf, Update, Write
from pushforce.core.outcomes import Operation, Outcome, Success
from pushforce.salesforce.errors import record_error_outcome
from pushforce.salesforce.objects import PUSHFORCE_ID_FIELD

__all__ = ["collection_record", "operation_of", "payload_of", "result_outcome", "same_id"]

OPERATIONS = {WriteOp.CREATE: Operation.CREATE, WriteOp.UPSERT: Operation.UPSERT}
OPERATIONS |= {WriteOp.UPDATE: Operation.UPDATE}


def operation_of(op: WriteOp) -> Operation:
    return OPERATIONS[op]


def payload_of(write: Write) -> dict[str, Any]:
    values: Mapping[str, object]
    if isinstance(write, Update):
        values = {**write.writes.fill_if_empty, **write.writes.overwrite}
    else:
        values = write.payload
    for name, value in values.items():
        if isinstance(value, SalesforceIdOf):
            raise ValueError(f"payload.{name}: unresolved SalesforceIdOf({value.key!r})")
    return dict(values)


def collection_record(sobject: str, op: WriteOp, write: Write) -> dict[str, Any]:
    record: dict[str, Any] = {"attributes": {"type": sobject}, **payload_of(write)}
    if op is WriteOp.UPDATE:
        record["id"] = write.sf_id if isinstance(write, Update) else None
    elif op is WriteOp.UPSERT:
        record[PUSHFORCE_ID_FIELD] = write.external_id
    return record


def result_outcome(sobject: str, op: WriteOp, result: Mapping[str, Any]) -> Success | Outcome:
    if result.get("success"):
        created = op is WriteOp.CREATE or (op is WriteOp.UPSERT and bool(result.get("created")))
        return Success(sobject, str(result["id"]), created)
    return record_error_outcome(result.get("errors") or [], operation_of(op))


def same_id(left: str, right: str) -> bool:
    """15- and 18-character Ids of one record compare equal (the first 15 are case-exact)."""
    return bool(left) and bool(right) and left[:15] == right[:15]
