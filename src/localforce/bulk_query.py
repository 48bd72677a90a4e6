"""Bulk API 2.0 query jobs (``/jobs/query``): a SOQL query run in the background, its rows read
back as CSV pages behind ``Sforce-Locator`` / ``Sforce-NumberOfRecords`` headers (§6.2).

The query is checked when the job is created (a bad query is refused with its SOQL error), then
run by a worker; the CSV has one column per selected field, parent fields dotted
(``Account.Name``), null as an empty cell and checkboxes as ``true``/``false``.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from localforce import ids
from localforce.bulk_csv import DELIMITERS, write_csv
from localforce.bulk_jobs import (
    ABORTED,
    FAILED,
    IN_PROGRESS,
    JOB_COMPLETE,
    UPLOAD_COMPLETE,
    BulkError,
    Job,
    common_fields,
    job_not_found,
)
from localforce.soql import QueryResult, execute, validate
from localforce.soql_ast import SoqlError

QUERY_OPERATIONS = ("query", "queryAll")
JOB_PREFIX = "750"
DEFAULT_PAGE = 50_000


@dataclass(kw_only=True)
class QueryJob(Job):
    query: str
    state: str = UPLOAD_COMPLETE
    result: QueryResult | None = None

    def info(self, detailed: bool = True) -> dict[str, Any]:
        body = self.base_info()
        if detailed:
            processed = self.result.total_size if self.result else 0
            body.update(
                jobType="V2Query",
                numberRecordsProcessed=processed,
                retries=0,
                totalProcessingTime=0,
            )
            if self.error_message:
                body["errorMessage"] = self.error_message
        return body


@dataclass(frozen=True)
class ResultPage:
    csv: str
    count: int
    locator: str  # "null" on the last page, as Salesforce sends it


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flat(rendered: dict[str, Any], column: tuple[str, ...]) -> str:
    value: Any = rendered
    for part in column:
        value = value.get(part) if isinstance(value, dict) else None
    return _cell(value)


def _locator(offset: int) -> str:
    return base64.b64encode(str(offset).encode()).decode().rstrip("=")


def _offset(locator: str) -> int:
    try:
        return int(base64.b64decode(locator + "=" * (-len(locator) % 4)).decode())
    except ValueError:
        raise BulkError(400, "INVALID_LOCATOR", f"Invalid locator: {locator}") from None


class BulkQuery:
    def __init__(self, get_org: Callable[[], Any]) -> None:
        self.get_org = get_org
        self.jobs: dict[str, QueryJob] = {}
        self._ids = ids.IdGenerator()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="localforce-query")

    def create(self, body: dict[str, Any], version: str) -> QueryJob:
        operation, text = body.get("operation"), body.get("query")
        if operation not in QUERY_OPERATIONS:
            raise BulkError(400, "INVALIDJOB", f"Invalid operation: {operation}")
        if not isinstance(text, str) or not text.strip():
            raise BulkError(400, "INVALIDJOB", "A query is required for a query job")
        sobject = self._checked(text)
        org = self.get_org()
        job = QueryJob(
            **common_fields(self._ids.new(JOB_PREFIX), org, body, version),
            operation=operation,
            query=text,
            sobject=sobject,
        )
        self.jobs[job.id] = job
        self._worker.submit(self._run, job)
        return job

    def job(self, job_id: str) -> QueryJob:
        found = self.jobs.get(ids.normalize(job_id) or job_id)
        if found is None:
            raise job_not_found()
        return found

    def set_state(self, job_id: str, state: str) -> QueryJob:
        """Query jobs can only be aborted."""
        if state != ABORTED:
            raise BulkError(400, "INVALIDJOBSTATE", f"Invalid state: {state}")
        job = self.job(job_id)
        with job.lock:
            if job.state not in (UPLOAD_COMPLETE, IN_PROGRESS):
                raise BulkError(409, "INVALIDJOBSTATE", f"Job {job.id} is in state {job.state}")
            job.state = ABORTED
        return job

    def delete(self, job_id: str) -> None:
        self.jobs.pop(self.job(job_id).id, None)

    def reset(self) -> None:
        """Forget every job; one still waiting or running is aborted (its result is dropped)."""
        for job in list(self.jobs.values()):
            with job.lock:
                if job.state in (UPLOAD_COMPLETE, IN_PROGRESS):
                    job.state = ABORTED
        self.jobs.clear()

    def results(self, job_id: str, locator: str | None, max_records: int | None) -> ResultPage:
        job = self.job(job_id)
        if job.state != JOB_COMPLETE or job.result is None:
            raise BulkError(400, "INVALIDJOBSTATE", f"Job {job.id} is in state {job.state}")
        start = _offset(locator) if locator else 0
        size = max(1, max_records or DEFAULT_PAGE)
        result = job.result
        rows = [result.render(row, job.api_version) for row in result.rows[start : start + size]]
        header = [".".join(column) for column in result.columns]
        cells = [[_flat(row, column) for column in result.columns] for row in rows]
        text = write_csv(header, cells, job.line_ending, DELIMITERS[job.column_delimiter])
        end = start + len(rows)
        return ResultPage(text, len(rows), _locator(end) if end < len(result.rows) else "null")

    def _checked(self, text: str) -> str:
        try:
            return validate(self.get_org(), text)
        except SoqlError as error:
            raise BulkError(400, error.error_code, error.message) from None

    def _run(self, job: QueryJob) -> None:
        with job.lock:
            if job.state != UPLOAD_COMPLETE:
                return
            job.state = IN_PROGRESS
        try:
            result = execute(self.get_org(), job.query, job.operation == "queryAll")
        except SoqlError as error:
            job.error_message, job.state = error.message, FAILED
            return
        with job.lock:
            if job.state == IN_PROGRESS:
                job.result, job.state = result, JOB_COMPLETE
