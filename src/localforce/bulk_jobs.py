"""Bulk API 2.0 ingest jobs: their state machine, job-info JSON and the errors the endpoints give.

States (reference §6.1): Open → UploadComplete → InProgress → JobComplete | Failed, and Aborted
from any state before a terminal one.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from localforce.bulk_csv import DELIMITERS, LINE_ENDINGS
from localforce.values import format_datetime

OPEN, UPLOAD_COMPLETE, IN_PROGRESS = "Open", "UploadComplete", "InProgress"
JOB_COMPLETE, FAILED, ABORTED = "JobComplete", "Failed", "Aborted"
TERMINAL = frozenset({JOB_COMPLETE, FAILED, ABORTED})
OPERATIONS = ("insert", "update", "upsert", "delete", "hardDelete")


class BulkError(Exception):
    """An ingest endpoint refusal: ``[{"errorCode", "message"}]`` with an HTTP status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> list[dict[str, str]]:
        return [{"errorCode": self.code, "message": self.message}]


def job_option(body: dict[str, Any], key: str, default: str, allowed: Mapping[str, str]) -> str:
    """A CSV option of a job spec (``lineEnding``, ``columnDelimiter``), checked."""
    value = body.get(key) or default
    if value not in allowed:
        raise BulkError(400, "INVALIDJOB", f"Invalid {key}: {value}")
    return str(value)


def common_fields(job_id: str, org: Any, body: dict[str, Any], version: str) -> dict[str, Any]:
    """The fields every new job (ingest or query) starts with."""
    now = format_datetime(org.now())
    return {
        "id": job_id,
        "line_ending": job_option(body, "lineEnding", "LF", LINE_ENDINGS),
        "column_delimiter": job_option(body, "columnDelimiter", "COMMA", DELIMITERS),
        "api_version": version,
        "created_by_id": org.user_id,
        "created_date": now,
        "system_modstamp": now,
    }


def job_not_found() -> BulkError:
    return BulkError(404, "NOT_FOUND", "The requested resource does not exist")


@dataclass(slots=True)
class Outcome:
    """One processed row: the record id (may be empty), whether created, or the error text."""

    row: list[str]
    record_id: str = ""
    created: bool = False
    error: str | None = None


@dataclass(kw_only=True)
class Job:
    """What ingest and query jobs share: identity, CSV options, state and its lock."""

    id: str
    operation: str
    sobject: str
    line_ending: str
    column_delimiter: str
    api_version: str
    created_by_id: str
    created_date: str
    system_modstamp: str
    state: str
    error_message: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def base_info(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "operation": self.operation,
            "object": self.sobject,
            "createdById": self.created_by_id,
            "createdDate": self.created_date,
            "systemModstamp": self.system_modstamp,
            "state": self.state,
            "concurrencyMode": "Parallel",
            "contentType": "CSV",
            "apiVersion": float(self.api_version),
            "lineEnding": self.line_ending,
            "columnDelimiter": self.column_delimiter,
        }


@dataclass(kw_only=True)
class IngestJob(Job):
    external_id_field: str | None = None
    state: str = OPEN
    uploads: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    unprocessed: list[list[str]] = field(default_factory=list)
    processing_ms: int = 0

    @property
    def processed(self) -> int:
        return len(self.outcomes)

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if o.error is not None)

    def info(self, detailed: bool = True) -> dict[str, Any]:
        body = self.base_info()
        body["externalIdFieldName"] = self.external_id_field
        body["contentUrl"] = f"services/data/v{self.api_version}/jobs/ingest/{self.id}/batches"
        if detailed:
            body.update(self._progress())
        return body

    def _progress(self) -> dict[str, Any]:
        progress: dict[str, Any] = {
            "jobType": "V2Ingest",
            "numberRecordsProcessed": self.processed,
            "numberRecordsFailed": self.failed,
            "retries": 0,
            "totalProcessingTime": self.processing_ms,
            "apiActiveProcessingTime": self.processing_ms,
            "apexProcessingTime": 0,
        }
        if self.error_message:
            progress["errorMessage"] = self.error_message
        return progress

    def require_state(self, *states: str) -> None:
        if self.state not in states:
            raise BulkError(
                409,
                "INVALIDJOBSTATE",
                f"Job {self.id} is in state {self.state};"
                f" this operation needs {' or '.join(states)}",
            )
