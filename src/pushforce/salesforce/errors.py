"""Wire errors → :mod:`pushforce.core.outcomes`.

Every failure the gateway meets becomes a :class:`CallFailure` (HTTP status or ``None`` for no
answer, Salesforce's ``errorCode``, its message and fields) and then an ``Outcome`` through
``core.outcomes.classify`` — nothing else decides what an error means. Messages never carry
request URLs, headers or bodies we sent (they may hold tokens or customer data).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests
from simple_salesforce.exceptions import SalesforceError

from pushforce.core.outcomes import Operation, Outcome, classify

__all__ = [
    "CallFailure",
    "failure_from_body",
    "failure_from_exception",
    "failure_from_response",
    "outcome_of",
    "record_error_outcome",
    "with_retry_after",
]

MESSAGE_LIMIT = 500


@dataclass(frozen=True)
class CallFailure(Exception):
    """A whole call failed. ``status`` is ``None`` when no answer came (timeout, reset)."""

    status: int | None
    code: str | None
    message: str = ""
    fields: tuple[str, ...] = ()
    retry_after: float | None = None

    def __str__(self) -> str:
        return f"Salesforce call failed: {self.status} {self.code}: {self.message}"

    def outcome(self, operation: Operation) -> Outcome:
        return outcome_of(self, operation)


def outcome_of(failure: CallFailure, operation: Operation) -> Outcome:
    return classify(
        failure.status,
        failure.code,
        failure.message,
        fields=failure.fields,
        operation=operation,
        retry_after_seconds=failure.retry_after,
    )


def record_error_outcome(errors: Sequence[Mapping[str, Any]], operation: Operation) -> Outcome:
    """One failed record of a collections result (HTTP 200): its first error decides."""
    first = errors[0] if errors else {}
    code = str(first.get("statusCode") or first.get("errorCode") or "UNKNOWN_ERROR")
    fields = tuple(str(name) for name in first.get("fields") or ())
    message = _clip(str(first.get("message", "")))
    return classify(200, code, message, fields=fields, operation=operation)


def failure_from_exception(error: BaseException) -> CallFailure:
    """requests / simple-salesforce exceptions → a failure (timeouts and resets: no answer)."""
    if isinstance(error, CallFailure):
        return error
    if isinstance(error, SalesforceError):
        return failure_from_body(error.status, error.content)
    if isinstance(error, json.JSONDecodeError):  # a 2xx answer that was not JSON
        return CallFailure(502, None, "Salesforce answered with an unreadable body")
    if isinstance(error, requests.Timeout):
        return CallFailure(None, "TIMEOUT", "Salesforce did not answer in time")
    if isinstance(error, requests.ConnectionError):
        return CallFailure(None, "CONNECTION_ERROR", "the connection to Salesforce failed")
    if isinstance(error, requests.RequestException):
        return CallFailure(None, "CONNECTION_ERROR", type(error).__name__)
    raise error


def failure_from_response(response: requests.Response) -> CallFailure:
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text
    failure = failure_from_body(response.status_code, body)
    return with_retry_after(failure, response.headers.get("Retry-After"))


def with_retry_after(failure: CallFailure, header: str | None) -> CallFailure:
    """Honour ``Retry-After`` (seconds) when Salesforce or its edge sent one."""
    seconds = _retry_after(header)
    if seconds is None:
        return failure
    return CallFailure(failure.status, failure.code, failure.message, failure.fields, seconds)


def failure_from_body(status: int, body: Any) -> CallFailure:
    """Salesforce's error shapes: a JSON array of ``{errorCode, message, fields}``, an OAuth
    ``{error, error_description}`` object, or an HTML/text page (Edge 5xx): code ``None``."""
    first = body[0] if isinstance(body, list) and body else body
    if isinstance(first, Mapping):
        code = first.get("errorCode") or first.get("statusCode") or first.get("error")
        message = first.get("message") or first.get("error_description") or ""
        fields = tuple(str(name) for name in first.get("fields") or ())
        return CallFailure(status, str(code) if code else None, _clip(str(message)), fields)
    return CallFailure(status, None, _text_summary(status, body))


def _text_summary(status: int, body: Any) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or "")
    if "<html" in text.lower():
        return f"HTTP {status} with an HTML page instead of a Salesforce answer"
    return _clip(text) or f"HTTP {status}"


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _clip(text: str) -> str:
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"
