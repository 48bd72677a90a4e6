"""Bulk API 2.0 ingest (reference §6): create the job, upload one CSV, close it, poll until it
ends, then reconcile every result row to its write.

Result files come back in no particular order, so rows are matched by a key column: ``Id``
for updates, ``Pushforce_Id__c`` for upserts, and for plain inserts (orgs without the field)
the row's own values. A write found in no result file — the job failed or was aborted before
its row — gets an outcome too: the job's error when it failed, else "not processed" (retried).
"""

from __future__ import annotations

import contextlib
import csv
import io
import time
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from simple_salesforce.api import Salesforce

from pushforce.core.batching import WriteOp
from pushforce.core.decisions import Update, Write
from pushforce.core.outcomes import Operation, Outcome, Success, classify, classify_timeout
from pushforce.salesforce.client import SalesforceClient
from pushforce.salesforce.errors import CallFailure, outcome_of
from pushforce.salesforce.objects import PUSHFORCE_ID_FIELD
from pushforce.salesforce.records import operation_of, payload_of

__all__ = ["Polling", "csv_rows", "parse_bulk_error", "run_ingest"]

Result = Success | Outcome
TERMINAL = frozenset({"JobComplete", "Failed", "Aborted"})
NULL = "#N/A"  # Bulk API 2.0's way to set a field to null


@dataclass(frozen=True)
class Polling:
    """How often to ask for the job's state: ``first`` seconds, growing to ``longest``."""

    first: float = 0.05
    growth: float = 1.5
    longest: float = 5.0
    deadline: float = 1800.0


@dataclass
class _Job:
    sobject: str
    op: WriteOp
    columns: list[str]
    rows: list[list[str]]
    job_id: str = ""

    @property
    def key_column(self) -> str | None:
        return {WriteOp.UPDATE: "Id", WriteOp.UPSERT: PUSHFORCE_ID_FIELD}.get(self.op)


def run_ingest(
    client: SalesforceClient, sobject: str, op: WriteOp, writes: Sequence[Write], polling: Polling
) -> list[Result]:
    columns, rows = csv_rows(op, writes)
    job = _Job(sobject, op, columns, rows)
    try:
        client.call(lambda sf: _open_and_upload(client, sf, job))
    except CallFailure as failure:  # the job never started: nothing was written
        return [outcome_of(failure, Operation.READ)] * len(writes)
    try:
        final = _close_and_wait(client, job, polling)
        files = {kind: _result_rows(client, job, kind) for kind in _RESULT_FILES}
    except CallFailure as failure:
        return [outcome_of(failure, operation_of(op))] * len(writes)
    except TimeoutError:
        _abort(client, job)
        return [classify_timeout(operation_of(op))] * len(writes)
    return _reconcile(job, final, files)


def _abort(client: SalesforceClient, job: _Job) -> None:
    """Best effort: stop a job we no longer wait for (rows it already wrote stay written)."""
    path = f"jobs/ingest/{job.job_id}/"
    with contextlib.suppress(CallFailure):
        client.call(lambda sf: sf.restful(path, method="PATCH", json={"state": "Aborted"}))


def csv_rows(op: WriteOp, writes: Sequence[Write]) -> tuple[list[str], list[list[str]]]:
    payloads = [_keyed_payload(op, write) for write in writes]
    columns = list(dict.fromkeys(name for payload in payloads for name in payload))
    blank = NULL if op is WriteOp.UPDATE else ""
    rows = [[_cell(payload.get(name, ""), blank) for name in columns] for payload in payloads]
    return columns, rows


def _keyed_payload(op: WriteOp, write: Write) -> dict[str, Any]:
    payload = payload_of(write)
    if op is WriteOp.UPDATE:
        return {"Id": write.sf_id if isinstance(write, Update) else "", **payload}
    if op is WriteOp.UPSERT:
        return {PUSHFORCE_ID_FIELD: write.external_id, **payload}
    return payload


def _cell(value: object, blank: str) -> str:
    if value is None:
        return blank
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _open_and_upload(client: SalesforceClient, sf: Salesforce, job: _Job) -> None:
    spec: dict[str, Any] = {
        "object": job.sobject,
        "operation": job.op.bulk_operation,
        "contentType": "CSV",
        "lineEnding": "LF",
        "columnDelimiter": "COMMA",
    }
    if job.op is WriteOp.UPSERT:
        spec["externalIdFieldName"] = PUSHFORCE_ID_FIELD
    created = sf.restful("jobs/ingest/", method="POST", json=spec) or {}
    job.job_id = str(created["id"])
    headers = {"Content-Type": "text/csv; charset=UTF-8"}
    client.raw(
        sf, "PUT", f"jobs/ingest/{job.job_id}/batches/", data=_csv_bytes(job), headers=headers
    )


