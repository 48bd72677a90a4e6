"""Bulk API 2.0 ingest jobs: their state machine, job-info JSON and the errors the endpoints give.

States (reference §6.1): Open → UploadComplete → InProgress → JobComplete | Failed, and Aborted
from any state before a terminal one.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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


def job_not_found() -> BulkError:
    return BulkError(404, "NOT_FOUND", "The requested resource does not exist")


@dataclass(slots=True)
class Outcome:
    """One processed row: the record id (may be empty), whether created, or the error text."""

    row: list[str]
    record_id: str = ""
    created: bool = False
    error: str | None = None


@dataclass
class IngestJob:
    id: str
    sobject: str
    operation: str
    external_id_field: str | None
    line_ending: str
    column_delimiter: str
    api_version: str
    created_by_id: str
    created_date: str
    system_modstamp: str
    state: str = OPEN
    uploads: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    unprocessed: list[list[str]] = field(default_factory=list)
    error_message: str | None = None
    processing_ms: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def processed(self) -> int:
        return len(self.outcomes)

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if o.error is not None)

    def info(self, detailed: bool = True) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "operation": self.operation,
            "object": self.sobject,
            "createdById": self.created_by_id,
            "createdDate": self.created_date,
            "systemModstamp": self.system_modstamp,
            "state": self.state,
            "externalIdFieldName": self.external_id_field,
            "concurrencyMode": "Parallel",
            "contentType": "CSV",
            "apiVersion": float(self.api_version),
            "contentUrl": f"services/data/v{self.api_version}/jobs/ingest/{self.id}/batches",
            "lineEnding": self.line_ending,
            "columnDelimiter": self.column_delimiter,
        }
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
