"""Bulk API 2.0 ingest: jobs are created, loaded with CSV, closed, then processed in the
background the way Salesforce does — split into internal batches of 10,000 records, each row
written through the org's own insert/update/upsert/delete so errors carry the same codes.

An optional processing-rate model (records per second per internal batch, a few batches in
parallel) makes a job take about as long as it would in a real org; it is off by default.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from localforce import ids
from localforce.bulk_csv import (
    CsvProblem,
    check_line_ending,
    error_text,
    pad,
    read_rows,
    row_body,
    write_csv,
)
from localforce.bulk_jobs import (
    ABORTED,
    FAILED,
    IN_PROGRESS,
    JOB_COMPLETE,
    OPEN,
    OPERATIONS,
    TERMINAL,
    UPLOAD_COMPLETE,
    BulkError,
    IngestJob,
    Outcome,
    common_fields,
    job_not_found,
)
from localforce.errors import OrgError, SalesforceError
from localforce.values import format_datetime

if TYPE_CHECKING:
    from localforce.org import Org

JOB_PREFIX = "750"


@dataclass
class RateModel:
    """How fast Salesforce would process: None = as fast as this machine can."""

    records_per_second: float | None = None
    parallel_batches: int = 5
    batch_size: int = 10_000


def register(app: Any, get_org: Callable[[], Any]) -> None:
    """Mount hook the app calls: the Bulk API endpoints on the server state's job stores."""
    from localforce.routes_bulk import bulk_router

    state = app.state.localforce
    app.include_router(bulk_router(get_org, state.bulk_ingest, state.bulk_query))


class BulkIngest:
    def __init__(self, get_org: Callable[[], Any], rate: RateModel | None = None) -> None:
        self.get_org = get_org
        self.rate = rate or RateModel()
        self.jobs: dict[str, IngestJob] = {}
        self._ids = ids.IdGenerator()
        self._lock = threading.Lock()
        self._worker = ThreadPoolExecutor(max_workers=2, thread_name_prefix="localforce-bulk")
        self._pending: set[str] = set()
        self._idle = threading.Condition()

    # -- job lifecycle ----------------------------------------------------------------------
    def create(self, body: dict[str, Any], version: str) -> IngestJob:
        org = self.get_org()
        sobject, operation, external_id = _validated_job_spec(org, body)
        job = IngestJob(
            **common_fields(self._ids.new(JOB_PREFIX), org, body, version),
            sobject=sobject,
            operation=operation,
            external_id_field=external_id,
        )
        with self._lock:
            self.jobs[job.id] = job
        return job

    def job(self, job_id: str) -> IngestJob:
        found = self.jobs.get(ids.normalize(job_id) or job_id)
        if found is None:
            raise job_not_found()
        return found

    def upload(self, job_id: str, data: str) -> None:
        job = self.job(job_id)
        with job.lock:
            job.require_state(OPEN)
            job.uploads.append(data)

    def set_state(self, job_id: str, state: str) -> IngestJob:
        job = self.job(job_id)
        with job.lock:
            if state == UPLOAD_COMPLETE:
                job.require_state(OPEN)
                job.state = UPLOAD_COMPLETE
            elif state == ABORTED:
                job.require_state(OPEN, UPLOAD_COMPLETE, IN_PROGRESS)
                job.state = ABORTED
            else:
                raise BulkError(400, "INVALIDJOBSTATE", f"Invalid state: {state}")
            self._touch(job)
        if state == UPLOAD_COMPLETE:
            self._enqueue(job)
        return job

    def delete(self, job_id: str) -> None:
        job = self.job(job_id)
        job.require_state(UPLOAD_COMPLETE, *TERMINAL)
        with self._lock:
            self.jobs.pop(job.id, None)

    def reset(self, timeout: float = 30.0) -> None:
        """Forget every job; jobs waiting or running are aborted first and waited for, so no
        write of theirs lands after the reset."""
        with self._lock:
            jobs = list(self.jobs.values())
        for job in jobs:
            with job.lock:
                if job.state in (OPEN, UPLOAD_COMPLETE, IN_PROGRESS):
                    job.state = ABORTED
        self.wait_idle(timeout)
        with self._lock:
            self.jobs.clear()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until no job is waiting or running (for tests and benchmarks)."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._pending, timeout)

    # -- results ----------------------------------------------------------------------------
    def successful_results(self, job_id: str) -> str:
        job = self.job(job_id)
        rows = [[o.record_id, _flag(o.created), *o.row] for o in list(job.outcomes) if not o.error]
        return write_csv(["sf__Id", "sf__Created", *job.header], rows, job.line_ending)

    def failed_results(self, job_id: str) -> str:
        job = self.job(job_id)
        rows = [[o.record_id, o.error or "", *o.row] for o in list(job.outcomes) if o.error]
        return write_csv(["sf__Id", "sf__Error", *job.header], rows, job.line_ending)

    def unprocessed_records(self, job_id: str) -> str:
        job = self.job(job_id)
        return write_csv(job.header, list(job.unprocessed), job.line_ending)

    # -- processing -------------------------------------------------------------------------
    def _enqueue(self, job: IngestJob) -> None:
        with self._idle:
            self._pending.add(job.id)
        self._worker.submit(self._run, job)

    def _run(self, job: IngestJob) -> None:
        try:
            process_job(self.get_org(), job, self.rate)
        finally:
            with self._idle:
                self._pending.discard(job.id)
                self._idle.notify_all()

    def _touch(self, job: IngestJob) -> None:
        job.system_modstamp = format_datetime(self.get_org().now())