def _csv_bytes(job: _Job) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(job.columns)
    writer.writerows(job.rows)
    return out.getvalue().encode("utf-8")


def _close_and_wait(client: SalesforceClient, job: _Job, polling: Polling) -> dict[str, Any]:
    path = f"jobs/ingest/{job.job_id}/"
    client.call(lambda sf: sf.restful(path, method="PATCH", json={"state": "UploadComplete"}))
    return _wait(lambda: client.call(lambda sf: sf.restful(path)), polling)


def _wait(fetch: Callable[[], Any], polling: Polling) -> dict[str, Any]:
    started, pause = time.monotonic(), polling.first
    while True:
        info = fetch()
        if info.get("state") in TERMINAL:
            return dict(info)
        if time.monotonic() - started > polling.deadline:
            raise TimeoutError("the Bulk API job did not finish in time")
        time.sleep(pause)
        pause = min(pause * polling.growth, polling.longest)


_RESULT_FILES = ("successfulResults", "failedResults", "unprocessedrecords")


def _result_rows(client: SalesforceClient, job: _Job, kind: str) -> list[dict[str, str]]:
    path = f"jobs/ingest/{job.job_id}/{kind}/"
    text = client.call(lambda sf: client.raw(sf, "GET", path).content.decode("utf-8"))
    return list(csv.DictReader(io.StringIO(text)))


def _reconcile(
    job: _Job, final: dict[str, Any], files: dict[str, list[dict[str, str]]]
) -> list[Result]:
    index = _RowIndex(job)
    found: dict[int, Result] = {}
    for row in files["successfulResults"]:
        position = index.take(row)
        if position is not None:
            created = job.op is WriteOp.CREATE or row.get("sf__Created", "").lower() == "true"
            found[position] = Success(job.sobject, row["sf__Id"], created)
    for row in files["failedResults"]:
        position = index.take(row)
        if position is not None:
            code, message, fields = parse_bulk_error(row.get("sf__Error", ""))
            found[position] = classify(
                200, code, message, fields=fields, operation=operation_of(job.op)
            )
    missing = _not_processed(job, final)
    return [found.get(position, missing) for position in range(len(job.rows))]


def _not_processed(job: _Job, final: dict[str, Any]) -> Outcome:
    if final.get("state") == "Failed" and final.get("errorMessage"):
        return classify(
            400, "BULK_JOB_FAILED", str(final["errorMessage"])[:500], operation=operation_of(job.op)
        )
    message = f"the Bulk API job ended {final.get('state', '?')} before this row was processed"
    return classify(200, "PROCESSING_HALTED", message, operation=operation_of(job.op))


class _RowIndex:
    """Positions of the job's rows by key; each position is handed out once."""

    def __init__(self, job: _Job) -> None:
        self.job = job
        self.positions: dict[object, deque[int]] = defaultdict(deque)
        for position, row in enumerate(job.rows):
            self.positions[self._key_of_input(row)].append(position)

    def _key_of_input(self, row: list[str]) -> object:
        column = self.job.key_column
        if column is None:
            return tuple(row)
        return _normal(column, row[self.job.columns.index(column)])

    def take(self, result: dict[str, str]) -> int | None:
        column = self.job.key_column
        if column is None:
            key: object = tuple(result.get(name, "") for name in self.job.columns)
        else:
            key = _normal(column, result.get(column, ""))
        queue = self.positions.get(key)
        return queue.popleft() if queue else None


def _normal(column: str, value: str) -> str:
    return value[:15] if column == "Id" else value.lower()


def parse_bulk_error(text: str) -> tuple[str, str, tuple[str, ...]]:
    """``REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --`` →
    code, message, fields."""
    text = text.strip().removesuffix("--").strip()
    code, _, rest = text.partition(":")
    message, sep, field_text = rest.rpartition(":")
    if not sep:
        message, field_text = rest, ""
    fields = tuple(name.strip() for name in field_text.split(",") if name.strip())
    return code.strip() or "UNKNOWN_ERROR", message.strip(), fields
