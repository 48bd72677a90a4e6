"""``SalesforceGateway`` — the ``Salesforce`` port of ``pushforce.app.ports`` on simple-salesforce.

* ``run_collection``: sObject Collections create / upsert on ``Pushforce_Id__c`` (when the
  describe cache says the org has it, R16; otherwise create) / update by Id. One result per
  write, in order; a whole-call failure is the same classified ``Outcome`` for every write —
  never an exception. Deleted and converted records are refined with a follow-up query
  (merged master, converted Contact, R14).
* ``run_bulk``: Bulk API 2.0 ingest (:mod:`pushforce.salesforce.bulk`).
* ``run_lookup`` / ``query``: SOQL with every page. These, ``describe`` and
  ``refresh_limits`` raise :class:`~pushforce.salesforce.errors.CallFailure` (``.outcome(op)``).
* ``api_usage``: the last ``Sforce-Limit-Info`` seen by any gateway of the org (R19).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from simple_salesforce.api import Salesforce

from pushforce.core.batching import BulkJob, CollectionCall, WriteOp
from pushforce.core.decisions import Update, Write
from pushforce.core.lookups import LookupQuery
from pushforce.core.outcomes import (
    Operation,
    Outcome,
    OutcomeKind,
    Success,
    Successor,
    converted,
    merged,
)
from pushforce.core.policy import ApiUsage, parse_limits
from pushforce.salesforce import bulk
from pushforce.salesforce.client import SalesforceClient
from pushforce.salesforce.errors import CallFailure, outcome_of
from pushforce.salesforce.objects import ObjectInfo, object_info
from pushforce.salesforce.orgs import OrgState
from pushforce.salesforce.records import collection_record, operation_of, result_outcome

__all__ = ["DUPLICATE_RULE_HEADER", "SalesforceGateway"]

Result = Success | Outcome
# Matching (R5, R6) already ran; without allowSave even Alert duplicate rules block API saves.
DUPLICATE_RULE_HEADER = {"Sforce-Duplicate-Rule-Header": "allowSave=true"}
MERGEABLE = frozenset({"Account", "Contact", "Lead"})


class SalesforceGateway:
    def __init__(
        self, client: SalesforceClient, org: OrgState, polling: bulk.Polling | None = None
    ) -> None:
        self.client = client
        self.org = org
        self.polling = polling or bulk.Polling()

    def __repr__(self) -> str:
        return f"SalesforceGateway(org={self.org.key!r})"

    # --- metadata ------------------------------------------------------------------------

    def describe(self, sobject: str) -> ObjectInfo:
        return self.org.described(sobject, lambda: self._describe(sobject))

    def _describe(self, sobject: str) -> ObjectInfo:
        body = self.client.call(lambda sf: sf.restful(f"sobjects/{sobject}/describe/"))
        return object_info(body or {"name": sobject})

    def write_operation(self, sobject: str, requested: WriteOp) -> WriteOp:
        """R16: creates are upserts on ``Pushforce_Id__c`` exactly when the org has it."""
        if requested is WriteOp.UPDATE:
            return WriteOp.UPDATE
        has_id = self.describe(sobject).has_pushforce_id
        return WriteOp.UPSERT if has_id else WriteOp.CREATE

    # --- writes --------------------------------------------------------------------------

    def run_collection(self, call: CollectionCall) -> list[Result]:
        if not call.writes:
            return []
        try:
            op = self.write_operation(call.sobject, call.operation)
        except CallFailure as failure:  # nothing was sent: never ambiguous
            return [outcome_of(failure, Operation.READ)] * len(call.writes)
        try:
            results = self.client.call(lambda sf: self._send(sf, call.sobject, op, call.writes))
        except CallFailure as failure:
            return [outcome_of(failure, operation_of(op))] * len(call.writes)
        outcomes = [result_outcome(call.sobject, op, result) for result in results]
        return self._refined(call.sobject, outcomes, call.writes)

    def _send(
        self, sf: Salesforce, sobject: str, op: WriteOp, writes: Sequence[Write]
    ) -> list[dict[str, Any]]:
        body = {
            "allOrNone": False,
            "records": [collection_record(sobject, op, write) for write in writes],
        }
        path, method = "composite/sobjects", "POST"
        if op is WriteOp.UPSERT:
            path, method = f"composite/sobjects/{sobject}/Pushforce_Id__c", "PATCH"
        elif op is WriteOp.UPDATE:
            method = "PATCH"
        results = sf.restful(path, method=method, json=body, headers=DUPLICATE_RULE_HEADER)
        if not isinstance(results, list) or len(results) != len(writes):
            raise CallFailure(
                502, None, "Salesforce answered a collections call with the wrong number of results"
            )
        return results

    def run_bulk(self, job: BulkJob) -> list[Result]:
        if not job.writes:
            return []
        try:
            op = self.write_operation(job.sobject, job.operation)
        except CallFailure as failure:
            return [outcome_of(failure, Operation.READ)] * len(job.writes)
        outcomes = bulk.run_ingest(self.client, job.sobject, op, job.writes, self.polling)
        return self._refined(job.sobject, outcomes, job.writes)

    # --- R14: where a deleted or converted record went --------------------------------------

    def _refined(
        self, sobject: str, results: list[Result], writes: Sequence[Write]
    ) -> list[Result]:
        deleted = _ids_of(results, writes, OutcomeKind.DELETED)
        if deleted and sobject in MERGEABLE:
            masters = self._column_by_id(sobject, deleted, "MasterRecordId")
            pairs = zip(results, writes, strict=True)
            results = [_merged(r, w, sobject, masters) for r, w in pairs]
        converted_ids = _ids_of(results, writes, OutcomeKind.CONVERTED)
        if converted_ids and sobject == "Lead":
            rows = self._rows_by_id("Lead", converted_ids, "ConvertedContactId, ConvertedAccountId")
            results = [_converted(r, w, rows) for r, w in zip(results, writes, strict=True)]
        return results

    def _column_by_id(self, sobject: str, ids: list[str], column: str) -> dict[str, str]:
        rows = self._rows_by_id(sobject, ids, column)
        return {key: str(row[column]) for key, row in rows.items() if row.get(column)}

    def _rows_by_id(self, sobject: str, ids: list[str], columns: str) -> dict[str, dict[str, Any]]:
        quoted = ", ".join(f"'{sf_id}'" for sf_id in ids if sf_id.isalnum())
        soql = f"SELECT Id, {columns} FROM {sobject} WHERE Id IN ({quoted})"
        try:
            rows = self.query(soql, include_deleted=True)
        except CallFailure:
            return {}  # keep the plain outcome; the next attempt asks again
        return {str(row["Id"])[:15]: row for row in rows}

    # --- reads ---------------------------------------------------------------------------

    def run_lookup(self, query: LookupQuery) -> list[dict[str, Any]]:
        return self.query(query.soql)

    def query(self, soql: str, *, include_deleted: bool = False) -> list[dict[str, Any]]:
        """Every row of ``soql`` (all pages), without the ``attributes`` entries."""
        rows = self.client.call(
            lambda sf: list(sf.query_all_iter(soql, include_deleted=include_deleted))
        )
        return [_plain(row) for row in rows]

    def count(self, sobject: str) -> int:
        """``SELECT COUNT() FROM sobject``: one call, no rows."""
        body = self.client.call(lambda sf: sf.query(f"SELECT COUNT() FROM {sobject}"))
        return int(body["totalSize"])

    def api_usage(self) -> ApiUsage | None:
        return self.org.usage

    def refresh_limits(self) -> ApiUsage:
        body = self.client.call(lambda sf: sf.restful("limits/"))
        usage = parse_limits(body or {}, datetime.now(UTC))
        if usage is None:
            raise CallFailure(502, None, "GET /limits has no DailyApiRequests")
        self.org.set_usage(usage)
        return usage


def _ids_of(results: list[Result], writes: Sequence[Write], kind: OutcomeKind) -> list[str]:
    return [
        write.sf_id
        for result, write in zip(results, writes, strict=True)
        if isinstance(result, Outcome) and result.kind is kind and isinstance(write, Update)
    ]


def _merged(result: Result, write: Write, sobject: str, masters: dict[str, str]) -> Result:
    if not isinstance(result, Outcome) or result.kind is not OutcomeKind.DELETED:
        return result
    master = masters.get(write.sf_id[:15]) if isinstance(write, Update) else None
    return merged(result, Successor(sobject, master)) if master else result


def _converted(result: Result, write: Write, rows: dict[str, dict[str, Any]]) -> Result:
    if not isinstance(result, Outcome) or result.kind is not OutcomeKind.CONVERTED:
        return result
    row = rows.get(write.sf_id[:15]) if isinstance(write, Update) else None
    contact = row.get("ConvertedContactId") if row else None
    if not contact or not row:
        return result
    account = row.get("ConvertedAccountId")
    return converted(result, Successor("Contact", str(contact), str(account) if account else None))


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (_plain(value) if isinstance(value, dict) else value)
        for key, value in row.items()
        if key != "attributes"
    }