def process_job(org: Org, job: IngestJob, rate: RateModel) -> None:
    started = time.monotonic()
    with job.lock:
        if job.state != UPLOAD_COMPLETE:
            return
        job.state = IN_PROGRESS
    try:
        rows = _load(org, job)
    except CsvProblem as problem:
        _finish(job, FAILED, started, str(problem))
        return
    batches = [rows[i : i + rate.batch_size] for i in range(0, len(rows), rate.batch_size)]
    if rate.records_per_second:
        with ThreadPoolExecutor(max_workers=max(1, rate.parallel_batches)) as pool:
            list(pool.map(lambda batch: _run_batch(org, job, batch, rate), batches))
    else:
        for batch in batches:
            _run_batch(org, job, batch, rate)
    _finish(job, ABORTED if job.state == ABORTED else JOB_COMPLETE, started, None)


def _load(org: Org, job: IngestJob) -> list[list[str]]:
    """All uploaded rows under one header; a bad upload fails the whole job (all unprocessed)."""
    header: list[str] = []
    rows: list[list[str]] = []
    for data in job.uploads:
        part_header, part_rows = read_rows(data, job.column_delimiter)
        header = header or part_header
        rows.extend(pad(row, len(header)) for row in part_rows)
    job.header, job.unprocessed = header, rows
    for data in job.uploads:
        check_line_ending(data, job.line_ending)
    _check_header(org.object(job.sobject), job)
    job.unprocessed = []
    return rows


def _check_header(obj: Any, job: IngestJob) -> None:
    if job.operation in ("delete", "hardDelete") and [h.lower() for h in job.header] != ["id"]:
        raise CsvProblem(f"InvalidBatch : The '{job.operation}' batch must contain only 'Id'")
    for name in job.header:
        relationship, dot, _ = name.partition(".")
        known = obj.relationship(relationship) if dot else obj.field(name)
        if known is None:
            raise CsvProblem(f"InvalidBatch : Field name not found : {name}")


def _run_batch(org: Org, job: IngestJob, batch: list[list[str]], rate: RateModel) -> None:
    started = time.monotonic()
    for index, row in enumerate(batch):
        if job.state == ABORTED:
            with job.lock:
                job.unprocessed.extend(batch[index:])
            return
        outcome = _write_row(org, job, row)
        with job.lock:
            job.outcomes.append(outcome)
    if rate.records_per_second:
        _pause(job, len(batch) / rate.records_per_second - (time.monotonic() - started))


def _pause(job: IngestJob, seconds: float) -> None:
    """The modelled processing time of a batch, cut short when the job is aborted."""
    deadline = time.monotonic() + seconds
    while job.state != ABORTED and (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.05))


def _write_row(org: Org, job: IngestJob, row: list[str]) -> Outcome:
    body = row_body(job.header, row)
    given_id = _pop_field(body, "Id") or ""
    try:
        record_id, created = _apply(org, job, body, given_id)
    except OrgError as error:
        return Outcome(row, given_id if job.operation != "insert" else "", False, _first(error))
    return Outcome(row, record_id, created)


def _apply(org: Org, job: IngestJob, body: dict[str, Any], given_id: str) -> tuple[str, bool]:
    if job.operation == "insert":
        return org.insert(job.sobject, body), True
    if job.operation == "upsert":
        ext = job.external_id_field or "Id"
        value = given_id if ext.lower() == "id" else _pop_field(body, ext)
        if ext.lower() != "id" and not value:
            raise _missing_argument(f"{ext} not specified")
        return org.upsert(job.sobject, ext, value, body)
    if not given_id:
        raise _missing_argument(f"Id not specified in an {job.operation} call")
    if job.operation == "update":
        return org.update(given_id, body, job.sobject), False
    return org.delete(given_id, job.sobject), False


def _pop_field(body: dict[str, Any], name: str) -> Any:
    key = next((k for k in body if k.lower() == name.lower()), None)
    return body.pop(key) if key is not None else None


def _missing_argument(message: str) -> OrgError:
    return OrgError(400, [SalesforceError("MISSING_ARGUMENT", message, ())])


def _first(error: OrgError) -> str:
    if error.errors:
        return error_text(error.errors[0])
    return error_text(SalesforceError("UNKNOWN_EXCEPTION", str(error), ()))


def _finish(job: IngestJob, state: str, started: float, message: str | None) -> None:
    with job.lock:
        job.processing_ms += int((time.monotonic() - started) * 1000)
        job.error_message = message
        if job.state != ABORTED:
            job.state = state


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _validated_job_spec(org: Org, body: dict[str, Any]) -> tuple[str, str, str | None]:
    obj = org.schema.object(str(body.get("object") or ""))
    if obj is None:
        raise BulkError(
            400, "INVALIDENTITY", f"Entity '{body.get('object')}' is not supported by the Bulk API."
        )
    operation = body.get("operation")
    if operation not in OPERATIONS:
        raise BulkError(400, "INVALIDJOB", f"Invalid operation: {operation}")
    if (body.get("contentType") or "CSV") != "CSV":
        raise BulkError(400, "INVALIDJOB", f"Invalid contentType: {body.get('contentType')}")
    external_id = body.get("externalIdFieldName")
    if operation != "upsert":
        return obj.name, operation, None
    if not external_id:
        raise BulkError(
            400,
            "INVALIDJOB",
            f"External ID was blank for {obj.name}. An External ID must be specified for upsert.",
        )
    ext = obj.field(str(external_id))
    if ext is None or not (ext.external_id or ext.id_lookup or ext.type == "id"):
        raise BulkError(
            400,
            "INVALIDJOB",
            f"The field {external_id} is not an External ID or Id field on {obj.name}",
        )
    return obj.name, operation, ext.name
